package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A soak test of {@code serve} (not part of CI): several tenants upload concurrently for a few
 * minutes, mixing small fields, sample JPEG/WAV files and multi-MiB files, with a few malformed
 * bodies and a few clients that vanish mid-upload, beside {@code axon.buffer.soak.slowClients}
 * (default 100) slow connections that send one byte a second, half inside a request head, half
 * inside an upload body, each replaced by a new one when the server closes it. {@code /metrics} is
 * sampled twice a second for the JVM's heap and direct memory and the pool's live and retained
 * bytes.
 *
 * <p>Run (the figures go to {@code axon-buffer-cli/target/soak-report.md}):
 *
 * <pre>
 * ./mvnw -pl axon-buffer-cli -am verify -Dtest=NoTests -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ServeSoakIT -Dfailsafe.failIfNoSpecifiedTests=false -Daxon.buffer.soak.seconds=180
 * </pre>
 *
 * <p>Checks: every upload answered (200 with the right digests, 400 for the malformed ones); live
 * bytes, per tenant and overall, back to 0 at the end; no leak reported; the server stops with 0
 * live bytes; direct memory bounded (retained memory within the pool's bound, and the direct memory
 * in use late in the run no higher than early in the run plus one round of in-flight uploads). It
 * reports p50/p90/p99/max upload latency and the peaks.
 */
@EnabledIfSystemProperty(named = "axon.buffer.soak.seconds", matches = "\\d+")
class ServeSoakIT {

  static final String BOUNDARY = "soak-0f3a9d";
  static final int TENANTS = 6;
  static final int CLIENTS_PER_TENANT = 2;
  static final String HEAP = "256m";
  static final String DIRECT = "512m";
  static final int THREADS = 8;

  record Sample(long atMillis, long heap, long direct, long live, long retained) {}

