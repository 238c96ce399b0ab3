package io.axon.buffer.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * <p>With the argument {@code sha256} it also digests the body as it reads it (SHA-256 over each
 * chunk, in Jetty's buffer): the floor plus the one digest {@code serve} computes per part, to tell
 * the digest's share of {@code serve}'s time from the parser's and the pool's.
 *
 * <p>Run: {@code java -cp axon-buffer-bench-*-benchmarks.jar io.axon.buffer.bench.BareJettyUpload
 * [sha256]}
 */
public final class BareJettyUpload extends Handler.Abstract {

  private final boolean digest;

  private BareJettyUpload(boolean digest) {
    this.digest = digest;
  }

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @param args {@code sha256} to digest each body, else nothing
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
    server.setHandler(new BareJettyUpload(args.length > 0 && args[0].equals("sha256")));
    server.start();
    System.out.println("listening on " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    new Object() {
      long bytes;
      final MessageDigest md = digest ? sha256() : null;

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
          if (md != null) {
            md.update(chunk.getByteBuffer());
          }
          chunk.release();
          if (chunk.isLast()) {
            String sha =
                md == null ? "" : ",\"sha256\":\"" + HexFormat.of().formatHex(md.digest()) + "\"";
            byte[] answer =
                ("{\"bytes\":" + bytes + sha + "}\n").getBytes(StandardCharsets.US_ASCII);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(answer), callback);
            return;
          }
        }
      }
    }.read();
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
