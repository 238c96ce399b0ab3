package io.axon.buffer.cli.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The media-stream parser fed as a WebSocket host feeds it: random events cut into pieces at random
 * byte offsets (inside names, strings, escapes and UTF-8 sequences) give the same events as whole
 * messages; payloads equal the JDK's base64 decoding; every malformed shape is typed; no pooled
 * byte is left behind.
 */
class MediaStreamParserTest {

  private final SlabBufferPool pool = SlabBufferPool.builder().name("parser-test").build();

  @AfterEach
  void close() {
    assertEquals(0, pool.snapshot().liveBytes());
    pool.close();
  }

  /** What the events were, as text. */
  static class Recorder implements MediaStreamParser.Events {
    final List<String> seen = new ArrayList<>();

    @Override
    public void start(String encoding, int sampleRate, int channels) {
      seen.add("start " + encoding + " " + sampleRate + " " + channels);
    }

    @Override
    public void media(ZeroCopyBuffer payload) {
      try (payload) {
        seen.add("media " + Base64.getEncoder().encodeToString(payload.toByteArray()));
      }
    }

    @Override
    public void mark() {
      seen.add("mark");
    }

    @Override
    public void stop() {
      seen.add("stop");
    }

    @Override
    public void other() {
      seen.add("other");
    }
  }

  MediaStreamParser parser() {
    return new MediaStreamParser(
        MediaStreamParser.factory(64 * 1024), pool.forTenant("t"), BufferKind.of("mulaw8"));
  }

