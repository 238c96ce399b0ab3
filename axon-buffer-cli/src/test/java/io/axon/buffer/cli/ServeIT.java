package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.sample;
import static io.axon.buffer.cli.Cli.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code axon-buffer serve} in its own JVM (small heap), driven over real HTTP by the JDK's {@link
 * HttpClient}: uploads, a 50 MiB streamed upload, concurrent tenants, limits, a client that
 * disconnects, metrics, and a clean stop.
 */
class ServeIT {

  private static final String BOUNDARY = "serve-it-7d1a9c";
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Process server;
  private final ByteArrayOutputStream serverErr = new ByteArrayOutputStream();
  private Thread errPump;
  private int port;

  /** Starts {@code serve --port 0} with a 64 MiB heap and waits for its port. */
  private void start(String... options) throws IOException {
    startWith(List.of(), options);
  }

  /** As {@link #start}, the java command run through {@code launcher} (e.g. {@code env ...}). */
  private void startWith(List<String> launcher, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(List.of(options));
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        JarProcess.command(
            List.of("-Xmx64m", "-XX:MaxDirectMemorySize=256m"), args.toArray(new String[0])));
    server = new ProcessBuilder(command).start();
    errPump = JarProcess.pump(server.getErrorStream(), serverErr);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = LISTENING.matcher(String.valueOf(line));
    if (!m.find()) {
      throw new AssertionError("serve did not start: " + line + " / " + serverErr);
    }
    port = Integer.parseInt(m.group(1));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null && server.isAlive()) {
      // SIGTERM, like Ctrl-C's SIGINT: the shutdown hook stops the server. (Process.destroy() would
      // also close our ends of its pipes, losing what it prints while it stops.)
      server.toHandle().destroy();
      assertTrue(server.waitFor(20, TimeUnit.SECONDS), "serve stops on SIGTERM");
      errPump.join(5000);
      String err;
      synchronized (serverErr) {
        err = serverErr.toString(StandardCharsets.UTF_8);
      }
      assertTrue(err.contains("axon-buffer serve: stopped; 0 live bytes left"), err);
    }
  }

  private static byte[] part(String name, String filename, String contentType) {
    StringBuilder h =
        new StringBuilder(
            "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"");
    if (filename != null) {
      h.append("; filename=\"").append(filename).append('"');
    }
    h.append("\r\n");
    if (contentType != null) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] close() {
    return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] body(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(part(name, filename, null));
    out.writeBytes(content);
    out.writeBytes(close());
    return out.toByteArray();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60));
  }

  private HttpResponse<String> upload(String tenant, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(
        request("/upload")
            .header("X-Tenant", tenant)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return http.send(request("/metrics").build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of one sample line of /metrics, or 0 when the series is absent. */
  private static long metric(String text, String series) {
    return ServeProcess.metric(text, series);
  }

  private static List<String> nonZeroTenants(String metrics) {
    List<String> out = new ArrayList<>();
    for (Scrape.Sample s : Scrape.of(metrics).samples()) {
      if (s.name().equals("axon_buffer_tenant_live_bytes") && s.value() != 0) {
        out.add(s.toString());
      }
    }
    return out;
  }

  @Test
  void uploadsTheSampleBodyAndServesMetricsAndKinds() throws Exception {
    start();
    String contentType =
        new String(bytes(sample("upload.headers")), StandardCharsets.US_ASCII)
            .substring("Content-Type:".length())
            .trim();
    HttpResponse<String> r =
        http.send(
            request("/upload")
                .header("X-Tenant", "acme")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(sample("upload.body"))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    List<?> parts = (List<?>) JsonReader.object(r.body()).get("parts");
    assertEquals(sha256(bytes(sample("photo.jpg"))), ((Map<?, ?>) parts.get(2)).get("sha256"));
    String metrics = metrics();
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
    assertTrue(metric(metrics, "axon_buffer_pool_system_allocated_bytes_total") > 0, metrics);
    assertEquals(
        200,
        http.send(request("/kinds").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void aFiftyMibStreamedUploadDoesNotGoThroughTheHeap() throws Exception {
    start(); // -Xmx64m: a server that buffered the body on the heap would fail with
    // OutOfMemoryError
    long size = 50L << 20;
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HttpRequest.BodyPublisher streamed =
        HttpRequest.BodyPublishers.ofInputStream(
            () -> {
              digest.reset();
              InputStream payload = new DigestInputStream(new RandomBytes(size, 50), digest);
              return new SequenceInputStream(
                  java.util.Collections.enumeration(
                      List.of(
                          new ByteArrayInputStream(
                              part("recording", "call.bin", "application/octet-stream")),
                          payload,
                          new ByteArrayInputStream(close()))));
            }); // no length: sent with chunked transfer encoding
    HttpResponse<String> r = upload("voice-gw", streamed);
    assertEquals(200, r.statusCode(), r.body() + serverErr);
    Map<?, ?> part = (Map<?, ?>) ((List<?>) JsonReader.object(r.body()).get("parts")).get(0);
    assertEquals(size, part.get("size"));
    assertEquals(HexFormat.of().formatHex(digest.digest()), part.get("sha256"));
    String metrics = metrics();
    assertTrue(metric(metrics, "jvm_memory_used_bytes{area=\"heap\"}") < 50L << 20, metrics);
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
  }

  @Test
  void concurrentTenantsAllReturnToZeroLiveBytes() throws Exception {
    start();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String tenant = "tenant-" + (i % 4);
        byte[] content = new byte[(i % 3 + 1) * 700_000 + i];
        new Random(i).nextBytes(content);
        expected.add(sha256(content));
        byte[] body = body("file", "f" + i + ".bin", content);
        responses.add(
            clients.submit(() -> upload(tenant, HttpRequest.BodyPublishers.ofByteArray(body))));
      }
      for (int i = 0; i < responses.size(); i++) {
        HttpResponse<String> r = responses.get(i).get(2, TimeUnit.MINUTES);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> answer = JsonReader.object(r.body());
        assertEquals("tenant-" + (i % 4), answer.get("tenant"));
        assertEquals(
            expected.get(i), ((Map<?, ?>) ((List<?>) answer.get("parts")).get(0)).get("sha256"));
      }
    } finally {
      clients.shutdownNow();
    }
    String metrics = metrics();
    assertEquals(List.of(), nonZeroTenants(metrics), metrics);
    for (int t = 0; t < 4; t++) {
      assertTrue(
          Scrape.of(metrics).has("axon_buffer_tenant_live_bytes", "tenant", "tenant-" + t),
          "listed at 0 while admitted: " + metrics);
    }
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
  }

  @Test
  void limitsAnswer413And429AndTheServerGoesOn() throws Exception {
    start("--max-part", "1m", "--tenant-hard-limit", "2m");
    HttpResponse<String> tooLarge =
        upload(
            "acme",
            HttpRequest.BodyPublishers.ofByteArray(
                body("file", "big.bin", new byte[(1 << 20) + 1])));
    assertEquals(413, tooLarge.statusCode(), tooLarge.body());
    assertEquals("LIMIT_EXCEEDED", JsonReader.object(tooLarge.body()).get("fault"));

    // A request holds one part at a time (each is released once digested), so only uploads
    // running in parallel can take the tenant past its 2 MiB hard limit.
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] body = body("file", "f.bin", new byte[1000 * 1024]);
        responses.add(
            clients.submit(
                () ->
                    upload(
                        "greedy",
                        HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(body)))));
      }
      int refused = 0;
      for (Future<HttpResponse<String>> f : responses) {
        HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 429, r.statusCode() + " " + r.body());
        if (r.statusCode() == 429) {
          refused++;
          assertEquals("TENANT_LIMIT_EXCEEDED", JsonReader.object(r.body()).get("fault"));
        }
      }
      assertTrue(refused > 0, "eight parallel 1000 KiB parts cannot all fit under 2 MiB");
    } finally {
      clients.shutdownNow();
    }
    String metrics = metrics();
    assertTrue(
        metric(metrics, "axon_buffer_tenant_hard_limit_refusals_total{tenant=\"greedy\"}") > 0,
        metrics);
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
    assertEquals(
        200,
        upload("acme", HttpRequest.BodyPublishers.ofByteArray(body("f", null, new byte[10])))
            .statusCode());
  }

  @Test
  void aLowHardLimitStillAnswers413ForAnOverLimitPartAnd200UnderBothLimits() throws Exception {
    // Memory is billed by the capacity of the pooled pieces: a part past its first 64 KiB piece
    // must not ask for a 1 MiB one when --max-part leaves it 36 KiB (that was a 429 for both).
    start("--max-part", "100k", "--tenant-hard-limit", "200k");
    HttpResponse<String> fits =
        upload(
            "lean",
            HttpRequest.BodyPublishers.ofByteArray(body("file", "fits.bin", new byte[90 * 1024])));
    assertEquals(200, fits.statusCode(), fits.body());
    assertEquals(
        90L * 1024,
        ((Map<?, ?>) ((List<?>) JsonReader.object(fits.body()).get("parts")).get(0)).get("size"));

    HttpResponse<String> tooLarge =
        upload(
            "lean",
            HttpRequest.BodyPublishers.ofByteArray(body("file", "big.bin", new byte[150 * 1024])));
    assertEquals(413, tooLarge.statusCode(), tooLarge.body());
    Map<String, Object> error = JsonReader.object(tooLarge.body());
    assertEquals("LIMIT_EXCEEDED", error.get("fault"), tooLarge.body());
    assertEquals("PART_BYTES", error.get("limit"), tooLarge.body());

    String metrics = metrics();
    assertEquals(0, metric(metrics, "axon_buffer_pool_live_bytes"), metrics);
    assertEquals(0, metric(metrics, "axon_buffer_tenant_live_bytes{tenant=\"lean\"}"), metrics);
    assertEquals(
        0,
        metric(metrics, "axon_buffer_tenant_hard_limit_refusals_total{tenant=\"lean\"}"),
        metrics);
  }

  @Test
  void aClientThatDisconnectsMidUploadLeavesNothingBehind() throws Exception {
    start();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      byte[] head = part("file", "cut.bin", null);
      out.write(
          ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: quitter\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\n"
                  + "Content-Length: "
                  + (head.length + 5_000_000)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(head);
      out.write(new byte[2_000_000]);
      out.flush();
      Thread.sleep(300);
    } // closed with 3 MB of the promised body never sent
    long live = -1;
    for (int i = 0; i < 100 && live != 0; i++) {
      Thread.sleep(100);
      live = metric(metrics(), "axon_buffer_pool_live_bytes");
    }
    assertEquals(0, live, "the aborted upload's memory went back to the pool");
    assertEquals(
        200,
        upload("next", HttpRequest.BodyPublishers.ofByteArray(body("f", null, new byte[10])))
            .statusCode());
  }

  @Test
  void ctrlCStopsTheServerCleanly() throws Exception {
    // A process started from a non-interactive shell's background job inherits SIGINT as ignored,
    // and a JVM that finds it ignored never installs its handler: Ctrl-C would do nothing here for
    // reasons of the test's own ancestry. env --default-signal=INT gives the server the default
    // disposition, as a terminal gives the command a user types.
    assumeTrue(
        envResetsSigint(), "env --default-signal (GNU coreutils 9.1+) is not available here");
    startWith(List.of("env", "--default-signal=INT"));
    assertEquals(
        200,
        upload(
                "before-ctrl-c",
                HttpRequest.BodyPublishers.ofByteArray(body("f", "a.bin", new byte[100_000])))
            .statusCode());

    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(server.pid()))
            .redirectErrorStream(true)
            .start();
    String killSaid = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, kill.waitFor(), "kill -INT: " + killSaid);
    assertTrue(server.waitFor(20, TimeUnit.SECONDS), "serve stops on SIGINT");
    errPump.join(5000);
    String err;
    synchronized (serverErr) {
      err = serverErr.toString(StandardCharsets.UTF_8);
    }
    assertEquals(130, server.exitValue(), "the JVM's exit status after SIGINT (128 + 2): " + err);
    assertTrue(err.contains("axon-buffer serve: stopped; 0 live bytes left"), err);
    assertFalse(err.contains("LEAK in pool"), err);
  }

  /** True if this system's {@code env} has {@code --default-signal}. */
  private static boolean envResetsSigint() {
    try {
      Process p =
          new ProcessBuilder("env", "--default-signal=INT", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Deterministic pseudo-random bytes, generated as they are read (nothing held in memory). */
  static final class RandomBytes extends InputStream {
    private final Random random;
    private long left;

    RandomBytes(long size, long seed) {
      this.left = size;
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, Math.min(left, 64 * 1024));
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      left -= n;
      return n;
    }
  }

  /** Sends a body in 64 KiB pieces with short pauses, so that parallel uploads overlap. */
  static final class SlowStream extends InputStream {
    private final byte[] data;
    private int at;

    SlowStream(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return at < data.length ? data[at++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= data.length) {
        return -1;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int n = Math.min(Math.min(len, 64 * 1024), data.length - at);
      System.arraycopy(data, at, b, off, n);
      at += n;
      return n;
    }
  }
}