  @Test
  void severalTenantsUploadingForMinutes() throws Exception {
    long seconds = Long.getLong("axon.buffer.soak.seconds");
    byte[] jpeg = Files.readAllBytes(Cli.sample("photo.jpg"));
    byte[] wav = Files.readAllBytes(Cli.sample("hello-8k.wav"));
    try (ServeProcess serve =
        ServeProcess.start(
            List.of("-Xmx" + HEAP, "-XX:MaxDirectMemorySize=" + DIRECT),
            List.of("--threads", String.valueOf(THREADS), "--max-part", "16m"),
            Map.of())) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
      long start = System.currentTimeMillis();
      long deadline = start + seconds * 1000;
      Thread sampler =
          new Thread(
              () -> {
                while (System.currentTimeMillis() < deadline + 2000) {
                  try {
                    String m = serve.metrics();
                    samples.add(
                        new Sample(
                            System.currentTimeMillis() - start,
                            ServeProcess.metric(m, "jvm_memory_used_bytes{area=\"heap\"}"),
                            ServeProcess.metric(m, "jvm_buffer_memory_used_bytes{id=\"direct\"}"),
                            ServeProcess.metric(m, "axon_buffer_pool_live_bytes"),
                            ServeProcess.metric(m, "axon_buffer_pool_retained_bytes")));
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  } catch (IOException e) {
                    // a sample lost under load; the next one counts
                  }
                }
              },
              "soak-sampler");
      sampler.setDaemon(true);
      sampler.start();

      int slowClients = Integer.getInteger("axon.buffer.soak.slowClients", 100);
      SlowClients slow = new SlowClients(serve.port, slowClients, deadline);
      Thread slowThread = new Thread(slow, "soak-slow-clients");
      slowThread.setDaemon(true);
      slowThread.start();

      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicLong bytesUploaded = new AtomicLong();
      AtomicLong malformed = new AtomicLong();
      AtomicLong vanished = new AtomicLong();
      ExecutorService clients = Executors.newFixedThreadPool(TENANTS * CLIENTS_PER_TENANT);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < TENANTS; t++) {
        for (int c = 0; c < CLIENTS_PER_TENANT; c++) {
          String tenant = "tenant-" + t;
          long seed = t * 1000L + c;
          running.add(
              clients.submit(
                  () -> {
                    Random random = new Random(seed);
                    while (System.currentTimeMillis() < deadline) {
                      int kind = random.nextInt(100);
                      if (kind < 2) {
                        vanish(serve.port, tenant, random);
                        vanished.incrementAndGet();
                        continue;
                      }
                      List<byte[]> contents = new ArrayList<>();
                      int parts = 1 + random.nextInt(3);
                      for (int p = 0; p < parts; p++) {
                        contents.add(content(random, jpeg, wav));
                      }
                      byte[] body = body(contents);
                      boolean bad = kind < 5;
                      if (bad) {
                        body =
                            java.util.Arrays.copyOf(body, body.length - 10); // no close delimiter
                      }
                      long t0 = System.nanoTime();
                      HttpResponse<String> r =
                          http.send(
                              HttpRequest.newBuilder(serve.uri("/upload"))
                                  .timeout(Duration.ofMinutes(2))
                                  .header("X-Tenant", tenant)
                                  .header(
                                      "Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      long micros = (System.nanoTime() - t0) / 1000;
                      if (bad) {
                        assertEquals(400, r.statusCode(), r.body());
                        malformed.incrementAndGet();
                        continue;
                      }
                      assertEquals(200, r.statusCode(), r.body());
                      List<?> answered = (List<?>) JsonReader.object(r.body()).get("parts");
                      assertEquals(parts, answered.size());
                      for (int p = 0; p < parts; p++) {
                        assertEquals(
                            sha256(contents.get(p)), ((Map<?, ?>) answered.get(p)).get("sha256"));
                        bytesUploaded.addAndGet(contents.get(p).length);
                      }
                      latencies.add(micros);
                    }
                    return null;
                  }));
        }
      }
      for (Future<?> f : running) {
        f.get(seconds + 300, TimeUnit.SECONDS);
      }
      clients.shutdown();
      slowThread.join();
      slow.closeAll();
      assertEquals(0, serve.awaitNoLiveBytes(), "every upload's memory went back");
      sampler.join();
      String metrics = serve.metrics();
      for (int t = 0; t < TENANTS; t++) {
        assertEquals(
            0,
            ServeProcess.metric(
                metrics, "axon_buffer_tenant_live_bytes{tenant=\"tenant-" + t + "\"}"),
            metrics);
      }
      assertEquals(0, ServeProcess.metric(metrics, "axon_buffer_pool_leaks_reclaimed_total"));

      String report =
          report(
              seconds,
              samples,
              new ArrayList<>(latencies),
              bytesUploaded.get(),
              malformed.get(),
              vanished.get(),
              slow,
              metrics);
      Path out = Path.of(System.getProperty("axon.buffer.soak.report", "target/soak-report.md"));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      System.out.println(report);

      long retainedBound = 128L << 20;
      assertTrue(
          samples.stream().allMatch(s -> s.retained() <= retainedBound),
          "retained memory stays within the pool's bound");
      List<Sample> early = samples.subList(0, samples.size() / 3);
      List<Sample> late = samples.subList(2 * samples.size() / 3, samples.size());
      long earlyPeak = early.stream().mapToLong(Sample::direct).max().orElse(0);
      long latePeak = late.stream().mapToLong(Sample::direct).max().orElse(0);
      long inFlight = ((long) THREADS * 16) << 20;
      assertTrue(
          latePeak <= earlyPeak + inFlight,
          "direct memory grows over the run: early peak " + earlyPeak + ", late peak " + latePeak);
    }
  }

  /**
   * Keeps {@code size} connections sending one byte a second until the deadline: even ones inside a
   * request head, odd ones inside a part's payload (a multipart head announcing 10 MB, then a byte
   * a second). A connection the server closed is counted and replaced.
   */
  static final class SlowClients implements Runnable {
    final int port;
    final int size;
    final long deadline;
    final RawHttp[] connections;
    long opened;
    long closedByServer;

    SlowClients(int port, int size, long deadline) {
      this.port = port;
      this.size = size;
      this.deadline = deadline;
      this.connections = new RawHttp[size];
    }

