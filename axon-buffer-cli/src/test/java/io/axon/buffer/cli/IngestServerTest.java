package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.sample;
import static io.axon.buffer.cli.Cli.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.cli.stream.StreamOptions;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest endpoint in-process, over real HTTP on 127.0.0.1. */
class IngestServerTest {

  static final String BOUNDARY = "axon-test-boundary-7MA4YWxkTrZu0gW";

  @TempDir Path root;
  private Path store;

  private SlabBufferPool pool;
  private IngestServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    store = Files.createDirectories(root.resolve("store"));
    restart(ServeLimits.defaults().withThreads(4).withTenants(8, Duration.ofMinutes(5)));
  }

  /** A new pool with the tenant rules of {@code limits}, and a server on it. */
  private void restart(ServeLimits limits) throws IOException {
    if (server != null) {
      server.close();
      pool.close();
    }
    pool =
        limits
            .applyTenantRules(
                SlabBufferPool.builder().name("serve-test").hardLimit("tiny", 256 * 1024))
            .build();
    server =
        IngestServer.start(
            0, pool, MultipartOptions.builder().maxPartBytes(2 << 20).build(), store, limits);
  }

  @AfterEach
  void stop() {
    server.close();
    assertEquals(0, pool.snapshot().liveBytes(), "every request's memory went back to the pool");
    pool.close();
  }

  /** A multipart body: each part is {name, filename or null, content type or null, bytes}. */
  static byte[] body(Object[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object[] p : parts) {
      StringBuilder h =
          new StringBuilder(
              "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + p[0] + "\"");
      if (p[1] != null) {
        h.append("; filename=\"")
            .append(((String) p[1]).replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
      h.append("\r\n");
      if (p[2] != null) {
        h.append("Content-Type: ").append(p[2]).append("\r\n");
      }
      h.append("\r\n");
      out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes((byte[]) p[3]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private HttpResponse<String> post(String tenant, String contentType, byte[] body)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (tenant != null) {
      r.header("X-Tenant", tenant);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String tenant, byte[] body) throws Exception {
    return post(tenant, "multipart/form-data; boundary=" + BOUNDARY, body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void uploadAnswersKindSizeAndDigestOfEachPart() throws Exception {
    String contentType =
        new String(bytes(sample("upload.headers")), StandardCharsets.US_ASCII)
            .substring("Content-Type:".length())
            .trim();
    HttpResponse<String> r = post("acme", contentType, bytes(sample("upload.body")));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    Map<String, Object> answer = JsonReader.object(r.body());
    assertEquals("acme", answer.get("tenant"));
    List<?> parts = (List<?>) answer.get("parts");
    assertEquals(4, parts.size());
    Map<?, ?> voice = (Map<?, ?>) parts.get(1);
    assertEquals("mulaw8", voice.get("kind"));
    assertEquals(sha256(bytes(sample("hello-8k.ul"))), voice.get("sha256"));
    Map<?, ?> photo = (Map<?, ?>) parts.get(2);
    assertEquals("jpeg", photo.get("kind"));
    assertEquals((long) bytes(sample("photo.jpg")).length, photo.get("size"));
  }

  @Test
  void withDigestNoneTheAnswerCarriesNoSha256() throws Exception {
    server.close();
    server =
        IngestServer.start(
            0,
            pool,
            MultipartOptions.builder().build(),
            null,
            ServeLimits.defaults().withThreads(2),
            StreamOptions.defaults(),
            PartLine.Digest.NONE);
    byte[] jpeg = bytes(sample("photo.jpg"));
    HttpResponse<String> r = upload("acme", body(new Object[] {"f", "p.jpg", null, jpeg}));
    assertEquals(200, r.statusCode(), r.body());
    Map<?, ?> part = (Map<?, ?>) ((List<?>) JsonReader.object(r.body()).get("parts")).get(0);
    assertEquals("jpeg", part.get("kind"));
    assertEquals((long) jpeg.length, part.get("size"));
    assertFalse(part.containsKey("sha256"), part.toString());
  }

  @Test
  void withoutXTenantTheAnonymousTenantPays() throws Exception {
    HttpResponse<String> r =
        upload(null, body(new Object[] {"f", null, null, "x".getBytes(StandardCharsets.US_ASCII)}));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(IngestServer.DEFAULT_TENANT, JsonReader.object(r.body()).get("tenant"));
  }

  @Test
  void metricsAreMicrometersPrometheusRegistryWithThePoolAndTheJvm() throws Exception {
    upload("acme", body(new Object[] {"photo", "p.jpg", "image/jpeg", bytes(sample("photo.jpg"))}));
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    Scrape s = Scrape.of(r.body()); // fails on a line that is not a sample
    assertTrue(s.has("axon_buffer_pool_live_bytes", "pool", "serve-test"), r.body());
    assertEquals(0, s.sum("axon_buffer_pool_live_bytes"), "the upload's memory went back");
    assertTrue(s.sum("axon_buffer_pool_misses_total", "class", "small") > 0, r.body());
    assertEquals(0, s.sum("axon_buffer_tenant_live_bytes", "tenant", "acme"));
    assertTrue(s.has("axon_buffer_tenant_live_bytes", "tenant", "acme"), "listed while admitted");
    // The JVM binders, under Micrometer's standard names.
    assertTrue(s.sum("jvm_memory_used_bytes", "area", "heap") > 0, r.body());
    assertTrue(s.has("jvm_buffer_memory_used_bytes", "id", "direct"), r.body());
    assertTrue(s.has("jvm_gc_memory_allocated_bytes_total"), r.body());
    assertTrue(s.sum("jvm_threads_live_threads") > 0, r.body());
    assertTrue(s.has("axon_buffer_serve_slow_clients_closed_total", "phase", "head"), r.body());
    assertTrue(s.has("axon_buffer_serve_slow_clients_closed_total", "phase", "body"), r.body());
  }

  @Test
  void metricsNegotiateOpenMetricsFromTheAcceptHeader() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    String type = r.headers().firstValue("Content-Type").orElseThrow();
    assertTrue(type.startsWith("application/openmetrics-text"), type);
    assertTrue(r.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    // A counter family has no _total in OpenMetrics; its sample has.
    assertTrue(r.body().contains("# TYPE axon_buffer_pool_misses counter\n"), r.body());
  }

  @Test
  void tenantNamesAreEscapedInTheScrape() throws Exception {
    String tenant = "we\"ird\\name";
    assertEquals(
        200, upload(tenant, body(new Object[] {"f", "a.bin", null, new byte[10]})).statusCode());
    String text = get("/metrics").body();
    assertTrue(text.contains("tenant=\"we\\\"ird\\\\name\""), text);
    assertTrue(Scrape.of(text).has("axon_buffer_tenant_live_bytes", "tenant", tenant), text);
  }

  @Test
  void aTenantsSeriesLeaveTheScrapeWithItsSlot() throws Exception {
    restart(ServeLimits.defaults().withThreads(2).withTenants(8, Duration.ofMillis(50)));
    assertEquals(
        200, upload("brief", body(new Object[] {"f", "a.bin", null, new byte[10]})).statusCode());
    assertTrue(
        Scrape.of(get("/metrics").body()).has("axon_buffer_tenant_live_bytes", "tenant", "brief"));
    String text = null;
    for (int i = 0; i < 100; i++) {
      Thread.sleep(100);
      text = get("/metrics").body();
      if (!text.contains("tenant=\"brief\"")) {
        break;
      }
    }
    assertTrue(!text.contains("tenant=\"brief\""), "evicted with its series: " + text);
    assertEquals(0, Scrape.of(text).sum("axon_buffer_pool_tenants"), text);
  }

  @Test
  void kindsAndUnknownRoutes() throws Exception {
    HttpResponse<String> kinds = get("/kinds");
    assertEquals(200, kinds.statusCode());
    List<?> list = (List<?>) JsonReader.parse(kinds.body());
    assertTrue(
        list.stream().anyMatch(k -> "jpeg".equals(((Map<?, ?>) k).get("kind"))), kinds.body());
    assertEquals(404, get("/nowhere").statusCode());
    HttpResponse<String> getUpload = get("/upload");
    assertEquals(405, getUpload.statusCode());
    assertEquals("POST", getUpload.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void badRequestsGetTheirStatusAndAJsonError() throws Exception {
    byte[] good = body(new Object[] {"f", "a.bin", null, new byte[100]});
    assertEquals(415, post("acme", "text/plain", good).statusCode());
    HttpResponse<String> noBoundary = post("acme", "multipart/form-data", good);
    assertEquals(400, noBoundary.statusCode());
    assertEquals("INVALID_BOUNDARY", JsonReader.object(noBoundary.body()).get("fault"));

    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
    HttpResponse<String> cut = upload("acme", truncated);
    assertEquals(400, cut.statusCode());
    assertEquals("TRUNCATED", JsonReader.object(cut.body()).get("fault"));

    HttpResponse<String> tooBig =
        upload("acme", body(new Object[] {"f", "big.bin", null, new byte[(2 << 20) + 1]}));
    assertEquals(413, tooBig.statusCode(), tooBig.body());
    Map<String, Object> error = JsonReader.object(tooBig.body());
    assertEquals("LIMIT_EXCEEDED", error.get("fault"));
    assertEquals((long) (2 << 20), error.get("limitValue"));

    HttpResponse<String> overTenant =
        upload("tiny", body(new Object[] {"f", "big.bin", null, new byte[1 << 20]}));
    assertEquals(429, overTenant.statusCode(), overTenant.body());
    assertEquals("TENANT_LIMIT_EXCEEDED", JsonReader.object(overTenant.body()).get("fault"));

    HttpResponse<String> badTenant = upload("t".repeat(200), good);
    assertEquals(400, badTenant.statusCode());
    assertEquals("InvalidTenant", JsonReader.object(badTenant.body()).get("error"));

    assertEquals(200, upload("acme", good).statusCode(), "the server still serves after errors");
  }

  @Test
  void aClientInventingTenantNamesIsRefusedPastMaxTenants() throws Exception {
    restart(ServeLimits.defaults().withThreads(4).withTenants(3, Duration.ofMinutes(5)));
    byte[] good = body(new Object[] {"f", "a.bin", null, new byte[5000]});
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String tenant = "t" + i;
      answers.add(clients.submit(() -> upload(tenant, good)));
    }
    List<String> admitted = new java.util.ArrayList<>();
    int refused = 0;
    for (java.util.concurrent.Future<HttpResponse<String>> f : answers) {
      HttpResponse<String> r = f.get();
      Map<String, Object> json = JsonReader.object(r.body());
      if (r.statusCode() == 200) {
        admitted.add((String) json.get("tenant"));
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("TooManyTenants", json.get("error"));
        assertTrue(((String) json.get("message")).contains("maximum of 3 tenants"), r.body());
        refused++;
      }
    }
    clients.shutdown();
    assertEquals(
        3,
        admitted.size(),
        "exactly --max-tenants tenants admitted under concurrent first uploads");
    assertEquals(21, refused);

    for (String tenant : admitted) {
      assertEquals(200, upload(tenant, good).statusCode(), "admitted tenants keep being served");
    }
    assertEquals(429, upload("one-more", good).statusCode());
    assertEquals(400, upload("t".repeat(200), good).statusCode(), "an invalid name is still a 400");
    String metrics = get("/metrics").body();
    List<String> listed =
        Scrape.of(metrics).samples().stream()
            .filter(x -> x.name().equals("axon_buffer_tenant_live_bytes"))
            .map(x -> x.labels().get("tenant"))
            .filter(t -> !t.equals("_other"))
            .sorted()
            .collect(Collectors.toList());
    assertEquals(
        admitted.stream().sorted().collect(Collectors.toList()),
        listed,
        "only the admitted tenants are billed and listed: " + metrics);
  }

  @Test
  void storedFilesGetSafeNamesInsideTheStore() throws Exception {
    byte[] jpeg = bytes(sample("photo.jpg"));
    HttpResponse<String> r =
        upload(
            "../../acme",
            body(
                new Object[] {"a", "../../../../etc/evil.jpg", "image/jpeg", jpeg},
                new Object[] {
                  "b", "C:\\Windows\\win.ini", null, "ini".getBytes(StandardCharsets.US_ASCII)
                },
                new Object[] {"c", "..", null, "dots".getBytes(StandardCharsets.US_ASCII)},
                new Object[] {
                  "note", null, null, "not a file".getBytes(StandardCharsets.US_ASCII)
                }));
    assertEquals(200, r.statusCode(), r.body());
    List<?> parts = (List<?>) JsonReader.object(r.body()).get("parts");
    List<String> storedAs =
        parts.stream()
            .map(p -> (String) ((Map<?, ?>) p).get("storedAs"))
            .collect(Collectors.toList());
    assertEquals(4, storedAs.size());
    assertTrue(storedAs.get(0).matches("\\.\\._\\.\\._acme/\\d+-evil\\.jpg"), storedAs.toString());
    assertTrue(storedAs.get(1).matches("\\.\\._\\.\\._acme/\\d+-win\\.ini"), storedAs.toString());
    assertTrue(storedAs.get(2).matches("\\.\\._\\.\\._acme/\\d+-part2"), storedAs.toString());
    assertEquals(null, storedAs.get(3), "plain fields are not stored");
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> written =
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.startsWith(store))
              .collect(Collectors.toList());
      assertTrue(written.isEmpty(), "nothing written outside the store: " + written);
    }
    assertEquals(sha256(jpeg), sha256(Files.readAllBytes(store.resolve(storedAs.get(0)))));
  }

  @Test
  void tenantFolderNamesAreReducedToSafeCharacters() {
    assertEquals("acme", PartStore.safeDirName("acme"));
    assertEquals(".._x", PartStore.safeDirName("../x"));
    assertEquals("__", PartStore.safeDirName(".."));
    assertEquals("_", PartStore.safeDirName("."));
    assertEquals("a_b_c", PartStore.safeDirName("a b\\c"));
  }
}
