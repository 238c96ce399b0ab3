package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketFrameDecoderTest {

  private SlabBufferPool pool;
  private final List<WebSocketFrame> frames = new ArrayList<>();

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
  }

  @AfterEach
  void tearDown() {
    frames.forEach(WebSocketFrame::close);
    TestPools.assertNoLiveBytes(pool, "the test");
    pool.close();
  }

  private void feed(WebSocketFrameDecoder d, byte[] wire) throws WebSocketProtocolException {
    d.feed(ByteBuffer.wrap(wire), frames::add);
  }

  @Test
  void decodesMaskedFramesOfEveryLengthEncodingSplitAnywhere() throws Exception {
    Random random = new Random(11);
    byte[][] payloads = {
      new byte[0], new byte[125], new byte[126], new byte[65535], new byte[65536], new byte[200_003]
    };
    for (byte[] p : payloads) {
      random.nextBytes(p);
    }
    byte[] wire =
        Bodies.concat(
            WireFrames.masked(false, 2, payloads[0]),
            WireFrames.masked(false, 0, payloads[1]),
            WireFrames.masked(true, 9, "ping".getBytes(StandardCharsets.UTF_8)),
            WireFrames.masked(false, 0, payloads[2]),
            WireFrames.masked(false, 0, payloads[3]),
            WireFrames.masked(false, 0, payloads[4]),
            WireFrames.masked(true, 0, payloads[5]));
    for (int[] cuts :
        List.of(
            new int[0],
            Bodies.randomCuts(random, wire.length, 7),
            Bodies.randomCuts(random, wire.length, 5000))) {
      WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1 << 20);
      int from = 0;
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : wire.length;
        d.feed(ByteBuffer.wrap(wire, from, to - from), frames::add);
        from = to;
      }
      d.finish();
      assertEquals(7, frames.size());
      assertEquals(9, frames.get(2).opcode());
      assertArrayEquals(
          "ping".getBytes(StandardCharsets.UTF_8), frames.get(2).payload().toByteArray());
      int[] order = {0, 1, -1, 2, 3, 4, 5};
      for (int i = 0; i < 7; i++) {
        if (order[i] >= 0) {
          assertArrayEquals(
              payloads[order[i]], frames.get(i).payload().toByteArray(), "frame " + i);
        }
      }
      assertTrue(frames.get(6).fin());
      assertEquals(wire.length, d.bytesDecoded());
      assertEquals(7, d.framesDecoded());
      frames.forEach(WebSocketFrame::close);
      frames.clear();
    }
  }

  @Test
  void aClientDecoderTakesUnmaskedFramesAndKeepsRsvBits() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forClient(pool, 1000);
    feed(d, WireFrames.encode(true, 5, 2, "abc".getBytes(StandardCharsets.UTF_8), null));
    assertEquals(5, frames.get(0).rsv());
    assertEquals("abc", new String(frames.get(0).payload().toByteArray(), StandardCharsets.UTF_8));
  }

  @Test
  void maskMismatchesAreProtocolErrors() {
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1000),
        WebSocketFault.UNMASKED_FRAME,
        "not masked",
        WireFrames.encode(true, 0, 2, new byte[3], null));
    assertFault(
        WebSocketFrameDecoder.forClient(pool, 1000),
        WebSocketFault.MASKED_FRAME,
        "is masked",
        WireFrames.encode(true, 0, 2, new byte[3], 1));
  }

  @Test
  void badLengthsAreProtocolErrors() {
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1 << 20),
        WebSocketFault.INVALID_LENGTH,
        "16-bit length 5",
        new byte[] {(byte) 0x82, (byte) 0xfe, 0, 5, 1, 2, 3, 4});
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1 << 20),
        WebSocketFault.INVALID_LENGTH,
        "64-bit length 300",
        new byte[] {(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 0, 0, 1, 44, 1, 2, 3, 4});
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1 << 20),
        WebSocketFault.INVALID_LENGTH,
        "most significant bit",
        new byte[] {(byte) 0x82, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
  }

  @Test
  void controlFrameRulesAndTheSizeLimitApplyBeforeAnyMemoryIsTaken() {
    byte[] header126 = {(byte) 0x89, (byte) 0xfe, 0, 126, 1, 2, 3, 4};
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1 << 20),
        WebSocketFault.CONTROL_FRAME_TOO_LONG,
        "126 bytes",
        header126);
    assertFault(
        WebSocketFrameDecoder.forServer(pool, 1 << 20),
        WebSocketFault.FRAGMENTED_CONTROL_FRAME,
        "without FIN",
        WireFrames.masked(false, 9, new byte[1]));
    byte[] huge = {(byte) 0x82, (byte) 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
    WebSocketProtocolException e =
        assertFault(
            WebSocketFrameDecoder.forServer(pool, 1 << 20),
            WebSocketFault.MESSAGE_TOO_BIG,
            "4294967296 bytes, over the limit of 1048576",
            huge);
    assertEquals(1009, e.webSocketCloseCode());
  }

  @Test
  void inputEndingInsideAFrameIsTruncatedAndReleased() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    byte[] wire = WireFrames.masked(true, 2, new byte[10_000]);
    d.feed(ByteBuffer.wrap(wire, 0, 5000), frames::add);
    assertTrue(pool.snapshot().liveBytes() > 0);
    WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, d::finish);
    assertEquals(WebSocketFault.TRUNCATED, e.fault());
    assertEquals(1006, e.webSocketCloseCode());
    assertTrue(e.getMessage().contains("5008 payload bytes missing"), e.getMessage());
    TestPools.assertNoLiveBytes(pool, "a truncated frame");
    WebSocketFrameDecoder h = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    h.feed(ByteBuffer.wrap(wire, 0, 3), frames::add);
    assertTrue(
        assertThrows(WebSocketProtocolException.class, h::finish)
            .getMessage()
            .contains("3 of 8 header bytes"));
    WebSocketFrameDecoder clean = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    clean.feed(ByteBuffer.wrap(wire), frames::add);
    clean.finish();
  }

  @Test
  void aFrameHeaderAloneHoldsNoMemoryAndMemoryGrowsWithThePayloadReceived() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    byte[] payload = new byte[100_000];
    new Random(5).nextBytes(payload);
    byte[] wire = WireFrames.masked(true, 2, payload);
    int header = wire.length - payload.length;
    d.feed(ByteBuffer.wrap(wire, 0, header), frames::add);
    assertEquals(0, pool.snapshot().liveBytes(), "an announced length takes no memory");
    d.feed(ByteBuffer.wrap(wire, header, 1), frames::add);
    assertEquals(4096, pool.snapshot().liveBytes(), "one byte: one SMALL piece");
    d.feed(ByteBuffer.wrap(wire, header + 1, 5000), frames::add);
    assertEquals(2 * 4096, pool.snapshot().liveBytes(), "then pieces no larger than the payload");
    d.feed(ByteBuffer.wrap(wire, header + 5001, wire.length - header - 5001), frames::add);
    assertEquals(1, frames.size());
    assertArrayEquals(payload, frames.get(0).payload().toByteArray());
  }

  @Test
  void aWholeFrameAtHandHoldsLittleMoreThanItsBytes() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1 << 20);
    byte[] payload = new byte[100_000];
    new Random(6).nextBytes(payload);
    feed(d, WireFrames.masked(true, 2, payload));
    // A 64 KiB piece (the largest class no larger than the bytes at hand), then 4 KiB ones up to
    // the announced length: not the 1 MiB slab that holds the whole frame at once.
    List<ByteBuffer> pieces = frames.get(0).payload().asReadOnlyByteBuffers();
    assertEquals(65536, pieces.get(0).remaining());
    assertEquals(65536 + 9 * 4096, pool.snapshot().liveBytes());
    assertArrayEquals(payload, frames.get(0).payload().toByteArray());
  }

  @Test
  void sixtyFourHeadersAnnouncingSixteenMebibytesHoldOnlyWhatTheirBytesNeed() throws Exception {
    int announced = 16 << 20;
    List<WebSocketFrameDecoder> connections = new ArrayList<>();
    byte[] wire = WireFrames.masked(true, 2, new byte[announced]);
    int header = wire.length - announced;
    try {
      for (int i = 0; i < 64; i++) {
        WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, announced);
        connections.add(d);
        d.feed(ByteBuffer.wrap(wire, 0, header), frames::add);
      }
      assertEquals(0, pool.snapshot().liveBytes(), "64 headers announcing 1 GiB hold nothing");
      for (WebSocketFrameDecoder d : connections) {
        d.feed(ByteBuffer.wrap(wire, header, 10), frames::add);
      }
      assertEquals(
          64 * 4096, pool.snapshot().liveBytes(), "ten payload bytes each: one SMALL piece each");
      assertTrue(frames.isEmpty());
    } finally {
      connections.forEach(WebSocketFrameDecoder::close);
    }
    assertEquals(0, pool.snapshot().liveBytes());
  }

  @Test
  void unmaskingIsRightAtEveryMaskPhaseAndByteOrder() throws Exception {
    Random random = new Random(8);
    for (int length : new int[] {1, 7, 8, 9, 15, 16, 17, 4095, 4096, 4097, 70_001}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      byte[] wire = WireFrames.encode(true, 0, 2, payload, random.nextInt());
      for (int cut = 0; cut < Math.min(wire.length, 23); cut++) {
        for (java.nio.ByteOrder order :
            new java.nio.ByteOrder[] {
              java.nio.ByteOrder.BIG_ENDIAN, java.nio.ByteOrder.LITTLE_ENDIAN
            }) {
          WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1 << 20);
          ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).order(order);
          direct.put(wire).flip();
          d.feed(direct.duplicate().order(order).limit(cut), frames::add);
          d.feed(direct.duplicate().order(order).position(cut), frames::add);
          assertEquals(1, frames.size());
          assertArrayEquals(payload, frames.get(0).payload().toByteArray(), length + "/" + cut);
          frames.remove(0).close();
        }
      }
    }
  }

  @Test
  void afterAnErrorInputIsRefusedUntilReset() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1000);
    assertThrows(
        WebSocketProtocolException.class,
        () -> feed(d, WireFrames.encode(true, 0, 2, new byte[3], null)));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> feed(d, WireFrames.masked(true, 2, new byte[3])));
    assertTrue(e.getMessage().contains("UNMASKED_FRAME"), e.getMessage());
    d.reset();
    feed(d, WireFrames.masked(true, 2, new byte[3]));
    assertEquals(1, frames.size());
  }

  @Test
  void memoryRefusedForAFramePassesAsItselfAndInputIsRefusedUntilReset() throws Exception {
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("ws-decoder-limited").hardLimit("t", 8 * 1024).build()) {
      WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(limited.forTenant("t"), 1 << 20);
      TenantLimitExceededException e =
          assertThrows(
              TenantLimitExceededException.class,
              () ->
                  d.feed(
                      ByteBuffer.wrap(WireFrames.masked(true, 2, new byte[20_000])), frames::add));
      assertEquals("t", e.tenant());
      assertEquals(1008, e.webSocketCloseCode());
      assertEquals(0, limited.snapshot().liveBytes());
      assertThrows(
          IllegalStateException.class,
          () -> d.feed(ByteBuffer.wrap(WireFrames.masked(true, 2, new byte[3])), frames::add));
      d.reset();
      d.feed(ByteBuffer.wrap(WireFrames.masked(true, 2, new byte[3])), frames::add);
      assertEquals(1, frames.size());
      frames.forEach(WebSocketFrame::close);
      frames.clear();
    }
  }

  @Test
  void aSinkErrorReleasesTheFrameItWasGiven() throws Exception {
    WebSocketFrameDecoder d = WebSocketFrameDecoder.forServer(pool, 1000);
    List<String> messages = new ArrayList<>();
    WebSocketMessageAccumulator acc =
        new WebSocketMessageAccumulator(
            pool,
            1000,
            m -> {
              messages.add(m.length() + "");
              m.close();
            });
    byte[] wire =
        Bodies.concat(
            WireFrames.masked(true, 2, new byte[10]), WireFrames.masked(true, 1, new byte[5]));
    WebSocketProtocolException e =
        assertThrows(
            WebSocketProtocolException.class, () -> d.feed(ByteBuffer.wrap(wire), acc::accept));
    assertEquals(WebSocketFault.TEXT_MESSAGE, e.fault());
    assertEquals(List.of("10"), messages);
  }

  private WebSocketProtocolException assertFault(
      WebSocketFrameDecoder d, WebSocketFault fault, String message, byte[] wire) {
    WebSocketProtocolException e =
        assertThrows(WebSocketProtocolException.class, () -> feed(d, wire));
    assertEquals(fault, e.fault());
    assertTrue(e.getMessage().contains(message), () -> message + " not in " + e.getMessage());
    TestPools.assertNoLiveBytes(pool, fault.toString());
    return e;
  }
}
