package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks {@code serve --store DIR} with path-like file names and tenant names: parent references,
 * absolute paths, Windows drive and backslash paths, NUL and other control characters (through RFC
 * 8187 {@code filename*}, since raw control bytes in headers are refused), percent- encoded
 * traversals, dot names, trailing dots and spaces, bidi overrides, device names, very long names,
 * and tenant names with {@code /}. Every file must land inside {@code DIR/<tenant folder>/}, one
 * per file part, with its exact bytes; nothing may be written anywhere else; every upload is
 * answered 200 and its memory released.
 */
class StoreAttackTest {

  static final String BOUNDARY = "attack-5b2e";

  @TempDir Path root;
  private Path store;
  private SlabBufferPool pool;
  private IngestServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    store = Files.createDirectories(root.resolve("store"));
    pool = SlabBufferPool.builder().name("store-attack").build();
    server =
        IngestServer.start(
            0, pool, MultipartOptions.defaults(), store, ServeLimits.defaults().withThreads(2));
  }

  @AfterEach
  void stop() {
    server.close();
    assertEquals(0, pool.snapshot().liveBytes(), "every request's memory went back");
    pool.close();
  }

  /** A part whose Content-Disposition parameters are given raw (quoted or extended). */
  static void part(ByteArrayOutputStream out, String dispositionParams, byte[] content) {
    out.writeBytes(
        ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; " + dispositionParams + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  static String quoted(String filename) {
    return "name=\"f\"; filename=\"" + filename.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String extended(String percentEncoded) {
    return "name=\"f\"; filename*=UTF-8''" + percentEncoded;
  }

  HttpResponse<String> upload(String tenant, List<String> params, List<byte[]> contents)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < params.size(); i++) {
      part(out, params.get(i), contents.get(i));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
            .header("X-Tenant", tenant)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void hostileFileAndTenantNamesNeverLeaveTheStore() throws Exception {
    List<String> names =
        new ArrayList<>(
            List.of(
                quoted("../../../../../../tmp/evil-parent"),
                quoted("/etc/passwd"),
                quoted("C:\\Windows\\System32\\evil.dll"),
                quoted("..\\..\\..\\evil-backslash"),
                quoted("C:evil-drive-relative"),
                quoted("\\\\server\\share\\evil-unc"),
                quoted("."),
                quoted(".."),
                quoted("..."),
                quoted("   "),
                quoted("dir/"),
                quoted("evil. . ."),
                quoted("\u202Egpj.exe"),
                quoted("CON"),
                quoted("x".repeat(1000) + ".bin"),
                quoted("é".repeat(300) + ".txt"),
                extended("%2e%2e%2f%2e%2e%2fevil-encoded"),
                extended("a%00b%0d%0a.txt"),
                extended("%2Fabsolute-encoded"),
                extended("..%5C..%5Cevil-encoded-backslash")));
    List<String> tenants =
        List.of("../../escape", "/abs/tenant", "a/b", "..", ".", "C:\\x", "t".repeat(128));
    int tenantIndex = 0;
    for (int batch = 0; batch < names.size(); batch += 3) {
      List<String> params = names.subList(batch, Math.min(names.size(), batch + 3));
      List<byte[]> contents = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        contents.add(("content of part " + (batch + i)).getBytes(StandardCharsets.US_ASCII));
      }
      String tenant = tenants.get(tenantIndex++ % tenants.size());
      HttpResponse<String> r = upload(tenant, params, contents);
      assertEquals(200, r.statusCode(), params + " / " + tenant + ": " + r.body());
      List<?> parts = (List<?>) JsonReader.object(r.body()).get("parts");
      assertEquals(params.size(), parts.size());
      String folder = PartStore.safeDirName(tenant);
      for (int i = 0; i < parts.size(); i++) {
        String storedAs = (String) ((Map<?, ?>) parts.get(i)).get("storedAs");
        assertNotNull(storedAs, params.get(i) + " was not stored");
        Path file = store.resolve(storedAs).normalize();
        assertTrue(file.startsWith(store), storedAs + " escapes the store");
        assertEquals(store.resolve(folder), file.getParent(), storedAs + " is not in " + folder);
        assertTrue(file.getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= 255);
        assertArrayEquals(contents.get(i), Files.readAllBytes(file), storedAs);
      }
    }
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> written = files.filter(Files::isRegularFile).collect(Collectors.toList());
      assertEquals(names.size(), written.size(), written.toString());
      assertTrue(written.stream().allMatch(f -> f.startsWith(store)), written.toString());
    }
    try (Stream<Path> dirs = Files.list(store)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        assertTrue(
            Files.isDirectory(d) && !d.getFileName().toString().matches("\\.+"),
            "tenant folder " + d);
      }
    }
  }
}
