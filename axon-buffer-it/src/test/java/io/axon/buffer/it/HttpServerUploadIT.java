package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axon.buffer.AxonBufferException;
import io.axon.buffer.PoolSnapshot;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain JDK {@link HttpServer} whose handler feeds the request body, as it arrives, to ingest's
 * {@link MultipartParser}, on 127.0.0.1; uploads come from {@link HttpClient} with chunked transfer
 * encoding. Each part is checked by SHA-256 on both sides, and the pool's live bytes (overall and
 * per tenant) return to 0, for good uploads and for a truncated one.
 */
class HttpServerUploadIT {

  private static final int MAX_PART = 8 << 20;

  private SlabBufferPool pool;
  private HttpServer server;
  private ExecutorService handlers;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws IOException {
    pool = SlabBufferPool.builder().name("http-it").build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/upload", this::upload);
    handlers = Executors.newFixedThreadPool(4);
    server.setExecutor(handlers);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
    pool.close();
  }

  /**
   * The handler an adopter writes: body bytes go from the socket through a 16 KiB array into the
   * parser (which copies them once into pooled memory billed to the X-Tenant tenant); each part is
   * digested and closed as soon as it is complete. Answers one line per part, or the typed error.
   */
  private void upload(HttpExchange exchange) throws IOException {
    String tenant = exchange.getRequestHeaders().getFirst("X-Tenant");
    StringBuilder answer = new StringBuilder();
    int[] status = {200};
    MultipartListener listener =
        new MultipartListener() {
          @Override
          public void onPart(Part part) {
            try (part) {
              // While the part is open its memory is live, billed to the request's tenant.
              long billed = pool.snapshot().liveBytes(tenant);
              answer
                  .append(
                      String.join(
                          " ",
                          part.name(),
                          part.filename().orElse("-"),
                          part.kind().toString(),
                          Integer.toString(part.size()),
                          part.payload().sha256Hex(),
                          Boolean.toString(billed >= part.size())))
                  .append('\n');
            }
          }

          @Override
          public void onComplete(MultipartSummary summary) {}

          @Override
          public void onError(AxonBufferException e) {
            // The status comes from the fault, whichever branch: 400/413/415 for the body, 429
            // for the tenant's limit, 503 for the system's memory.
            status[0] = e.httpStatus();
            answer.setLength(0);
            answer
                .append("error ")
                .append(
                    e instanceof MultipartException
                        ? ((MultipartException) e).fault().name()
                        : e.getClass().getSimpleName())
                .append(' ')
                .append(e.getMessage())
                .append('\n');
          }
        };
    try (InputStream body = exchange.getRequestBody()) {
      MultipartParser parser =
          new MultipartParser(
              MultipartParser.boundaryOf(exchange.getRequestHeaders().getFirst("Content-Type")),
              pool.forTenant(tenant),
              MultipartOptions.builder().maxPartBytes(MAX_PART).build(),
              listener);
      byte[] chunk = new byte[16 * 1024];
      int n;
      while (!parser.isDone() && (n = body.read(chunk)) >= 0) {
        parser.feed(chunk, 0, n);
      }
      if (!parser.isDone()) {
        parser.finish();
      }
      body.transferTo(OutputStream.nullOutputStream());
    } catch (MultipartException e) {
      listener.onError(e);
    }
    byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
    String transferEncoding =
        String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding"));
    exchange.getResponseHeaders().add("X-Request-Transfer-Encoding", transferEncoding);
    exchange.sendResponseHeaders(status[0], bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private HttpResponse<String> send(
      String tenant, UploadBody body, HttpRequest.BodyPublisher publisher)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/upload"))
            .timeout(Duration.ofSeconds(60))
            .header("X-Tenant", tenant)
            .header("Content-Type", body.contentType())
            .POST(publisher)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Samples with their content types, a form field, and a random part of {@code randomSize}. */
  private static UploadBody body(int index, int randomSize) {
    return new UploadBody("http-it-" + index + "-b0undary")
        .field("caller", "tenant " + index)
        .file("photo", "photo.jpg", "image/jpeg", ItEnv.bytes(ItEnv.sample("photo.jpg")))
        .file("voice", "hello-8k.wav", "audio/wav", ItEnv.bytes(ItEnv.sample("hello-8k.wav")))
        .file("doc", "doc.pdf", null, ItEnv.bytes(ItEnv.sample("doc.pdf")))
        .file("blob", "blob.bin", "application/octet-stream", UploadBody.random(randomSize, index));
  }

  private static final List<String> KINDS = List.of("raw", "jpeg", "wav", "pdf", "raw");

  @Test
  void concurrentChunkedUploadsArriveIntactAndTheirMemoryReturnsToThePool() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<UploadBody> bodies = new ArrayList<>();
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        // 3 KiB .. 5 MiB: every size class up to HUGE; big parts span several slabs
        UploadBody body = body(i, new int[] {3_000, 70_000, 900_000, 5 << 20}[i % 4] + i);
        bodies.add(body);
        String tenant = "tenant-" + (i % 4);
        long seed = i;
        responses.add(clients.submit(() -> send(tenant, body, body.chunked(seed))));
      }
      for (int i = 0; i < bodies.size(); i++) {
        HttpResponse<String> r = responses.get(i).get(2, TimeUnit.MINUTES);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
            "chunked",
            r.headers().firstValue("X-Request-Transfer-Encoding").orElse(null),
            "a body of unknown length goes out chunked");
        List<UploadBody.Expected> expected = bodies.get(i).expected();
        List<String> lines = r.body().lines().toList();
        assertEquals(expected.size(), lines.size(), r.body());
        for (int p = 0; p < expected.size(); p++) {
          UploadBody.Expected e = expected.get(p);
          assertEquals(
              String.join(
                  " ",
                  e.field(),
                  e.filename() == null ? "-" : e.filename(),
                  KINDS.get(p),
                  Integer.toString(e.size()),
                  e.sha256(),
                  "true"),
              lines.get(p));
        }
      }
    } finally {
      clients.shutdownNow();
    }
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.liveBytes(), s.toString());
    for (int t = 0; t < 4; t++) {
      assertEquals(0, s.liveBytes("tenant-" + t), s.toString());
    }
    assertTrue(s.totalAllocatedBytes() >= 5 << 20, "the parts went through pooled memory: " + s);
    assertEquals(0, s.leaksReclaimed(), s.toString());
  }

  @Test
  void aTruncatedUploadIsATypedErrorAndLeavesNothingBehind() throws Exception {
    UploadBody body = body(9, 2 << 20);
    HttpResponse<String> r = send("cut", body, body.truncated(9));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("error TRUNCATED "), r.body());
    assertEquals(0, pool.snapshot().liveBytes(), pool.snapshot().toString());

    UploadBody tooBig =
        new UploadBody("too-big").file("blob", "big.bin", null, UploadBody.random(MAX_PART + 1, 3));
    HttpResponse<String> refused = send("greedy", tooBig, tooBig.chunked(3));
    assertEquals(413, refused.statusCode(), refused.body());
    assertTrue(refused.body().startsWith("error LIMIT_EXCEEDED "), refused.body());
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.liveBytes(), s.toString());
    assertEquals(0, s.liveBytes("greedy"), s.toString());
  }
}
