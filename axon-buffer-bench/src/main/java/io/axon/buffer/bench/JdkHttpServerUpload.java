package io.axon.buffer.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axon.buffer.AxonBufferException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * The {@code POST /upload} of {@code serve} as it was before Jetty: the JDK's {@code HttpServer},
 * the body read through its {@code InputStream} into a 64 KiB heap array and fed to the multipart
 * parser, each part digested (SHA-256) and released. Kept runnable here, not in the command, as the
 * peer of {@link UploadThroughputHarness}. Prints {@code listening on PORT} and serves until
 * killed.
 *
 * <p>Run: {@code java -cp axon-buffer-bench-*-benchmarks.jar
 * io.axon.buffer.bench.JdkHttpServerUpload [threads]}
 */
public final class JdkHttpServerUpload {

  private JdkHttpServerUpload() {}

  /**
   * Starts the server on a free port of 127.0.0.1.
   *
   * @param args optional: the worker threads (default 8)
   * @throws IOException if it cannot listen
   */
  public static void main(String[] args) throws IOException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    SlabBufferPool pool = SlabBufferPool.builder().name("jdk-upload").build();
    MultipartOptions options = MultipartOptions.defaults();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.createContext("/upload", exchange -> upload(exchange, pool, options));
    server.start();
    System.out.println("listening on " + server.getAddress().getPort());
    System.out.flush();
  }

  private static void upload(HttpExchange exchange, SlabBufferPool pool, MultipartOptions options)
      throws IOException {
    try (exchange) {
      StringBuilder answer = new StringBuilder("{\"parts\":[");
      int[] status = {200};
      MultipartListener listener =
          new MultipartListener() {
            @Override
            public void onPart(Part part) {
              try (part) {
                if (answer.charAt(answer.length() - 1) != '[') {
                  answer.append(',');
                }
                answer
                    .append("{\"size\":")
                    .append(part.payload().length())
                    .append(",\"sha256\":\"")
                    .append(HexFormat.of().formatHex(part.payload().sha256()))
                    .append("\"}");
              }
            }

            @Override
            public void onComplete(MultipartSummary summary) {}

            @Override
            public void onError(AxonBufferException e) {
              status[0] = e.httpStatus();
            }
          };
      String tenant = exchange.getRequestHeaders().getFirst("X-Tenant");
      MultipartParser parser;
      try {
        parser =
            new MultipartParser(
                MultipartParser.boundaryOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                pool.forTenant(tenant == null ? "anonymous" : tenant),
                options,
                listener);
      } catch (MultipartException e) {
        respond(exchange, e.httpStatus(), "{}");
        return;
      }
      InputStream body = exchange.getRequestBody();
      byte[] buf = new byte[64 * 1024];
      int n;
      while (!parser.isDone() && (n = body.read(buf)) >= 0) {
        parser.feed(ByteBuffer.wrap(buf, 0, n));
      }
      if (!parser.isDone()) {
        parser.finish();
      }
      while (body.read(buf) >= 0) {
        // the epilogue
      }
      respond(exchange, status[0], answer.append("]}").toString());
    }
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
