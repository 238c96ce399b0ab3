package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults against the real {@code serve} (packaged JAR, own JVM): clients that vanish mid-upload,
 * many at once and at every stage (inside the HTTP headers, inside a part's headers, inside a
 * part's payload, with a reset instead of a close), and kind plugins whose sniffers throw at
 * detection time. Each must leave the pool at 0 live bytes, report no leak, and the next request
 * must be served.
 */
class ServeFaultsIT {

  static final String BOUNDARY = "faults-3c9e1f";

  @TempDir Path tmp;

  static byte[] partHead(String name, String filename) {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\""
            + (filename == null ? "" : "; filename=\"" + filename + "\"")
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] body(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(partHead(name, filename));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static HttpRequest upload(ServeProcess serve, String tenant, byte[] body) {
    return HttpRequest.newBuilder(serve.uri("/upload"))
        .timeout(Duration.ofSeconds(60))
        .header("X-Tenant", tenant)
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** What a vanishing client sends before it goes. */
  enum Cut {
    HTTP_HEADERS,
    PART_HEADERS,
    PAYLOAD,
    PAYLOAD_RESET
  }

  /** Opens a raw connection, sends a request cut at {@code cut}, then closes (or resets) it. */
  static void vanish(int port, Cut cut, int i) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      String request =
          "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: quitter-"
              + (i % 4)
              + "\r\nContent-Type: multipart/form-data; boundary="
              + BOUNDARY
              + "\r\n"
              + "Content-Length: 9000000\r\n\r\n";
      byte[] head = request.getBytes(StandardCharsets.US_ASCII);
      switch (cut) {
        case HTTP_HEADERS:
          out.write(head, 0, head.length / 2);
          break;
        case PART_HEADERS:
          out.write(head);
          byte[] part = partHead("file", "cut-" + i + ".bin");
          out.write(part, 0, part.length - 10);
          break;
        default:
          out.write(head);
          out.write(partHead("file", "cut-" + i + ".bin"));
          byte[] payload = new byte[300_000 + 7919 * i];
          java.util.Arrays.fill(payload, (byte) i);
          out.write(payload);
      }
      out.flush();
      if (cut == Cut.PAYLOAD_RESET) {
        socket.setSoLinger(true, 0); // RST instead of FIN
      }
    }
  }

  @Test
  void manyClientsVanishingAtEveryStageAtOnceLeaveNothingBehind() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--threads", "8")) {
      ExecutorService clients = Executors.newFixedThreadPool(16);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          int n = i;
          Cut cut = Cut.values()[i % Cut.values().length];
          done.add(
              clients.submit(
                  () -> {
                    go.await();
                    vanish(serve.port, cut, n);
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(2, TimeUnit.MINUTES);
        }
      } finally {
        clients.shutdownNow();
      }
      // A client that stops sending without closing holds its request until the server gives
      // up on it; these all closed, so every exchange ends and releases its memory.
      assertEquals(0, serve.awaitNoLiveBytes(), "aborted uploads returned their memory");
      byte[] content = "still serving".getBytes(StandardCharsets.US_ASCII);
      HttpResponse<String> r = serve.send(upload(serve, "next", body("f", "ok.txt", content)));
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"size\":" + content.length), r.body());
      // Live bytes can be 0 for a moment before the server has read every vanished client's
      // bytes (the kernel holds them until a worker gets to the connection): wait again, now that
      // an upload behind them has been answered, before reading each tenant's figure.
      assertEquals(0, serve.awaitNoLiveBytes(), "every aborted upload returned its memory");
      String metrics = serve.metrics();
      for (int t = 0; t < 4; t++) {
        assertEquals(
            0,
            ServeProcess.metric(
                metrics, "axon_buffer_tenant_live_bytes{tenant=\"quitter-" + t + "\"}"),
            metrics);
      }
    }
  }

  @Test
  void aPluginWhoseSnifferThrowsDoesNotBreakUploads() throws Exception {
    for (String throwable :
        List.of(
            "new IllegalStateException(\"sniffer bug on purpose\")",
            "new Error(\"sniffer bug on purpose\")")) {
      Path plugins = Files.createTempDirectory(tmp, "plugins");
      FaultyPlugins.throwingSniffer(plugins, "kind-plugin-grumpy", throwable);
      try (ServeProcess serve = ServeProcess.start("--plugins", plugins.toString())) {
        byte[] jpeg = Files.readAllBytes(Cli.sample("photo.jpg"));
        for (int round = 0; round < 3; round++) {
          HttpResponse<String> r = serve.send(upload(serve, "acme", body("photo", "p.jpg", jpeg)));
          assertEquals(200, r.statusCode(), throwable + ": " + r.body());
          Map<?, ?> part = (Map<?, ?>) ((List<?>) JsonReader.object(r.body()).get("parts")).get(0);
          assertEquals("jpeg", part.get("kind"), "the other sniffers still decide");
          assertEquals((long) jpeg.length, part.get("size"));
        }
        assertEquals(0, serve.awaitNoLiveBytes());
        assertTrue(
            serve.stderr().contains("plugin problem")
                && serve.stderr().contains("sniffer bug on purpose"),
            serve.stderr());
      }
    }
  }

  /**
   * The JVM's own errors are not swallowed by the registry: the upload gets a clear 500, its memory
   * goes back, and the server (which replaces the worker thread) serves the next request.
   */
  @Test
  void aJvmErrorInsideASnifferGetsAClear500AndTheServerGoesOn() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    FaultyPlugins.throwingSniffer(
        plugins, "kind-plugin-fatal", "new InternalError(\"simulated JVM failure\")");
    try (ServeProcess serve = ServeProcess.start("--plugins", plugins.toString())) {
      byte[] jpeg = Files.readAllBytes(Cli.sample("photo.jpg"));
      for (int round = 0; round < 3; round++) {
        HttpResponse<String> r = serve.send(upload(serve, "acme", body("photo", "p.jpg", jpeg)));
        assertEquals(500, r.statusCode(), r.body());
        Map<String, Object> error = JsonReader.object(r.body());
        assertEquals("ServerError", error.get("error"), r.body());
        assertTrue(
            String.valueOf(error.get("message")).contains("simulated JVM failure"), r.body());
      }
      assertEquals(0, serve.awaitNoLiveBytes());
      assertEquals(
          200, serve.send(HttpRequest.newBuilder(serve.uri("/kinds")).build()).statusCode());
    }
  }

  @Test
  void detectWithAThrowingSnifferPluginStillDetectsAndSaysWhichPluginFailed() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    FaultyPlugins.throwingSniffer(
        plugins, "kind-plugin-grumpy", "new IllegalStateException(\"sniffer bug on purpose\")");
    Cli.Result r =
        JarProcess.run(
            null,
            new byte[0],
            JarProcess.command(
                List.of(),
                "detect",
                "--json",
                "--plugins",
                plugins.toString(),
                Cli.sample("photo.jpg").toString(),
                Cli.sample("hello-8k.wav").toString()));
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length, r.out());
    assertEquals("jpeg", JsonReader.object(lines[0]).get("kind"));
    assertEquals("wav", JsonReader.object(lines[1]).get("kind"));
    assertTrue(
        r.err().contains("grumpy") && r.err().contains("sniffer bug on purpose"),
        "the failing plugin is named on stderr: " + r.err());
  }
}
