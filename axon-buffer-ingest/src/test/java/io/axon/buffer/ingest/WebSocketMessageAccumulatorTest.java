package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketMessageAccumulatorTest {

  private SlabBufferPool pool;
  private Collect listener;
  private WebSocketMessageAccumulator acc;

  /** Keeps what it is given (closed after each test). */
  static final class Collect implements WebSocketMessageAccumulator.Listener {
    final List<ZeroCopyBuffer> messages = new ArrayList<>();
    final List<WebSocketFrame> controls = new ArrayList<>();
    final List<String> order = new ArrayList<>();

    @Override
    public void onMessage(ZeroCopyBuffer message) {
      messages.add(message);
      order.add("message " + message.length());
    }

    @Override
    public void onControlFrame(WebSocketFrame frame) {
      controls.add(frame);
      order.add(WebSocketFrame.opcodeName(frame.opcode()));
    }

    void closeAll() {
      messages.forEach(ZeroCopyBuffer::close);
      controls.forEach(WebSocketFrame::close);
    }
  }

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
    listener = new Collect();
    acc = new WebSocketMessageAccumulator(pool.forTenant("ws"), 1000, listener);
  }

  @AfterEach
  void tearDown() {
    listener.closeAll();
    acc.close();
    TestPools.assertNoLiveBytes(pool, "the test");
    pool.close();
  }

  private WebSocketFrame frame(boolean fin, int opcode, String payload) {
    return frame(fin, 0, opcode, payload.getBytes(StandardCharsets.UTF_8));
  }

  private WebSocketFrame frame(boolean fin, int rsv, int opcode, byte[] payload) {
    return new WebSocketFrame(
        fin, rsv, opcode, CorpusWebSocketTest.pooled(pool.forTenant("ws"), payload));
  }

  private static String text(ZeroCopyBuffer b) {
    return new String(b.toByteArray(), StandardCharsets.UTF_8);
  }

  private WebSocketProtocolException rejects(WebSocketFrame f) {
    WebSocketProtocolException e =
        assertThrows(WebSocketProtocolException.class, () -> acc.accept(f));
    assertTrue(f.payload().isClosed(), "the offending frame is released");
    assertTrue(acc.isFailed());
    assertEquals(0, acc.bufferedBytes());
    listener.closeAll();
    listener.messages.clear();
    listener.controls.clear();
    TestPools.assertNoLiveBytes(pool, e.fault().toString());
    return e;
  }

  @Test
  void aSingleFinFrameIsDeliveredAsItsOwnViewWithoutACopy() throws Exception {
    WebSocketFrame f = frame(true, WebSocketFrame.BINARY, "hello");
    ZeroCopyBuffer payload = f.payload();
    long live = pool.snapshot().liveBytes();
    acc.accept(f);
    assertSame(payload, listener.messages.get(0));
    assertEquals(live, pool.snapshot().liveBytes(), "no memory taken");
    assertFalse(payload.isClosed());
  }

  @Test
  void aMessageKindIsAppliedWithoutACopy() throws Exception {
    WebSocketMessageAccumulator pcm =
        new WebSocketMessageAccumulator(pool, 1000, BufferKind.of("pcm16"), listener);
    WebSocketFrame f = frame(true, WebSocketFrame.BINARY, "abcd");
    pcm.accept(f);
    ZeroCopyBuffer m = listener.messages.get(0);
    assertEquals("pcm16", m.kind().slug());
    assertTrue(f.payload().isClosed(), "the frame's view was replaced by the retagged one");
    assertEquals(1, m.sharers());
    pcm.accept(frame(false, WebSocketFrame.BINARY, "ab"));
    pcm.accept(frame(true, WebSocketFrame.CONTINUATION, "cd"));
    assertEquals("pcm16", listener.messages.get(1).kind().slug());
  }

  @Test
  void fragmentsAreJoinedAndControlFramesPassThroughInOrder() throws Exception {
    acc.accept(frame(false, WebSocketFrame.BINARY, "one "));
    acc.accept(frame(true, WebSocketFrame.PING, "p"));
    assertTrue(acc.inMessage());
    assertEquals(4, acc.bufferedBytes());
    acc.accept(frame(false, WebSocketFrame.CONTINUATION, ""));
    acc.accept(frame(true, WebSocketFrame.PONG, "q"));
    acc.accept(frame(false, WebSocketFrame.CONTINUATION, "two "));
    acc.accept(frame(true, WebSocketFrame.CONTINUATION, "three"));
    assertFalse(acc.inMessage());
    assertEquals(List.of("ping", "pong", "message 13"), listener.order);
    assertEquals("one two three", text(listener.messages.get(0)));
    assertEquals(java.util.Optional.of("ws"), listener.messages.get(0).tenant());
    acc.accept(frame(true, WebSocketFrame.BINARY, "next"));
    assertEquals("next", text(listener.messages.get(1)));
  }

  @Test
  void aCloseFrameMidMessageDiscardsAndReleasesThePartialMessage() throws Exception {
    acc.accept(frame(false, WebSocketFrame.BINARY, "x".repeat(500)));
    long closeBytes = 4096; // the close frame's own slab
    acc.accept(frame(true, 0, WebSocketFrame.CLOSE, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}));
    assertTrue(acc.isClosed());
    assertFalse(acc.inMessage());
    assertEquals(List.of("close"), listener.order);
    assertTrue(pool.snapshot().liveBytes() <= closeBytes, "only the close frame is alive");
    WebSocketProtocolException e = rejects(frame(true, WebSocketFrame.BINARY, "late"));
    assertEquals(WebSocketFault.FRAME_AFTER_CLOSE, e.fault());
    assertEquals(1002, e.webSocketCloseCode());
  }

  @Test
  void protocolViolationsGive1002() throws Exception {
    assertFault(
        WebSocketFault.CONTINUATION_WITHOUT_OPENER,
        1002,
        "continues a message but none",
        frame(true, WebSocketFrame.CONTINUATION, "x"));
    acc.accept(frame(false, WebSocketFrame.BINARY, "x"));
    assertFault(
        WebSocketFault.OPENER_BEFORE_FIN,
        1002,
        "has not ended",
        frame(true, WebSocketFrame.BINARY, "y"));
    acc.accept(frame(false, WebSocketFrame.BINARY, "x"));
    assertFault(
        WebSocketFault.OPENER_BEFORE_FIN,
        1002,
        "has not ended",
        frame(true, WebSocketFrame.TEXT, "y"));
    assertFault(
        WebSocketFault.FRAGMENTED_CONTROL_FRAME,
        1002,
        "without FIN",
        frame(false, WebSocketFrame.PING, "p"));
    assertFault(
        WebSocketFault.CONTROL_FRAME_TOO_LONG,
        1002,
        "126 bytes",
        frame(true, WebSocketFrame.PONG, "p".repeat(126)));
    assertFault(
        WebSocketFault.RESERVED_BITS,
        1002,
        "RSV1",
        frame(true, 4, WebSocketFrame.BINARY, new byte[1]));
    assertFault(
        WebSocketFault.RESERVED_BITS,
        1002,
        "RSV2+RSV3",
        frame(true, 3, WebSocketFrame.BINARY, new byte[1]));
    assertFault(WebSocketFault.RESERVED_OPCODE, 1002, "0x3", frame(true, 0, 0x3, new byte[1]));
    assertFault(WebSocketFault.RESERVED_OPCODE, 1002, "0xb", frame(true, 0, 0xB, new byte[1]));
    assertFault(
        WebSocketFault.INVALID_CLOSE_PAYLOAD,
        1002,
        "1-byte",
        frame(true, 0, WebSocketFrame.CLOSE, new byte[] {3}));
    assertFault(
        WebSocketFault.INVALID_CLOSE_PAYLOAD,
        1002,
        "1005",
        frame(true, 0, WebSocketFrame.CLOSE, new byte[] {0x03, (byte) 0xed}));
    assertFault(
        WebSocketFault.INVALID_CLOSE_PAYLOAD,
        1002,
        "999",
        frame(true, 0, WebSocketFrame.CLOSE, new byte[] {0x03, (byte) 0xe7}));
    assertFault(
        WebSocketFault.INVALID_CLOSE_REASON,
        1007,
        "not valid UTF-8",
        frame(true, 0, WebSocketFrame.CLOSE, new byte[] {0x03, (byte) 0xe8, (byte) 0xff}));
  }

  @Test
  void aTextMessageGives1003() {
    assertFault(
        WebSocketFault.TEXT_MESSAGE,
        1003,
        "binary messages only",
        frame(true, WebSocketFrame.TEXT, "hi"));
  }

  @Test
  void aMessageOverTheLimitGives1009OnTheCrossingFragmentBeforeCopyingIt() throws Exception {
    acc.accept(frame(false, WebSocketFrame.BINARY, "x".repeat(600)));
    acc.accept(frame(false, WebSocketFrame.CONTINUATION, "x".repeat(400)));
    assertEquals(1000, acc.bufferedBytes());
    WebSocketFrame crossing = frame(true, WebSocketFrame.CONTINUATION, "y");
    assertFault(
        WebSocketFault.MESSAGE_TOO_BIG, 1009, "1001 bytes, over the limit of 1000", crossing);
    assertFault(
        WebSocketFault.MESSAGE_TOO_BIG,
        1009,
        "1001 bytes",
        frame(true, WebSocketFrame.BINARY, "z".repeat(1001)));
  }

  @Test
  void sizesDoNotOverflowPastTwoGigabytes(@TempDir Path dir) throws Exception {
    // A sparse file as large as a view may be: mapping it costs no memory, and the limit check
    // must fail it before a byte is copied.
    Path sparse = dir.resolve("sparse.bin");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(MappedFiles.MAX_FILE_BYTES);
    }
    WebSocketMessageAccumulator big =
        new WebSocketMessageAccumulator(
            pool, WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING, listener);
    big.accept(frame(false, WebSocketFrame.BINARY, "0123456789"));
    WebSocketProtocolException e =
        assertThrows(
            WebSocketProtocolException.class,
            () ->
                big.accept(
                    new WebSocketFrame(
                        true, 0, WebSocketFrame.CONTINUATION, MappedFiles.map(sparse))));
    assertEquals(WebSocketFault.MESSAGE_TOO_BIG, e.fault());
    assertTrue(e.getMessage().contains("takes the message to 2147483649 bytes"), e.getMessage());
    big.reset();
    big.accept(frame(false, WebSocketFrame.BINARY, "0123456789"));
    MappedByteBuffer mapped;
    try (FileChannel ch = FileChannel.open(sparse)) {
      mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
    WebSocketProtocolException b =
        assertThrows(
            WebSocketProtocolException.class,
            () -> big.accept(true, 0, WebSocketFrame.CONTINUATION, mapped));
    assertEquals(WebSocketFault.MESSAGE_TOO_BIG, b.fault());
    assertEquals(0, mapped.position());
    TestPools.assertNoLiveBytes(pool, "the overflow check");
    Files.delete(sparse);
  }

  @Test
  void afterAnErrorFramesAreRefusedUntilReset() throws Exception {
    acc.accept(frame(false, WebSocketFrame.BINARY, "partial"));
    rejects(frame(true, WebSocketFrame.TEXT, "t"));
    WebSocketFrame refused = frame(true, WebSocketFrame.BINARY, "x");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> acc.accept(refused));
    assertTrue(e.getMessage().contains("until reset()"), e.getMessage());
    assertTrue(e.getMessage().contains("OPENER_BEFORE_FIN"), e.getMessage());
    assertTrue(refused.payload().isClosed());
    assertThrows(IllegalStateException.class, () -> acc.accept(true, 0, 2, ByteBuffer.allocate(1)));
    acc.reset();
    assertFalse(acc.isFailed());
    acc.accept(frame(true, WebSocketFrame.BINARY, "again"));
    assertEquals("again", text(listener.messages.get(0)));
  }

  @Test
  void callerBuffersAreCopiedOnceAndNotMoved() throws Exception {
    ByteBuffer whole = ByteBuffer.wrap("whole".getBytes(StandardCharsets.UTF_8));
    acc.accept(true, 0, WebSocketFrame.BINARY, whole);
    assertEquals(0, whole.position());
    ByteBuffer a = ByteBuffer.allocateDirect(3).put("abc".getBytes(StandardCharsets.UTF_8)).flip();
    acc.accept(false, 0, WebSocketFrame.BINARY, a);
    acc.accept(true, 0, WebSocketFrame.PING, ByteBuffer.wrap(new byte[] {1}));
    acc.accept(
        true,
        0,
        WebSocketFrame.CONTINUATION,
        ByteBuffer.wrap("def".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("message 5", "ping", "message 6"), listener.order);
    assertEquals("whole", text(listener.messages.get(0)));
    assertEquals("abcdef", text(listener.messages.get(1)));
    assertArrayEquals(new byte[] {1}, listener.controls.get(0).payload().toByteArray());
    assertEquals(0, a.position());
  }

  @Test
  void aTenantHardLimitPassesAsItselfAndLeavesTheAccumulatorFailedAndEmpty() throws Exception {
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("ws-limited").hardLimit("t", 10_000).build()) {
      WebSocketMessageAccumulator small =
          new WebSocketMessageAccumulator(limited.forTenant("t"), 1 << 20, listener);
      small.accept(false, 0, WebSocketFrame.BINARY, ByteBuffer.allocate(4000));
      TenantLimitExceededException e =
          assertThrows(
              TenantLimitExceededException.class,
              () ->
                  small.accept(true, 0, WebSocketFrame.CONTINUATION, ByteBuffer.allocate(200_000)));
      assertEquals("t", e.tenant());
      assertEquals(1008, e.webSocketCloseCode());
      assertEquals(0, limited.snapshot().liveBytes());
      assertTrue(small.isFailed());
      assertThrows(
          IllegalStateException.class,
          () -> small.accept(true, 0, WebSocketFrame.BINARY, ByteBuffer.allocate(1)));
      small.reset();
      small.accept(true, 0, WebSocketFrame.BINARY, ByteBuffer.allocate(10));
      assertEquals(10, listener.messages.get(listener.messages.size() - 1).length());
    }
  }

  /**
   * A message grows in pieces no larger than itself, and never larger than the message limit leaves
   * room for: a 90 KB message under a 100 KB limit fits a 200 KiB hard limit (4 KiB pieces, then 64
   * KiB ones, rounded down under the limit; a 1 MiB piece would be refused), and one over the limit
   * is 1009, not a tenant refusal.
   */
  @Test
  void piecesNeverExceedWhatTheMessageLimitLeavesRoomFor() throws Exception {
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("ws-piece-sizing").hardLimit("t", 200 * 1024).build()) {
      Collect got = new Collect();
      WebSocketMessageAccumulator acc100k =
          new WebSocketMessageAccumulator(limited.forTenant("t"), 100_000, got);
      byte[] fragment = new byte[10_000];
      new java.util.Random(7).nextBytes(fragment);
      acc100k.accept(false, 0, WebSocketFrame.BINARY, ByteBuffer.wrap(fragment));
      for (int i = 1; i < 8; i++) {
        acc100k.accept(false, 0, WebSocketFrame.CONTINUATION, ByteBuffer.wrap(fragment));
      }
      acc100k.accept(true, 0, WebSocketFrame.CONTINUATION, ByteBuffer.wrap(fragment));
      assertEquals(1, got.messages.size());
      assertEquals(90_000, got.messages.get(0).length());
      assertTrue(
          limited.snapshot().liveBytes("t") <= 2 * 65536,
          "two MEDIUM pieces at most (a 1 MiB second piece would pass the hard limit): "
              + limited.snapshot().liveBytes("t"));
      got.messages.get(0).close();
      got.messages.clear();

      acc100k.accept(false, 0, WebSocketFrame.BINARY, ByteBuffer.wrap(fragment));
      for (int i = 1; i < 10; i++) {
        acc100k.accept(false, 0, WebSocketFrame.CONTINUATION, ByteBuffer.wrap(fragment));
      }
      WebSocketProtocolException e =
          assertThrows(
              WebSocketProtocolException.class,
              () ->
                  acc100k.accept(true, 0, WebSocketFrame.CONTINUATION, ByteBuffer.wrap(fragment)));
      assertEquals(WebSocketFault.MESSAGE_TOO_BIG, e.fault());
      assertEquals(0, limited.snapshot().liveBytes());
      assertEquals(0, limited.snapshot().hardLimitRefusals().getOrDefault("t", 0L));
    }
  }

  private void assertFault(WebSocketFault fault, int code, String message, WebSocketFrame f) {
    WebSocketProtocolException e = rejects(f);
    assertEquals(fault, e.fault());
    assertEquals(code, e.webSocketCloseCode());
    assertTrue(e.getMessage().contains(message), () -> message + " not in " + e.getMessage());
    assertTrue(
        e.getMessage().startsWith(fault.name() + " (close code " + code + ")"), e.getMessage());
    acc.reset();
  }
}