  static List<String> events(Random r, int n, List<String> expected) {
    List<String> out = new ArrayList<>();
    out.add("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    expected.add("other");
    out.add(
        "{\"start\":{\"mediaFormat\":{\"channels\":\"1\",\"encoding\":\"audio/x-mulaw\","
            + "\"sampleRate\":8000},\"customParameters\":{\"a\":[1,{\"b\":null}],\"é\":\"ü\\u00e9\"}},"
            + "\"event\":\"start\"}");
    expected.add("start audio/x-mulaw 8000 1");
    for (int i = 0; i < n; i++) {
      byte[] audio = new byte[r.nextInt(400)];
      r.nextBytes(audio);
      String b64 = Base64.getEncoder().encodeToString(audio);
      if (r.nextBoolean()) {
        b64 = b64.replace("=", ""); // padding is optional
      }
      // keys in any order, payload before or after the event
      out.add(
          r.nextBoolean()
              ? "{\"event\":\"media\",\"sequenceNumber\":\""
                  + i
                  + "\",\"media\":{\"track\":\"inbound\",\"payload\":\""
                  + b64
                  + "\",\"chunk\":\""
                  + i
                  + "\"}}"
              : " {\"media\" : {\"payload\" : \"" + b64 + "\"} , \"event\" : \"media\" } ");
      expected.add("media " + Base64.getEncoder().encodeToString(audio));
      if (r.nextInt(10) == 0) {
        out.add("{\"event\":\"mark\",\"mark\":{\"name\":\"x\\\"y\"}}");
        expected.add("mark");
      }
      if (r.nextInt(10) == 0) {
        out.add("{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"1\"}}");
        expected.add("other");
      }
    }
    out.add("{\"event\":\"stop\"}");
    expected.add("stop");
    return out;
  }

  @Test
  void eventsCutAnywhereAreReadAsWhole() {
    for (int seed = 0; seed < 200; seed++) {
      Random r = new Random(seed);
      List<String> expected = new ArrayList<>();
      List<String> messages = events(r, 20, expected);
      Recorder rec = new Recorder();
      try (MediaStreamParser p = parser()) {
        for (String m : messages) {
          byte[] b = m.getBytes(StandardCharsets.UTF_8);
          int at = 0;
          while (at < b.length) {
            int n = Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 3 : 64));
            p.feed(ByteBuffer.wrap(b, at, n).slice());
            at += n;
          }
          p.endMessage(rec);
        }
      }
      assertEquals(expected, rec.seen, "seed " + seed);
    }
  }

  StreamCallException refused(String... messages) {
    try (MediaStreamParser p = parser()) {
      return assertThrows(
          StreamCallException.class,
          () -> {
            for (String m : messages) {
              p.feed(ByteBuffer.wrap(m.getBytes(StandardCharsets.UTF_8)));
              p.endMessage(new Recorder());
            }
          });
    }
  }

  @Test
  void malformedMessagesAreTyped() {
    String[][] cases = {
      {"{\"event\":\"media\","},
      {"{}{}"},
      {"[1]"},
      {"\"media\""},
      {"42 "},
      {"{\"sequenceNumber\":\"1\"}"},
      {"{\"event\":\"media\",\"media\":{}}"},
      {"{\"event\":\"start\",\"start\":{}}"},
      {"{\"event\":\"media\",\"media\":{\"payload\":\"AA==\",\"payload\":\"AA==\"}}"},
      {"{\"event\" \"media\"}"},
      {"{\"event\":\"media\"\u0000}"},
      {"   "},
      {"{\"event\":\"start\",\"start\":{\"mediaFormat\":{\"sampleRate\":\"8k\"}}}"},
    };
    for (String[] c : cases) {
      StreamCallException e = refused(c);
      assertEquals(StreamFault.MALFORMED_JSON, e.fault(), c[0] + ": " + e.getMessage());
      assertEquals(1007, e.closeCode());
    }
    byte[] badUtf8 = {'{', '"', 'e', (byte) 0xC3, '"', ':', '1', '}'};
    try (MediaStreamParser p = parser()) {
      StreamCallException e =
          assertThrows(StreamCallException.class, () -> p.feed(ByteBuffer.wrap(badUtf8)));
      assertEquals(StreamFault.MALFORMED_JSON, e.fault());
    }
  }

  @Test
  void badBase64NamesTheCharacterAndItsIndex() {
    String[][] cases = {
      {"AAA*", "'*' at index 3"},
      {"AA=A", "padding at index 2"},
      {"A", "a last group of one character"},
      {"AAAAA==", "not a multiple of 4"},
      {"AAÿA", "U+00FF at index 2"},
      {"AA\\nA", "U+000A at index 2"},
    };
    for (String[] c : cases) {
      StreamCallException e =
          refused("{\"event\":\"media\",\"media\":{\"payload\":\"" + c[0] + "\"}}");
      assertEquals(StreamFault.BAD_BASE64, e.fault(), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void payloadsEqualTheJdksDecoding() {
    Random r = new Random(7);
    Base64Payload decoder = new Base64Payload();
    for (int n = 0; n < 3000; n += 1 + r.nextInt(7)) {
      byte[] bytes = new byte[n];
      r.nextBytes(bytes);
      char[] chars = Base64.getEncoder().encodeToString(bytes).toCharArray();
      try (ZeroCopyBuffer b =
          decoder.decode(chars, 0, chars.length, BufferKind.raw(), pool.forTenant("t"))) {
        assertArrayEquals(bytes, b.toByteArray(), "length " + n);
      }
    }
  }

  /** Heap bytes the current thread allocates per run of {@code work}, once warm. */
  static long bytesPer(Runnable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int rounds = 20_000;
    for (int i = 0; i < rounds; i++) {
      work.run();
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < rounds; i++) {
      work.run();
    }
    return (threads.getThreadAllocatedBytes(id) - before) / rounds;
  }

  @Test
  void aMediaEventAllocatesNothingButItsPooledPayloadOnceWarm() {
    byte[] audio = new byte[160];
    new Random(3).nextBytes(audio);
    ByteBuffer event =
        ByteBuffer.wrap(
            ("{\"event\":\"media\",\"sequenceNumber\":\"7\",\"media\":{\"track\":\"inbound\","
                    + "\"chunk\":\"6\",\"timestamp\":\"120\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(audio)
                    + "\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}")
                .getBytes(StandardCharsets.US_ASCII));
    MediaStreamParser.Events close =
        new Recorder() {
          @Override
          public void media(ZeroCopyBuffer payload) {
            payload.close();
          }
        };
    io.axon.buffer.BufferAllocator tenant = pool.forTenant("t");
    // What the payload's pooled buffer costs by itself: acquired, filled, frozen, closed (measured
    // before and after the parser, the larger kept, so that the JIT's progress between the runs
    // cannot make the parser's share look larger than it is).
    Runnable payload =
        () -> {
          io.axon.buffer.BufferMut m = tenant.acquire(160);
          m.append(audio, 0, 160);
          m.freeze(BufferKind.of("mulaw8")).close();
        };
    long pooled = bytesPer(payload);
    long perEvent;
    try (MediaStreamParser p = parser()) {
      perEvent =
          bytesPer(
              () -> {
                p.feed(event.duplicate());
                p.endMessage(close);
              });
    }
    pooled = Math.max(pooled, bytesPer(payload));
    // The payload as a String would cost about 260 bytes more (216 characters), the message as a
    // String about 560: the parser's own share (the duplicate() of the test's buffer included)
    // stays below either.
    System.out.println(
        "media event: " + perEvent + " heap bytes once warm, " + pooled + " of them its payload's");
    assertTrue(
        perEvent - pooled < 160,
        perEvent + " bytes per event, " + pooled + " of them the pooled payload's");
  }

  @Test
  void closeCodesAndReasonsFitACloseFrame() {
    StreamCallException e = new StreamCallException(StreamFault.TOO_FAST, "é".repeat(200));
    assertTrue(e.reason().getBytes(StandardCharsets.UTF_8).length <= 123);
    assertTrue(e.reason().startsWith("TOO_FAST: é"));
    assertEquals(1008, e.closeCode());
  }

  @Test
  void latencyQuantilesAreWithinAnEighth() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 1_000_000; v++) {
      h.record(v * 1000);
    }
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      double truth = q * 1e9;
      double got = h.quantile(q);
      assertTrue(got >= truth && got <= truth * 1.125, q + ": " + got + " vs " + truth);
    }
    assertEquals(1_000_000, h.count());
  }
}
