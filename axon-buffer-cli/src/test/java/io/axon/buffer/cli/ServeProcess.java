package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code axon-buffer serve --port 0} in its own JVM (the packaged JAR), for the fault, attack and
 * soak tests: start with JVM options, serve options and environment, read {@code /metrics}, stop
 * with SIGTERM and check that it stopped with no live bytes.
 */
final class ServeProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final int port;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread errPump;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ServeProcess(List<String> jvm, List<String> options, Map<String, String> env)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
    args.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(JarProcess.command(jvm, args.toArray(new String[0])));
    pb.environment().putAll(env);
    process = pb.start();
    errPump = JarProcess.pump(process.getErrorStream(), err);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = LISTENING.matcher(String.valueOf(line));
    if (!m.find()) {
      process.destroyForcibly();
      throw new AssertionError("serve did not start: " + line + " / " + stderr());
    }
    port = Integer.parseInt(m.group(1));
  }

  /** Starts serve with a 64 MiB heap and 256 MiB of direct memory. */
  static ServeProcess start(String... options) throws IOException {
    return start(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=256m"), List.of(options), Map.of());
  }

  static ServeProcess start(List<String> jvm, List<String> options, Map<String, String> env)
      throws IOException {
    return new ServeProcess(jvm, options, env);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  String metrics() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(30)).build())
        .body();
  }

  /**
   * The value of a series in a scrape, written {@code name} or {@code name{k="v",...}}: the sum of
   * the samples of that name that carry those labels (others, such as {@code pool}, may be there
   * too), or 0 when there is none.
   */
  static long metric(String text, String series) {
    return (long) Scrape.of(text).value(series);
  }

  /** Polls {@code /metrics} until the pool's live bytes are 0 (at most 20 s); returns the last. */
  long awaitNoLiveBytes() throws IOException, InterruptedException {
    long live = -1;
    for (int i = 0; i < 200 && live != 0; i++) {
      live = metric(metrics(), "axon_buffer_pool_live_bytes");
      if (live != 0) {
        Thread.sleep(100);
      }
    }
    return live;
  }

  String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** SIGTERM, then checks it stopped cleanly with no live bytes and no leak reported. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.toHandle().destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
    errPump.join(5000);
    String text = stderr();
    assertTrue(text.contains("axon-buffer serve: stopped; 0 live bytes left"), text);
    assertTrue(!text.contains("LEAK in pool"), "a leak was reported: " + text);
  }
}
