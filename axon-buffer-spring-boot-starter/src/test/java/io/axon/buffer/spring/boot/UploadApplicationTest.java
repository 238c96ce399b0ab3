package io.axon.buffer.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.spring.boot.testapp.UploadApp;
import io.axon.buffer.testing.PoolAssertions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application (WebFlux on Reactor Netty, Actuator with Prometheus) with the
 * starter on its class path and nothing else configured: an upload's part is a pooled part billed
 * to the {@code X-Tenant} header's tenant, {@code /actuator/prometheus} shows that tenant's live
 * bytes while the application holds the part, a tenant over its hard limit gets 429, a cut body
 * gets 400, and every byte goes back to the pool.
 */
class UploadApplicationTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String BOUNDARY = "boot-test-boundary";

  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    app =
        new SpringApplication(UploadApp.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=prometheus",
                "--axon.buffer.tenants.tiny.hard-limit=64KB");
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aHeldPartShowsAsItsTenantsLiveBytesInPrometheus() throws Exception {
    SlabBufferPool pool = app.getBean(SlabBufferPool.class);
    byte[] body = body("file", "data.bin", new byte[100_000]);
    HttpResponse<String> r = post("/hold/acme-1", body, "acme");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("PooledFilePart acme 100000", r.body());

    // The binder reuses one snapshot for a second (one per scrape): scrape as Prometheus does,
    // again, until the snapshot is newer than the upload.
    Pattern acme =
        Pattern.compile("axon_buffer_tenant_live_bytes\\{[^}]*tenant=\"acme\"[^}]*} (\\S+)");
    String scrape = scrape();
    Matcher m = acme.matcher(scrape);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!m.find() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      scrape = scrape();
      m = acme.matcher(scrape);
    }
    m = acme.matcher(scrape);
    assertTrue(m.find(), scrape);
    assertTrue(Double.parseDouble(m.group(1)) >= 100_000, m.group());

    UploadApp.HELD.remove("acme-1").close();
    awaitNoLiveBytes(pool);
  }

  @Test
  void aTenantOverItsHardLimitGets429() throws Exception {
    HttpResponse<String> r =
        post("/hold/tiny-1", body("file", "big.bin", new byte[200_000]), "tiny");
    assertEquals(429, r.statusCode(), r.body());
    awaitNoLiveBytes(app.getBean(SlabBufferPool.class));
  }

  @Test
  void aBodyCutBeforeItsClosingBoundaryGets400() throws Exception {
    byte[] whole = body("file", "cut.bin", new byte[50_000]);
    byte[] cut = Arrays.copyOf(whole, whole.length - 20);
    HttpResponse<String> r = post("/hold/cut-1", cut, "acme");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(UploadApp.HELD.isEmpty(), UploadApp.HELD.toString());
    awaitNoLiveBytes(app.getBean(SlabBufferPool.class));
  }

  private static String scrape() throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void awaitNoLiveBytes(SlabBufferPool pool) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pool.snapshot().liveBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    PoolAssertions.assertNoLiveBytes(pool);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> post(String path, byte[] body, String tenant)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .header("X-Tenant", tenant)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] body(String name, String filename, byte[] content) {
    byte[] head =
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\""
                + name
                + "\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(content, 0, out, head.length, content.length);
    System.arraycopy(tail, 0, out, head.length + content.length, tail.length);
    return out;
  }
}
