package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.cli.stream.StreamOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /stream} against a real {@code serve} on 127.0.0.1, with the JDK's WebSocket client:
 * the echoed and stored audio compared byte for byte with the offline transcoder chain (binary and
 * JSON calls, any fragmentation), every refusal's close code and reason with another call running
 * untouched, disconnects, {@code /metrics}.
 */
class StreamServeTest extends StreamServeSupport {

  // ------------------------------------------------------------------ conversions

  @Test
  void binaryMulawFramesAreEchoedAsTheOfflineChainsPcm16() throws IOException {
    start(fast());
    byte[] ul = hello();
    StreamClient c =
        StreamClient.open(
            http, server.port(), "kind=mulaw8&rate=8000&to=pcm16&toRate=16000", "acme");
    for (byte[] f : frames(ul, FRAME)) {
      c.binary(f, true);
    }
    c.close();
    StreamClient.Closed closed = c.awaitClose();
    assertEquals(1000, closed.code(), closed.reason());
    assertArrayEquals(offline(ul, "mulaw8", 8000, "pcm16", 16000), c.received());
  }

  @Test
  void twilioMediaEventsAreEchoedAsTheOfflineChainsPcm16() throws IOException {
    start(fast());
    byte[] ul = hello();
    StreamClient c = StreamClient.open(http, server.port(), "to=pcm16&toRate=24000", "acme");
    for (String e : twilio(ul, 8000)) {
      c.text(e, true);
    }
    StreamClient.Closed closed = c.awaitClose();
    assertEquals(1000, closed.code(), closed.reason());
    assertEquals("stop", closed.reason());
    assertArrayEquals(offline(ul, "mulaw8", 8000, "pcm16", 24000), c.received());
  }

  @Test
  void messagesSplitIntoFragmentsAnywhereGiveTheSameAudio() throws IOException {
    start(fast());
    byte[] ul = hello();
    Random random = new Random(15);
    StreamClient bin = StreamClient.open(http, server.port(), "toRate=16000", "acme");
    for (byte[] f : frames(ul, 480)) { // 60 ms messages, each cut into 1..4 fragments
      int at = 0;
      while (at < f.length) {
        int n = Math.min(f.length - at, 1 + random.nextInt(200));
        bin.binary(Arrays.copyOfRange(f, at, at + n), at + n == f.length);
        at += n;
      }
    }
    bin.close();
    StreamClient json = StreamClient.open(http, server.port(), "toRate=16000", "acme");
    for (String e : twilio(ul, 8000)) { // every event cut into text fragments of 1..40 characters
      int at = 0;
      while (at < e.length()) {
        int n = Math.min(e.length() - at, 1 + random.nextInt(40));
        json.text(e.substring(at, at + n), at + n == e.length());
        at += n;
      }
    }
    byte[] expected = offline(ul, "mulaw8", 8000, "pcm16", 16000);
    assertEquals(1000, bin.awaitClose().code());
    assertEquals(1000, json.awaitClose().code());
    assertArrayEquals(expected, bin.received());
    assertArrayEquals(expected, json.received());
  }

  @Test
  void pcm16InputWithSamplesSplitAcrossMessagesAndMulawOutput() throws IOException {
    start(fast());
    byte[] pcm = offline(hello(), "mulaw8", 8000, "pcm16", 8000);
    StreamClient c =
        StreamClient.open(http, server.port(), "kind=pcm16&rate=8000&to=mulaw8&toRate=16000", null);
    for (byte[] f : frames(pcm, 333)) { // odd sizes: a sample split between two messages
      c.binary(f, true);
    }
    c.close();
    assertEquals(1000, c.awaitClose().code());
    assertArrayEquals(offline(pcm, "pcm16", 8000, "mulaw8", 16000), c.received());
  }

  @Test
  void storeWritesOneWavPerCallNamedByTheServer() throws IOException {
    Path store = Files.createDirectories(root.resolve("store"));
    start(fast().withStore(store));
    byte[] ul = hello();
    StreamClient c = StreamClient.open(http, server.port(), "toRate=16000&echo=0", "acme");
    for (String e : twilio(ul, 8000)) {
      c.text(e, true);
    }
    assertEquals(1000, c.awaitClose().code());
    assertEquals(0, c.received().length, "echo=0 sends nothing back");
    List<Path> files;
    try (Stream<Path> s = Files.list(store.resolve("stream"))) {
      files = s.toList();
    }
    assertEquals(1, files.size(), files.toString());
    assertTrue(files.get(0).getFileName().toString().matches("c[0-9a-z]+-[0-9a-z]+\\.wav"));
    byte[] wav = Files.readAllBytes(files.get(0));
    ByteBuffer h = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    byte[] pcm = offline(ul, "mulaw8", 8000, "pcm16", 16000);
    assertEquals(16000, h.getInt(24), "rate in the header");
    assertEquals(pcm.length, h.getInt(40), "data size in the header");
    assertEquals(36 + pcm.length, h.getInt(4), "RIFF size");
    assertArrayEquals(pcm, Arrays.copyOfRange(wav, 44, wav.length));
  }

