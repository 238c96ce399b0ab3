package org.example.axon.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application, run as a user runs it (its own application.properties, port 0): a file
 * and a note, a real JPEG sniffed as jpeg, a tenant over its hard limit refused, the pool's meters
 * in /actuator/prometheus, and every byte back in the pool.
 */
class UploadApplicationTest {

  private static final String BOUNDARY = "example-boundary-17";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    app =
        SpringApplication.run(
            UploadApplication.class,
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--axon.buffer.tenants.tiny.hard-limit=64KB");
    // (Boot 3.5 and 4.0 alike: the same test runs in examples/spring-upload-boot3.)
    port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void runsOnTheSpringBootThePomNames() {
    // Set by surefire from the pom's spring-boot.version (4.0.x here, 3.5.x in
    // spring-upload-boot3).
    assertEquals(
        System.getProperty("expected.spring-boot.version"), SpringBootVersion.getVersion());
  }

  @Test
  void aFileAndANoteAreReadThroughContent() throws Exception {
    byte[] file = new byte[300_000];
    new Random(17).nextBytes(file);
    HttpResponse<String> r =
        post(
            "/upload",
            "acme",
            form(
                part("note", null, "hello".getBytes(StandardCharsets.UTF_8)),
                part("file", "f.bin", file)));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "hello: f.bin sha256="
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file))
            + "\n",
        r.body());
    assertNoLiveBytes();
  }

  @Test
  void aPhotoIsSniffedAndBilledToItsTenant() throws Exception {
    byte[] jpeg = Files.readAllBytes(Path.of("../../samples/photo.jpg"));
    HttpResponse<String> r = post("/photo", "studio", form(part("photo", "photo.jpg", jpeg)));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("photo.jpg kind=jpeg size=" + jpeg.length + " tenant=studio\n", r.body());
    assertNoLiveBytes();
  }

  @Test
  void aTenantOverItsHardLimitGets429() throws Exception {
    // "tiny" may hold 64KB (set below, beside application.properties' limits): a 200 KB upload
    // is refused from its Content-Length, before the body is read.
    HttpResponse<String> r =
        post("/upload", "tiny", form(part("file", "big.bin", new byte[200_000])));
    assertEquals(429, r.statusCode(), r.body());
    assertNoLiveBytes();
  }

  @Test
  void thePoolsMetersAreInPrometheus() throws Exception {
    post(
        "/photo",
        "studio",
        form(part("photo", "p.jpg", Files.readAllBytes(Path.of("../../samples/photo.jpg")))));
    assertNoLiveBytes();
    // The binder reuses one snapshot for a second (one per scrape): scrape again, as Prometheus
    // does, until the snapshot is newer than the upload.
    String scrape = scrape();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!scrape.contains("axon_buffer_pool_live_bytes{pool=\"axon\"} 0.0")
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      scrape = scrape();
    }
    // The pool's meters, and the per-tenant family (a tenant has its own series while the pool
    // bills it something; the starter's own test scrapes while a part is held).
    assertTrue(scrape.contains("axon_buffer_pool_live_bytes{pool=\"axon\"} 0.0"), scrape);
    assertTrue(scrape.contains("axon_buffer_tenant_live_bytes{"), scrape);
  }

  private static String scrape() throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void assertNoLiveBytes() throws InterruptedException {
    SlabBufferPool pool = app.getBean(SlabBufferPool.class);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pool.snapshot().liveBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, pool.snapshot().liveBytes(), pool.snapshot().toString());
  }

  private static HttpResponse<String> post(String path, String tenant, byte[] body)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .header("X-Tenant", tenant)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] part(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\""
            + (filename == null ? "" : "; filename=\"" + filename + "\"")
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] form(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }
}
