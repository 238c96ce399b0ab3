package io.axon.buffer.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor {@code serve} is measured against: a bare Jetty 12 core handler on 127.0.0.1 (HTTP/1.1
 * and h2c, as {@code serve} is set up) that reads every request body with the same read/demand loop
 * and drops it, then answers a short JSON with the byte count. No parsing, no pool, no digest.
 * Prints {@code listening on PORT} and serves until killed.
 *
 * <p>Run: {@code java -cp axon-buffer-bench-*-benchmarks.jar io.axon.buffer.bench.BareJettyUpload}
 */
public final class BareJettyUpload extends Handler.Abstract {

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @param args none
   * @throws Exception if Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 4);
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector =
        new ServerConnector(
            server, 1, 1, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new BareJettyUpload());
    server.start();
    System.out.println("listening on " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    new Object() {
      long bytes;

      void read() {
        while (true) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            request.demand(this::read);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            callback.failed(chunk.getFailure());
            return;
          }
          bytes += chunk.remaining();
          chunk.release();
          if (chunk.isLast()) {
            byte[] answer = ("{\"bytes\":" + bytes + "}\n").getBytes(StandardCharsets.US_ASCII);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(answer), callback);
            return;
          }
        }
      }
    }.read();
    return true;
  }
}
