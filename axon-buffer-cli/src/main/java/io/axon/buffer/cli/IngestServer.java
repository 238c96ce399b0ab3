package io.axon.buffer.cli;

import io.axon.buffer.BufferPool;
import io.axon.buffer.Transcoders;
import io.axon.buffer.cli.stream.StreamEndpoint;
import io.axon.buffer.cli.stream.StreamOptions;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The ingest server behind {@code axon-buffer serve}: Jetty 12 core on 127.0.0.1, HTTP/1.1 with
 * keep-alive and cleartext HTTP/2 (prior knowledge, or {@code Upgrade: h2c}) on one port, the
 * routes of {@link IngestHandler}.
 *
 * <p>What it spends: Jetty's I/O threads (one acceptor, one selector, a few more for its own tasks;
 * {@code /metrics}, {@code /kinds} and refusals are answered on them) and {@code threads} upload
 * workers that parse bodies; a stalled upload holds neither, only its connection (at most {@code
 * maxConnections}) and the memory its bytes filled. Slow clients are cut by the idle timeout (no
 * byte at all), {@link HeadDeadline} (a head that trickles), {@link BodyRate} (a body that
 * trickles) and the write timeout of {@link Replies} (an answer nobody reads). A connection the
 * server ends while the client still sends is closed by {@link LingeringClose}, so that the client
 * reads the refusal or the WebSocket close code instead of a reset.
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread; requests run as described.
 */
final class IngestServer implements AutoCloseable {

  /** The tenant billed when a request has no {@code X-Tenant} header. */
  static final String DEFAULT_TENANT = IngestHandler.DEFAULT_TENANT;

  private static final int IO_THREADS = 8;

  /** HTTP/1.1 input buffer: 64 KiB chunks to the parser, as the JDK-server serve read them. */
  private static final int INPUT_BUFFER_BYTES = 64 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService workers;
  private final BufferPool pool;
  private final ServeMetrics metrics;
  private final StreamEndpoint stream;

  private IngestServer(
      Server server,
      ServerConnector connector,
      ExecutorService workers,
      BufferPool pool,
      ServeMetrics metrics,
      StreamEndpoint stream) {
    this.server = server;
    this.connector = connector;
    this.workers = workers;
    this.pool = pool;
    this.metrics = metrics;
    this.stream = stream;
  }

