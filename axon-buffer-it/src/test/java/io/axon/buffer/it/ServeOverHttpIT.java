package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code serve} command (the shaded JAR, in its own 64 MiB JVM, with the DICOM plugin loaded
 * from a {@code --plugins} folder) taking chunked multipart uploads from {@link HttpClient} over
 * real HTTP: each part comes back with the right kind (the plugin's included) and SHA-256, and
 * {@code /metrics} shows the pool's live bytes back at 0, overall and per tenant.
 */
class ServeOverHttpIT {

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Samples of four kinds, a form field and a random part of 3 MiB + {@code seed}. */
  static UploadBody body(int seed) {
    return new UploadBody("serve-it-" + seed)
        .field("caller", "4711-" + seed)
        .file("photo", "photo.jpg", "image/jpeg", ItEnv.bytes(ItEnv.sample("photo.jpg")))
        .file(
            "scan",
            "gradient.dcm",
            "application/dicom",
            ItEnv.bytes(ItEnv.dicomSample("gradient-rgb-explicit.dcm")))
        .file("voice", "hello-8k.ul", "audio/basic", ItEnv.bytes(ItEnv.sample("hello-8k.ul")))
        .file(
            "recording",
            "call.bin",
            "application/octet-stream",
            UploadBody.random((3 << 20) + seed, seed));
  }

  static final List<String> KINDS = List.of("raw", "jpeg", "dicom", "mulaw8", "raw");

  /** POSTs {@code body} chunked to {@code base + "/upload"} as {@code tenant}. */
  static CompletableFuture<HttpResponse<String>> upload(
      URI base, String tenant, UploadBody body, long seed) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(base.resolve("/upload"))
            .timeout(Duration.ofSeconds(60))
            .header("X-Tenant", tenant)
            .header("Content-Type", body.contentType())
            .POST(body.chunked(seed))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The answer names every part as sent, with its kind, size and SHA-256. */
  static void assertAnswer(HttpResponse<String> r, String tenant, UploadBody body) {
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(tenant, PluginDropInIT.field(r.body(), "tenant"), r.body());
    String[] parts = r.body().split("\\{\"field\"");
    List<UploadBody.Expected> expected = body.expected();
    assertEquals(expected.size(), parts.length - 1, r.body());
    for (int i = 0; i < expected.size(); i++) {
      String part = "{\"field\"" + parts[i + 1];
      UploadBody.Expected e = expected.get(i);
      assertEquals(e.field(), PluginDropInIT.field(part, "field"), part);
      assertEquals(KINDS.get(i), PluginDropInIT.field(part, "kind"), part);
      assertEquals(Integer.toString(e.size()), PluginDropInIT.field(part, "size"), part);
      assertEquals(e.sha256(), PluginDropInIT.field(part, "sha256"), part);
    }
  }

  static String get(URI base, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  /**
   * The value of the first sample of a series in /metrics, or -1 when it is absent: {@code name} or
   * {@code name{k="v"}}, matched by name and by that label among the sample's others (serve's
   * Micrometer registry adds {@code pool="serve"}; values are written as doubles).
   */
  static long metric(String metrics, String series) {
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    String label = brace < 0 ? "" : series.substring(brace + 1, series.length() - 1);
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.substring(name.length(), l.lastIndexOf(' ')).contains(label))
        .findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElse(-1L);
  }

  /** Uploads from two tenants at once through {@code base}, then checks /metrics there. */
  static void uploadAndCheck(URI base) throws Exception {
    List<UploadBody> bodies = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      UploadBody b = body(i);
      bodies.add(b);
      answers.add(upload(base, "tenant-" + (i % 2), b, i));
    }
    for (int i = 0; i < bodies.size(); i++) {
      assertAnswer(answers.get(i).get(2, TimeUnit.MINUTES), "tenant-" + (i % 2), bodies.get(i));
    }
    String metrics = get(base, "/metrics");
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
    assertEquals(0, metric(metrics, "axon_buffer_tenant_live_bytes{tenant=\"tenant-0\"}"), metrics);
    assertEquals(0, metric(metrics, "axon_buffer_tenant_live_bytes{tenant=\"tenant-1\"}"), metrics);
    assertTrue(
        metric(metrics, "axon_buffer_pool_system_allocated_bytes_total") >= 3 << 20, metrics);
    assertTrue(get(base, "/kinds").contains("\"dicom\""), "the plugin's kind is served");
  }

  @Test
  void chunkedUploadsToServeWithAPluginArriveIntactAndReleaseTheirMemory() throws Exception {
    Path plugins = Builds.folderWith("serve-plugins", ItEnv.dicomPlugin());
    ServeProcess serve =
        ServeProcess.start("--plugins", plugins.toString(), "serve", "--port", "0");
    String stderr;
    try {
      uploadAndCheck(URI.create("http://127.0.0.1:" + serve.port()));
    } finally {
      stderr = serve.stop();
    }
    assertTrue(stderr.contains("axon-buffer serve: stopped; 0 live bytes left"), stderr);
    assertFalse(stderr.contains("plugin problem"), stderr);
  }
}