  // ------------------------------------------------------------------ refusals

  /** Opens a call, lets {@code bad} misbehave on it, and checks the close code and reason. */
  void refused(String query, String tenant, int code, String fault, StreamAction bad) {
    StreamClient c = StreamClient.open(http, server.port(), query, tenant);
    bad.run(c);
    StreamClient.Closed closed = c.awaitClose();
    assertEquals(code, closed.code(), closed.reason());
    if (fault != null) {
      assertTrue(closed.reason().startsWith(fault + ": "), closed.reason());
    }
    c.abort();
  }

  /** Small limits: 4 KiB messages, 3 calls per tenant, 2× real time plus a 1 s burst. */
  static final StreamOptions STRICT =
      new StreamOptions(4096, 3, 2.0, Duration.ofSeconds(1), 256 * 1024, null);

  interface StreamAction {
    void run(StreamClient c);
  }

  /** Sends every frame as its own binary message, as fast as the client can. */
  static StreamAction allAtOnce(List<byte[]> frames) {
    return c -> {
      for (byte[] f : frames) {
        c.binary(f, true);
      }
    };
  }

  @Test
  void everyBadInputClosesItsCallWithATypedCodeAndLeavesTheOthersAlone() throws IOException {
    start(STRICT);
    byte[] ul = hello();
    // A healthy call runs through all of it, at real time: it must end as if alone.
    StreamClient healthy = StreamClient.open(http, server.port(), "toRate=16000", "calm");
    List<byte[]> frames = frames(Arrays.copyOf(ul, 8000), FRAME); // 1 s
    healthy.binary(frames.get(0), true).flush();
    String start = twilio(ul, 8000).get(1);
    String media = twilio(ul, 8000).get(2);

    refused("", "acme", 1007, "MALFORMED_JSON", c -> c.text("{\"event\":\"media\",", true));
    refused("", "acme", 1007, "MALFORMED_JSON", c -> c.text("not json", true));
    refused("", "acme", 1007, "MALFORMED_JSON", c -> c.text("{\"event\":\"start\"}{}", true));
    refused("", "acme", 1007, "MALFORMED_JSON", c -> c.text("[1,2]", true));
    refused("", "acme", 1007, "MALFORMED_JSON", c -> c.text("{\"sequenceNumber\":\"1\"}", true));
    refused(
        "",
        "acme",
        1007,
        "BAD_BASE64",
        c ->
            c.text(start, true)
                .text(media.replaceFirst("\"payload\":\"...", "\"payload\":\"*!*"), true));
    refused("", "acme", 1008, "MEDIA_BEFORE_START", c -> c.text(media, true));
    refused(
        "",
        "acme",
        1003,
        "WRONG_MESSAGE_TYPE",
        c -> c.text(start, true).binary(frames.get(1), true));
    refused(
        "",
        "acme",
        1003,
        "WRONG_MESSAGE_TYPE",
        c -> c.binary(frames.get(1), true).text("{}", true));
    refused(
        "",
        "acme",
        1003,
        "UNSUPPORTED_FORMAT",
        c -> c.text(start.replace("audio/x-mulaw", "audio/x-alaw"), true));
    // One frame over the limit: Jetty's parser refuses it from its header (its own reason).
    refused("", "acme", 1009, null, c -> c.binary(new byte[5000], true));
    refused(
        "",
        "acme",
        1009,
        "MESSAGE_TOO_BIG",
        c -> c.binary(new byte[3000], false).binary(new byte[3000], true));
    refused(
        "",
        "acme",
        1009,
        "MESSAGE_TOO_BIG",
        c -> c.text(" ".repeat(3000), false).text(" ".repeat(3000), true));
    refused(
        "",
        "acme",
        1008,
        "TOO_FAST",
        allAtOnce(frames(ul, FRAME))); // 3.5 s of audio: over 2x + 1 s
    refused("rate=abc", "acme", 1008, "BAD_QUERY", c -> {});
    refused("rate=11025&toRate=32000", "acme", 1003, "UNSUPPORTED_FORMAT", c -> {});
    refused("kind=jpeg", "acme", 1003, "UNSUPPORTED_FORMAT", c -> {});
    refused("tenant=" + "x".repeat(200), null, 1008, "BAD_QUERY", c -> {});
    refused("", "tiny", 1008, "TENANT_LIMIT", c -> c.binary(frames.get(1), true));

    // Calls per tenant: three open, the fourth refused, the first three untouched.
    List<StreamClient> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(StreamClient.open(http, server.port(), "", "busy"));
    }
    refused("", "busy", 1008, "TOO_MANY_CALLS", c -> {});
    for (StreamClient c : three) {
      c.binary(frames.get(2), true).close();
      assertEquals(1000, c.awaitClose().code());
    }

