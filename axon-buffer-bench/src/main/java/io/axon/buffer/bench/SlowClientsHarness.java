package io.axon.buffer.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What slow clients cost {@code serve}, measured over loopback: {@code n} connections (1,000 by
 * default) that send one byte a second, half of them inside a request head, half inside an upload
 * body, while {@code GET /metrics} is timed every second and an honest 20 MiB upload every few
 * seconds. Reports both against the same requests before the slow clients came, when the server
 * closed the slow connections (the head deadline and the minimum body rate, at their defaults), and
 * the most pooled memory the stalled bodies held ({@code axon_buffer_pool_live_bytes}).
 *
 * <p>Run after {@code ./mvnw -B -ntp package -DskipTests}, on a quiet machine:
 *
 * <pre>
 * java -cp axon-buffer-bench/target/axon-buffer-bench-0.1.0-SNAPSHOT-benchmarks.jar \
 *     io.axon.buffer.bench.SlowClientsHarness axon-buffer-cli/target/axon-buffer.jar 1000
 * </pre>
 *
 * Prints a Markdown table (and writes it to {@code target/slow-clients-harness.md}).
 */
public final class SlowClientsHarness {

  private SlowClientsHarness() {}

  /**
   * Runs the measurement.
   *
   * @param args the serve JAR, the number of slow connections (default 1000)
   * @throws Exception if the server fails
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "axon-buffer-cli/target/axon-buffer.jar");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    byte[] content = new byte[20 << 20];
    new Random(3).nextBytes(content);
    byte[] body = UploadThroughputHarness.body(List.of(content));
    StringBuilder out = new StringBuilder();
    String loadAtStart = UploadThroughputHarness.loadAverage();
    try (ServeProcesses serve = ServeProcesses.serve(jar)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI metrics = URI.create("http://127.0.0.1:" + serve.port + "/metrics");
      URI upload = URI.create("http://127.0.0.1:" + serve.port + "/upload");
      for (int i = 0; i < 3; i++) {
        time(http, upload, body); // warm-up
      }
      long[] metricsBefore = new long[10];
      for (int i = 0; i < metricsBefore.length; i++) {
        metricsBefore[i] = time(http, metrics, null);
        Thread.sleep(100);
      }
      long[] uploadBefore = {
        time(http, upload, body), time(http, upload, body), time(http, upload, body)
      };

      List<SocketChannel> slow = new ArrayList<>();
      long[] closedAt = new long[n];
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", serve.port));
        ch.configureBlocking(false);
        String first =
            i % 2 == 0
                ? "POST /upload HTTP/1.1\r\nHost: x\r\nX-Slow: "
                : "POST /upload HTTP/1.1\r\nHost: x\r\nX-Tenant: slow\r\nContent-Type:"
                    + " multipart/form-data; boundary=harness-3f9a\r\nContent-Length: 10000000\r\n\r\n"
                    + "--harness-3f9a\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n";
        ch.write(ByteBuffer.wrap(first.getBytes(StandardCharsets.US_ASCII)));
        slow.add(ch);
      }
      long opened = System.nanoTime() - start;
      List<Long> metricsDuring = new ArrayList<>();
      List<Long> uploadDuring = new ArrayList<>();
      long peakLive = 0;
      int open = n;
      ByteBuffer sink = ByteBuffer.allocate(4096);
      for (int second = 0; second < 90 && open > 0; second++) {
        long tick = System.nanoTime();
        open = 0;
        for (int i = 0; i < n; i++) {
          if (closedAt[i] != 0) {
            continue;
          }
          SocketChannel ch = slow.get(i);
          try {
            sink.clear();
            int read = ch.read(sink);
            if (read < 0) {
              throw new IOException("closed");
            }
            ch.write(ByteBuffer.wrap(new byte[] {'x'}));
            open++;
          } catch (IOException e) {
            closedAt[i] = System.nanoTime() - start;
            ch.close();
          }
        }
        long m = time(http, metrics, null);
        metricsDuring.add(m);
        String text =
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        peakLive = Math.max(peakLive, metric(text, "axon_buffer_pool_live_bytes"));
        if (second % 5 == 2 && open > 0) {
          uploadDuring.add(time(http, upload, body));
        }
        long rest = 1_000_000_000L - (System.nanoTime() - tick);
        if (rest > 0) {
          Thread.sleep(rest / 1_000_000);
        }
      }
      for (SocketChannel ch : slow) {
        ch.close();
      }
      long[] closed = Arrays.stream(closedAt).filter(t -> t != 0).sorted().toArray();
      String text =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      out.append(
          String.format(
              Locale.ROOT,
              "Slow clients: %d connections sending one byte a second (half in the head, half in"
                  + " the body), serve at its defaults, Java %s, load average %s at start, %s at"
                  + " the end%n%n",
              n,
              System.getProperty("java.version"),
              loadAtStart,
              UploadThroughputHarness.loadAverage()));
      out.append("| figure | value |\n|---|---|\n");
      out.append(row("connections opened in", ms(opened)));
      out.append(
          row(
              "GET /metrics before: median / max",
              ms(median(metricsBefore)) + " / " + ms(max(metricsBefore))));
      out.append(
          row(
              "GET /metrics during: median / max",
              ms(median(toArray(metricsDuring))) + " / " + ms(max(toArray(metricsDuring)))));
      out.append(row("20 MiB upload before: median", ms(median(uploadBefore))));
      out.append(
          row(
              "20 MiB upload during: median / max (" + uploadDuring.size() + ")",
              ms(median(toArray(uploadDuring))) + " / " + ms(max(toArray(uploadDuring)))));
      out.append(row("slow connections closed by the server", closed.length + " of " + n));
      if (closed.length > 0) {
        out.append(
            row(
                "first / last closed after",
                ms(closed[0]) + " / " + ms(closed[closed.length - 1])));
      }
      out.append(row("peak pool live bytes while stalled", String.valueOf(peakLive)));
      out.append(
          row(
              "cut for a slow head / body (from /metrics)",
              metric(text, "axon_buffer_serve_slow_clients_closed_total{phase=\"head\"}")
                  + " / "
                  + metric(text, "axon_buffer_serve_slow_clients_closed_total{phase=\"body\"}")));
      out.append(
          row(
              "pool live bytes at the end",
              String.valueOf(metric(text, "axon_buffer_pool_live_bytes"))));
    }
    System.out.print(out);
    Path report = Path.of("target", "slow-clients-harness.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, out);
  }

  private static long time(HttpClient http, URI uri, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (body != null) {
      b.header("X-Tenant", "honest")
          .header("Content-Type", "multipart/form-data; boundary=harness-3f9a")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    long t = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return t;
  }

  /**
   * The sum of the samples of a series in a Prometheus text scrape: {@code name} or {@code
   * name{k="v",...}}, matching every sample of that name whose labels include the given ones
   * (serve's registry adds {@code pool="serve"}); 0 when there is none.
   */
  static long metric(String text, String series) {
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    List<String> labels =
        brace < 0
            ? List.of()
            : List.of(series.substring(brace + 1, series.length() - 1).split(","));
    double sum = 0;
    for (String line : text.split("\n")) {
      int end = line.indexOf(line.indexOf('{') >= 0 ? '{' : ' ');
      if (line.startsWith("#") || end < 0 || !line.substring(0, end).equals(name)) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String block = close < 0 ? "" : line.substring(end + 1, close);
      if (List.of(block.split(",")).containsAll(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private static long[] toArray(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  private static long median(long[] a) {
    if (a.length == 0) {
      return 0;
    }
    long[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static long max(long[] a) {
    return Arrays.stream(a).max().orElse(0);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String row(String k, String v) {
    return "| " + k + " | " + v + " |\n";
  }
}