  /** {@return the {@code /stream} endpoint (its calls, live bytes and latency)} */
  StreamEndpoint stream() {
    return stream;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port the port, 0 for any free one
   * @param pool the memory every upload lands in; a {@link SlabBufferPool} is also asked, before a
   *     body is read, whether its tenant would be admitted ({@link SlabBufferPool#wouldAdmit}); the
   *     refusals of another pool come at its first billing
   * @param options multipart limits (maximum part size, ...)
   * @param store where file parts are written, or null to write nothing
   * @param limits connections, timeouts, rates; its tenant figures are the pool's (for messages)
   * @throws BindException if the port is taken
   * @throws IOException if the server cannot start for another reason
   */
  static IngestServer start(
      int port, BufferPool pool, MultipartOptions options, Path store, ServeLimits limits)
      throws IOException {
    return start(
        port,
        pool,
        options,
        store,
        limits,
        StreamOptions.defaults().withStore(store),
        PartLine.Digest.SHA256);
  }

  /**
   * Starts a server on 127.0.0.1 with {@code GET /stream} limited by {@code streams}, whose answers
   * digest each part as {@code digest} says.
   *
   * @param port the port, 0 for any free one
   * @param pool the memory every upload and call lands in
   * @param options multipart limits (maximum part size, ...)
   * @param store where file parts are written, or null to write nothing
   * @param limits connections, timeouts, rates
   * @param streams the limits of {@code /stream} calls, and where their WAV files go
   * @param digest whether each part's answer carries its SHA-256 ({@code --digest})
   * @throws BindException if the port is taken
   * @throws IOException if the server cannot start for another reason
   */
  static IngestServer start(
      int port,
      BufferPool pool,
      MultipartOptions options,
      Path store,
      ServeLimits limits,
      StreamOptions streams,
      PartLine.Digest digest)
      throws IOException {
    QueuedThreadPool io = new QueuedThreadPool(IO_THREADS + 4, 4);
    io.setName("axon-serve-io");
    io.setDaemon(true);
    Server server = new Server(io);
    server.setStopTimeout(1000);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    // Jetty reads a connection into buffers of this size: the chunks the parser is fed.
    http11.setInputBufferSize(INPUT_BUFFER_BYTES);
    HTTP2CServerConnectionFactory h2c = new BodylessUpgradeH2c(http);
    h2c.setStreamIdleTimeout(limits.idleTimeout().toMillis());

    // Added before the connector: stopped after it, it closes what lingers when Jetty is done.
    LingeringClose linger = new LingeringClose();
    server.addBean(linger);
    ServerConnector connector = linger.connector(server, http11, h2c);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));

    Scheduler scheduler = server.getScheduler();
    HeadDeadline heads = new HeadDeadline(limits.headerTimeout(), scheduler);
    connector.addBean(heads);

    AtomicInteger n = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            limits.threads(),
            r -> {
              Thread t = new Thread(r, "axon-serve-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ServeMetrics metrics = new ServeMetrics(pool, heads::closedConnections);
    StreamEndpoint stream =
        new StreamEndpoint(pool, streams, Transcoders.global(), limits.idleTimeout());
    stream.install(server);
    metrics.add(stream.metrics(), stream.metrics()::refresh);
    IngestHandler handler =
        new IngestHandler(
            pool,
            options,
            store == null ? null : new PartStore(store),
            digest,
            limits,
            metrics,
            workers,
            scheduler,
            heads);
    // Graceful stop: no new requests, the running ones get stopTimeout to finish.
    server.setHandler(new GracefulHandler(routes(stream, handler)));
    server.setErrorHandler(new JsonErrorHandler());
    try {
      server.start();
    } catch (Exception e) {
      workers.shutdownNow();
      stopQuietly(server);
      metrics.close();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw (BindException) t;
        }
      }
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
    return new IngestServer(server, connector, workers, pool, metrics, stream);
  }

  /**
   * The one place where serve's routes are put together: the handler every request goes through.
   * {@link IngestHandler} answers {@code /upload}, {@code /metrics}, {@code /kinds} and the 404 of
   * any other path; a route that needs a handler of its own (a WebSocket upgrade, say) wraps it
   * here and passes the requests it does not take on to {@code ingest}: {@link StreamRoute} takes
   * {@code GET /stream}.
   */
  private static Handler routes(StreamEndpoint stream, IngestHandler ingest) {
    return new StreamRoute(stream, ingest);
  }

  /** The port the server listens on. */
  int port() {
    return connector.getLocalPort();
  }

  /**
   * Stops accepting, closes every connection (an upload in progress ends and releases its memory),
   * then stops the workers.
   */
  @Override
  public void close() {
    stopQuietly(server);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.close();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Requests still running after the stop timeout: Jetty stopped anyway and closed them.
    } catch (Exception e) {
      System.getLogger(IngestServer.class.getName())
          .log(System.Logger.Level.WARNING, "stopping the server", e);
    }
  }

  /**
   * Cleartext HTTP/2 that takes {@code Upgrade: h2c} only on a request without a body. Jetty
   * already declines a request with a Content-Length; a chunked body (what the JDK's HttpClient
   * sends for a streamed upload, with {@code Upgrade: h2c} on a new connection) would otherwise be
   * read as HTTP/2 frames after the {@code 101} and the connection torn down. Declined, the request
   * is served over HTTP/1.1; the client's next connection or a prior-knowledge one gets HTTP/2.
   */
  private static final class BodylessUpgradeH2c extends HTTP2CServerConnectionFactory {
    BodylessUpgradeH2c(HttpConfiguration http) {
      super(http);
    }

    @Override
    public Connection upgradeConnection(
        Connector connector,
        EndPoint endPoint,
        MetaData.Request request,
        HttpFields.Mutable response101) {
      if (request.getHttpFields().contains(HttpHeader.TRANSFER_ENCODING)
          || request.getContentLength() != 0 && request.getContentLength() != -1) {
        return null;
      }
      return super.upgradeConnection(connector, endPoint, request, response101);
    }
  }

  @Override
  public String toString() {
    return "IngestServer{127.0.0.1:" + port() + ", " + pool + "}";
  }
}