    @Override
    public void run() {
      try {
        while (System.currentTimeMillis() < deadline) {
          long tick = System.currentTimeMillis();
          for (int i = 0; i < size && System.currentTimeMillis() < deadline; i++) {
            RawHttp c = connections[i];
            boolean closed;
            try {
              if (c == null) {
                connections[i] = open(i);
                continue;
              }
              c.send(i % 2 == 0 ? "x" : "-");
              closed = c.readUntilClosed(1);
            } catch (IOException e) {
              closed = true;
            }
            if (closed) {
              closedByServer++;
              c.close();
              connections[i] = null;
            }
          }
          Thread.sleep(Math.max(0, 1000 - (System.currentTimeMillis() - tick)));
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("slow clients", e);
      }
    }

    private RawHttp open(int i) throws IOException {
      RawHttp c = new RawHttp(port);
      opened++;
      if (i % 2 == 0) {
        c.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      } else {
        c.send(
            "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: slow\r\nContent-Type:"
                + " multipart/form-data; boundary="
                + BOUNDARY
                + "\r\nContent-Length: 10000000\r\n\r\n--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"s\"; filename=\"s.bin\"\r\n\r\n");
      }
      return c;
    }

    void closeAll() throws IOException {
      for (RawHttp c : connections) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  static byte[] content(Random random, byte[] jpeg, byte[] wav) {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return jpeg;
    }
    if (pick == 1) {
      return wav;
    }
    int size =
        pick < 6
            ? random.nextInt(16 * 1024)
            : pick < 9 ? random.nextInt(1 << 20) : (1 << 20) + random.nextInt(7 << 20);
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  static byte[] body(List<byte[]> contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < contents.size(); i++) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"p"
                  + i
                  + "\"; filename=\"f"
                  + i
                  + ".bin\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(contents.get(i));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static void vanish(int port, String tenant, Random random) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: "
                  + tenant
                  + "\r\nContent-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\nContent-Length: 5000000\r\n\r\n--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"cut\"; filename=\"cut.bin\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] some = new byte[random.nextInt(1 << 20)];
      out.write(some);
      out.flush();
    }
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String report(
      long seconds,
      List<Sample> samples,
      List<Long> latencies,
      long bytes,
      long malformed,
      long vanished,
      SlowClients slow,
      String finalMetrics) {
    Collections.sort(latencies);
    long peakHeap = samples.stream().mapToLong(Sample::heap).max().orElse(0);
    long peakDirect = samples.stream().mapToLong(Sample::direct).max().orElse(0);
    long peakLive = samples.stream().mapToLong(Sample::live).max().orElse(0);
    long peakRetained = samples.stream().mapToLong(Sample::retained).max().orElse(0);
    StringBuilder r = new StringBuilder();
    r.append(
        String.format(
            Locale.ROOT,
            "Soak: %d s, %d tenants x %d clients, serve --threads %d,"
                + " -Xmx%s -XX:MaxDirectMemorySize=%s, Java %s%n%n",
            seconds,
            TENANTS,
            CLIENTS_PER_TENANT,
            THREADS,
            HEAP,
            DIRECT,
            System.getProperty("java.version")));
    r.append("| figure | value |\n|---|---|\n");
    r.append(row("uploads answered 200 (digests checked)", String.valueOf(latencies.size())));
    r.append(row("malformed bodies answered 400", String.valueOf(malformed)));
    r.append(row("clients that vanished mid-upload", String.valueOf(vanished)));
    r.append(
        row(
            "slow connections (1 byte/s) kept open at once / opened / closed by the server",
            slow.size + " / " + slow.opened + " / " + slow.closedByServer));
    r.append(
        row(
            "slow connections closed by the server for a slow head / a slow body",
            ServeProcess.metric(
                    finalMetrics, "axon_buffer_serve_slow_clients_closed_total{phase=\"head\"}")
                + " / "
                + ServeProcess.metric(
                    finalMetrics, "axon_buffer_serve_slow_clients_closed_total{phase=\"body\"}")));
    r.append(row("payload bytes uploaded", mib(bytes)));
    r.append(
        row(
            "throughput",
            String.format(
                Locale.ROOT,
                "%.1f MiB/s, %.1f uploads/s",
                bytes / 1048576.0 / seconds,
                latencies.size() / (double) seconds)));
    r.append(row("upload latency p50", ms(pct(latencies, 50))));
    r.append(row("upload latency p90", ms(pct(latencies, 90))));
    r.append(row("upload latency p99", ms(pct(latencies, 99))));
    r.append(
        row(
            "upload latency max",
            ms(latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1))));
    r.append(row("peak heap used (sampled every 0.5 s)", mib(peakHeap)));
    r.append(row("peak direct memory used", mib(peakDirect)));
    r.append(row("peak pool live bytes", mib(peakLive)));
    r.append(row("peak pool retained bytes", mib(peakRetained)));
    r.append(row("live bytes at the end (pool, every tenant)", "0"));
    r.append(
        row(
            "leaks reclaimed",
            String.valueOf(
                ServeProcess.metric(finalMetrics, "axon_buffer_pool_leaks_reclaimed_total"))));
    r.append(
        row(
            "bytes obtained from the system over the run",
            mib(
                ServeProcess.metric(
                    finalMetrics, "axon_buffer_pool_system_allocated_bytes_total"))));
    r.append(row("metrics samples", String.valueOf(samples.size())));
    return r.toString();
  }

  private static String row(String k, String v) {
    return "| " + k + " | " + v + " |\n";
  }

  private static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
