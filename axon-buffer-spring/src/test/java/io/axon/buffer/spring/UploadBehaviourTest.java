package io.axon.buffer.spring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A real WebFlux application with the pooled reader, on one host (the subclasses pick Reactor Netty
 * or Jetty 12 core), driven over 127.0.0.1 by the JDK's HTTP client, WebClient and raw sockets:
 * what the handlers see, the status of every fault, and after every test each pooled byte back in
 * the pool (Netty's paranoid leak detection watches all the while: {@link NettyLeaks}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UploadBehaviourTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  static final int FIELD_LIMIT = 64 << 10;
  static final int FILE_LIMIT = 4 << 20;

  private final TestServer.Host host;
  private SlabBufferPool pool;
  private TestServer server;

  UploadBehaviourTest(TestServer.Host host) {
    this.host = host;
  }

  @BeforeAll
  void start() throws Exception {
    pool = Pools.newPool("behaviour-" + host);
    server =
        TestServer.pooled(
            host,
            pool,
            b ->
                b.maxFieldPartBytes(FIELD_LIMIT)
                    .maxFilePartBytes(FILE_LIMIT)
                    .options(MultipartOptions.builder().maxParts(50).build()));
  }

  @AfterEach
  void everyByteBack() throws InterruptedException {
    Pools.awaitClean(pool);
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    pool.close();
  }

  // ------------------------------------------------------------------- what handlers see

  @Test
  void requestPartHandlersGetFilePartsFormValuesAndTheDetectedKind() {
    byte[] bin = Bodies.png(100_000);
    MultipartBodyBuilder form = new MultipartBodyBuilder();
    form.part(
            "text",
            new ByteArrayResource("hello, text".getBytes(StandardCharsets.UTF_8)) {
              @Override
              public String getFilename() {
                return "text.txt";
              }
            })
        .contentType(MediaType.TEXT_PLAIN);
    form.part(
            "bin",
            new ByteArrayResource(bin) {
              @Override
              public String getFilename() {
                return "image.png";
              }
            })
        .contentType(MediaType.APPLICATION_OCTET_STREAM);
    form.part("note", "a note");
    String body =
        WebClient.create()
            .post()
            .uri(server.uri("/request-part"))
            .header("X-Tenant", "webclient")
            .body(BodyInserters.fromMultipartData(form.build()))
            .retrieve()
            .bodyToMono(String.class)
            .block();
    List<String> lines = UploadController.split(body);
    assertEquals(
        "text\ttext.txt\t11\t"
            + UploadController.sha256("hello, text".getBytes(StandardCharsets.UTF_8))
            + "\tfile",
        lines.get(0));
    assertEquals(
        "bin\timage.png\t100000\t" + UploadController.sha256(bin) + "\tfile", lines.get(1));
    assertEquals("note=a note", lines.get(2));
  }

  @Test
  void thePartsKindIsSniffedFromItsBytes() throws Exception {
    byte[] body =
        new Bodies()
            .file("pic", "upload.bin", "application/octet-stream", Bodies.png(5000))
            .field("plain", "just text")
            .end();
    HttpResponse<String> r = post("/kinds", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(List.of("pic\tpng", "plain\traw"), UploadController.split(r.body()));
  }

  @Test
  void contentWrittenBackAsTheResponseIsTheUploadedBytes() throws Exception {
    byte[] bin = Bodies.random(1 << 20, 7);
    byte[] body = new Bodies().file("bin", "b.bin", "application/octet-stream", bin).end();
    HttpResponse<byte[]> r =
        CLIENT.send(request("/echo", body, "acme"), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertArrayEquals(bin, r.body());
  }

  @Test
  void transferToWritesTheFileWithTheUploadedBytes() throws Exception {
    byte[] bin = Bodies.random(700_000, 8);
    byte[] body = new Bodies().file("bin", "b.bin", "application/octet-stream", bin).end();
    HttpResponse<String> r = post("/transfer", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(bin.length + "\t" + UploadController.sha256(bin), r.body().trim());
  }

  // ------------------------------------------------------------------- ignored parts

  @Test
  void partsTheHandlerIgnoresAreReleased() throws Exception {
    byte[] body =
        new Bodies()
            .file("bin", "b.bin", "application/octet-stream", Bodies.random(300_000, 1))
            .field("note", "kept")
            .file("other", "o.bin", "application/octet-stream", Bodies.random(90_000, 2))
            .end();
    HttpResponse<String> r = post("/one-part", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("note=kept", r.body().trim());
  }

  @Test
  void partsWhoseContentIsNeverReadAreReleased() throws Exception {
    byte[] body =
        new Bodies()
            .file("a", "a.bin", "application/octet-stream", Bodies.random(200_000, 3))
            .file("b", "b.bin", "application/octet-stream", Bodies.random(2000, 4))
            .field("c", "x")
            .end();
    HttpResponse<String> r = post("/count", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("3", r.body().trim());
  }

  @Test
  void aBodyTheHandlerNeverReadsTakesNoPooledMemory() throws Exception {
    long before = pool.snapshot().totalAllocatedBytes();
    byte[] body = new Bodies().file("a", "a.bin", "x/y", Bodies.random(100_000, 5)).end();
    HttpResponse<String> r = post("/ignore", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(0, pool.snapshot().liveBytes());
    assertEquals(before, pool.snapshot().totalAllocatedBytes());
  }

  // ------------------------------------------------------------------- faults

  @Test
  void aMalformedPartIs400() throws Exception {
    byte[] body =
        new Bodies()
            .file("ok", "ok.bin", "application/octet-stream", Bodies.random(50_000, 6))
            // A header line without a colon (a part without Content-Disposition is accepted since
            // issue 19, as Jetty and Commons FileUpload accept it).
            .raw("--" + Bodies.BOUNDARY + "\r\nno colon here\r\n\r\nbody\r\n")
            .end();
    assertEquals(400, post("/parts", body, "acme").statusCode());
    assertEquals(400, post("/map", body, "acme").statusCode());
  }

  @Test
  void aTruncatedBodyIs400() throws Exception {
    byte[] body =
        new Bodies()
            .file("ok", "ok.bin", "application/octet-stream", Bodies.random(150_000, 9))
            .truncated();
    assertEquals(400, post("/parts", body, "acme").statusCode());
  }

  @Test
  void aContentTypeWithoutBoundaryIs400() throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(server.uri("/parts"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
  }

  @Test
  void aFormValueOverTheFieldLimitIs413() throws Exception {
    byte[] body = new Bodies().field("big", "x".repeat(FIELD_LIMIT + 1)).end();
    assertEquals(413, post("/parts", body, "acme").statusCode());
    byte[] streamed = new Bodies().field("big", "y".repeat(FIELD_LIMIT * 3)).end();
    assertEquals(413, post("/map", streamed, "acme").statusCode());
  }

  @Test
  void aFileOverTheFileLimitIs413() throws Exception {
    byte[] body =
        new Bodies()
            .file("f", "f.bin", "application/octet-stream", Bodies.random(FILE_LIMIT + 1, 10))
            .end();
    assertEquals(413, post("/parts", body, "acme").statusCode());
  }

  @Test
  void tooManyPartsIs413() throws Exception {
    Bodies b = new Bodies();
    for (int i = 0; i < 51; i++) {
      b.field("f" + i, "v");
    }
    assertEquals(413, post("/parts", b.end(), "acme").statusCode());
  }

  @Test
  void anInvalidTenantNameIs400() throws Exception {
    byte[] body = new Bodies().field("a", "b").end();
    assertEquals(400, post("/parts", body, "t".repeat(200)).statusCode());
  }

  @Test
  void aTenantOverItsHardLimitGets429BeforeTheBody() throws Exception {
    byte[] body =
        new Bodies()
            .file("f", "f.bin", "application/octet-stream", Bodies.random(300_000, 11))
            .end();
    HttpResponse<String> r = post("/parts", body, "tiny");
    assertEquals(429, r.statusCode(), r.body());
    assertEquals(0, pool.snapshot().liveBytes());
  }

  @Test
  void aTenantThatPassesItsHardLimitMidBodyGets429() throws Exception {
    byte[] body =
        new Bodies()
            .file("f", "f.bin", "application/octet-stream", Bodies.random(300_000, 12))
            .end();
    // No Content-Length (chunked): admission lets it start, the pool refuses half-way.
    Supplier<InputStream> stream = () -> new java.io.ByteArrayInputStream(body);
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(server.uri("/parts"))
                .header("Content-Type", Bodies.CONTENT_TYPE)
                .header("X-Tenant", "tiny")
                .POST(HttpRequest.BodyPublishers.ofInputStream(stream))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(429, r.statusCode(), r.body());
  }

  @Test
  void expectContinueIsRefusedWithoutAskingForTheBody() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      http.head("/parts", Bodies.CONTENT_TYPE, 1 << 20, "X-Tenant: tiny", "Expect: 100-continue");
      String status = http.readHead();
      assertTrue(status.startsWith("HTTP/1.1 429"), status);
    }
    assertEquals(0, pool.snapshot().liveBytes());
  }

  @Test
  void expectContinueIsAnsweredWhenTheTenantIsAdmitted() throws Exception {
    byte[] body = new Bodies().field("a", "b").end();
    try (RawHttp http = new RawHttp(server.port())) {
      http.head(
          "/parts", Bodies.CONTENT_TYPE, body.length, "X-Tenant: acme", "Expect: 100-continue");
      String first = http.readHead();
      assertTrue(first.startsWith("HTTP/1.1 100"), first);
      http.send(body, 0, body.length);
      String second = http.readHead();
      assertTrue(second.startsWith("HTTP/1.1 200"), second);
    }
  }

  @Test
  void aClientThatAbortsMidUploadLeavesNothingBehind() throws Exception {
    byte[] body =
        new Bodies()
            .field("first", "done")
            .file("f", "f.bin", "application/octet-stream", Bodies.random(2 << 20, 13))
            .end();
    for (String path : new String[] {"/parts", "/map", "/count"}) {
      try (RawHttp http = new RawHttp(server.port())) {
        http.head(path, Bodies.CONTENT_TYPE, body.length, "X-Tenant: acme");
        http.send(body, 0, body.length / 3);
        // Let the server take in what was sent, so that the abort meets a part half-filled.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (pool.snapshot().liveBytes() < body.length / 4 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertTrue(pool.snapshot().liveBytes() > 0, "the server was filling a part");
        http.abort();
      }
      Pools.awaitClean(pool);
    }
  }

  // ------------------------------------------------------------------- helpers

  private HttpRequest request(String path, byte[] body, String tenant) {
    return HttpRequest.newBuilder(server.uri(path))
        .header("Content-Type", Bodies.CONTENT_TYPE)
        .header("X-Tenant", tenant)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private HttpResponse<String> post(String path, byte[] body, String tenant) throws Exception {
    return CLIENT.send(request(path, body, tenant), HttpResponse.BodyHandlers.ofString());
  }
}
