package io.axon.buffer.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/**
 * Upload throughput over loopback, side by side in one run: {@code serve} (Jetty, multipart parse
 * into the pool, SHA-256 per part), {@link BareJettyUpload} (Jetty, the body read and dropped: the
 * floor), {@link JdkHttpServerUpload} (the old JDK-server {@code serve}) and {@link
 * BareJettyUpload} again digesting the body (the floor plus {@code serve}'s SHA-256, so that the
 * digest's share of the gap shows) and {@code serve --digest none} (the answer without the parts'
 * SHA-256: the server's own cost next to the floor), each in its own JVM with the same heap,
 * measured one after another.
 *
 * <ul>
 *   <li>64 MiB in one part, HTTP/1.1 (the JDK's HttpClient, Content-Length) and h2c (Jetty's
 *       HttpClient, prior knowledge; the JDK server has no HTTP/2): the median of {@code rounds}
 *       uploads after five warm-ups, in MiB/s.
 *   <li>Small uploads, 100 parts of 4 KiB each, HTTP/1.1 keep-alive, four client threads for {@code
 *       seconds}: requests per second.
 * </ul>
 *
 * <p>Run after {@code ./mvnw -B -ntp package -DskipTests}, on a quiet machine:
 *
 * <pre>
 * java -cp axon-buffer-bench/target/axon-buffer-bench-0.1.0-SNAPSHOT-benchmarks.jar \
 *     io.axon.buffer.bench.UploadThroughputHarness axon-buffer-cli/target/axon-buffer.jar 9 20
 * </pre>
 *
 * Prints a Markdown table (and writes it to {@code target/upload-harness.md}).
 */
public final class UploadThroughputHarness {

  private static final String BOUNDARY = "harness-3f9a";

  /** Uploads before the measured ones, for the JIT of server and client. */
  private static final int WARMUPS = 5;

  private UploadThroughputHarness() {}

  /**
   * Runs the comparison.
   *
   * @param args the serve JAR, the rounds of 64 MiB (default 7), the seconds of small uploads
   *     (default 10)
   * @throws Exception if a server fails
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "axon-buffer-cli/target/axon-buffer.jar");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    byte[] big = new byte[64 << 20];
    new Random(1).nextBytes(big);
    byte[] bigBody = body(List.of(big));
    List<byte[]> smallParts = new ArrayList<>();
    Random r = new Random(2);
    for (int i = 0; i < 100; i++) {
      byte[] p = new byte[4096];
      r.nextBytes(p);
      smallParts.add(p);
    }
    byte[] smallBody = body(smallParts);

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Loopback uploads, Java %s, %d cores, load average at start %s%n%n",
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            loadAverage()));
    out.append("| server | 64 MiB HTTP/1.1 MiB/s | 64 MiB h2c MiB/s | 100 x 4 KiB uploads/s |\n");
    out.append("|---|---|---|---|\n");
    String[] names = {
      "serve (Jetty)",
      "bare Jetty handler",
      "old serve (JDK HttpServer)",
      "bare Jetty handler + SHA-256 of the body",
      "serve --digest none"
    };
    Starter[] starters = {
      () -> ServeProcesses.serve(jar, "--max-part", "128m"),
      () -> ServeProcesses.peer(BareJettyUpload.class),
      () -> ServeProcesses.peer(JdkHttpServerUpload.class),
      () -> ServeProcesses.peer(BareJettyUpload.class, "sha256"),
      () -> ServeProcesses.serve(jar, "--max-part", "128m", "--digest", "none")
    };
    double[][] results = new double[names.length][];
    for (int s = 0; s < names.length; s++) {
      try (ServeProcesses server = starters[s].start()) {
        double h1 = megabytesPerSecond(server.port, bigBody, rounds, false);
        double h2 = s == 2 ? Double.NaN : megabytesPerSecond(server.port, bigBody, rounds, true);
        double small = requestsPerSecond(server.port, smallBody, seconds);
        results[s] = new double[] {h1, h2, small};
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %.0f | %s | %.0f |%n",
                names[s],
                h1,
                Double.isNaN(h2) ? "n/a" : String.format(Locale.ROOT, "%.0f", h2),
                small));
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nserve / bare Jetty: HTTP/1.1 %.2fx, h2c %.2fx; serve --digest none / bare Jetty:"
                + " HTTP/1.1 %.2fx, h2c %.2fx; serve / bare Jetty + SHA-256: HTTP/1.1 %.2fx, h2c"
                + " %.2fx; serve / old JDK server: 64 MiB %.2fx, small uploads %.2fx. Load average"
                + " at the end %s.%n",
            results[0][0] / results[1][0],
            results[0][1] / results[1][1],
            results[4][0] / results[1][0],
            results[4][1] / results[1][1],
            results[0][0] / results[3][0],
            results[0][1] / results[3][1],
            results[0][0] / results[2][0],
            results[0][2] / results[2][2],
            loadAverage()));
    System.out.print(out);
    Path report = Path.of("target", "upload-harness.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, out);
  }

  static byte[] body(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"p"
                  + i
                  + "\"; filename=\"p"
                  + i
                  + ".bin\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(parts.get(i));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static double megabytesPerSecond(int port, byte[] body, int rounds, boolean h2c)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/upload");
    long[] nanos = new long[rounds];
    if (h2c) {
      org.eclipse.jetty.client.HttpClient jetty =
          new org.eclipse.jetty.client.HttpClient(
              new HttpClientTransportOverHTTP2(new HTTP2Client()));
      jetty.start();
      try {
        for (int i = -WARMUPS; i < rounds; i++) {
          long t0 = System.nanoTime();
          ContentResponse r =
              jetty
                  .newRequest(uri)
                  .method("POST")
                  .headers(h -> h.put("X-Tenant", "bench"))
                  .body(new BytesRequestContent("multipart/form-data; boundary=" + BOUNDARY, body))
                  .timeout(120, TimeUnit.SECONDS)
                  .send();
          check(r.getStatus(), r.getContentAsString());
          if (i >= 0) {
            nanos[i] = System.nanoTime() - t0;
          }
        }
      } finally {
        jetty.stop();
      }
    } else {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = -WARMUPS; i < rounds; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            http.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
        check(r.statusCode(), r.body());
        if (i >= 0) {
          nanos[i] = System.nanoTime() - t0;
        }
      }
    }
    Arrays.sort(nanos);
    return (64.0) / (nanos[rounds / 2] / 1e9);
  }

  private static double requestsPerSecond(int port, byte[] body, int seconds) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/upload");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r = http.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
      check(r.statusCode(), r.body());
    }
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      running.add(
          clients.submit(
              () -> {
                while (System.nanoTime() < end) {
                  HttpResponse<String> r =
                      http.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
                  check(r.statusCode(), r.body());
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    clients.shutdown();
    return done.get() / (double) seconds;
  }

  private static HttpRequest request(URI uri, byte[] body) {
    return HttpRequest.newBuilder(uri)
        .header("X-Tenant", "bench")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static void check(int status, String body) {
    if (status != 200) {
      throw new IllegalStateException("upload answered " + status + ": " + body);
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** Starts one of the compared servers. */
  private interface Starter {
    ServeProcesses start() throws Exception;
  }
}