    for (int i = 1; i < frames.size(); i++) {
      healthy.binary(frames.get(i), true);
    }
    healthy.close();
    assertEquals(1000, healthy.awaitClose().code());
    assertArrayEquals(
        offline(Arrays.copyOf(ul, 8000), "mulaw8", 8000, "pcm16", 16000), healthy.received());
    String metrics = get("/metrics");
    assertEquals(
        5, metric(metrics, "axon_buffer_stream_calls_ended_total", "how=\"MALFORMED_JSON\""));
    assertEquals(
        1, metric(metrics, "axon_buffer_stream_calls_ended_total", "how=\"TOO_MANY_CALLS\""));
    assertEquals(1, metric(metrics, "axon_buffer_stream_calls_ended_total", "how=\"TOO_FAST\""));
  }

  /**
   * A client still sending when its call is refused reads the close code, not a reset: Jetty closes
   * the connection right after a close frame with a code other than 1000/1001, and closed with the
   * client's later frames unread, a socket would be reset and the client would lose the close frame
   * (the JDK's client then reports "closed input" or "connection reset": a third of the calls did
   * before {@link LingeringClose}). Repeated, since it is a race.
   */
  @Test
  void aCallRefusedWhileItsClientStillSendsGetsItsCloseCodeEveryTime() throws IOException {
    start(STRICT);
    List<byte[]> frames = frames(hello(), FRAME); // 3.5 s of audio
    for (int i = 0; i < 40; i++) {
      refused("", "acme", 1008, "TOO_FAST", allAtOnce(frames));
    }
    awaitCallsEnded();
  }

  @Test
  void aClientThatDisconnectsMidCallReleasesEverything() throws IOException {
    start(fast());
    StreamClient c = StreamClient.open(http, server.port(), "toRate=16000", "acme");
    c.binary(new byte[100], false).flush(); // a message left open
    c.abort();
    awaitCallsEnded();
    assertEquals(
        1, metric(get("/metrics"), "axon_buffer_stream_calls_ended_total", "how=\"disconnected\""));
  }

  @Test
  void metricsShowCallsAndTheirLiveBytesPerTenant() throws IOException {
    start(fast());
    StreamClient c = StreamClient.open(http, server.port(), "", "acme");
    c.binary(new byte[1000], false).flush(); // 1000 bytes of an open message held by the call
    long deadline = System.nanoTime() + 10_000_000_000L;
    String m = get("/metrics");
    while (metric(m, "axon_buffer_stream_live_bytes", "tenant=\"acme\"") != 1000
        && System.nanoTime() < deadline) {
      m = get("/metrics");
    }
    assertEquals(1, metric(m, "axon_buffer_stream_calls", "tenant=\"acme\""), m);
    assertEquals(1000, metric(m, "axon_buffer_stream_live_bytes", "tenant=\"acme\""), m);
    assertEquals(1000, metric(m, "axon_buffer_stream_call_live_bytes", "tenant=\"acme\""), m);
    assertTrue(
        m.matches(
            "(?s).*axon_buffer_stream_call_live_bytes\\{[^}]*call=\"c[0-9a-z]+-[0-9a-z]+\".*"),
        m);
    c.binary(new byte[0], true).close();
    assertEquals(1000, c.awaitClose().code());
    awaitCallsEnded();
    String after = get("/metrics");
    assertTrue(Double.isNaN(metric(after, "axon_buffer_stream_calls", "tenant=\"acme\"")), after);
    assertTrue(Double.isNaN(metric(after, "axon_buffer_stream_call_live_bytes")), after);
  }

  @Test
  void aPlainGetOfStreamIsAskedToUpgrade() throws Exception {
    start(fast());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/stream"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(426, r.statusCode(), r.body());
    assertTrue(r.body().contains("UpgradeRequired"), r.body());
  }
}
