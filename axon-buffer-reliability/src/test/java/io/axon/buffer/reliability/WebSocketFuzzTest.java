package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.WebSocketFrame;
import io.axon.buffer.ingest.WebSocketFrameDecoder;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import io.axon.buffer.ingest.WebSocketProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.Set;

/**
 * Fuzzes the WebSocket frame decoder ({@link WebSocketFrameDecoder}) and message accumulator
 * ({@link WebSocketMessageAccumulator}).
 *
 * <p>{@link #decodeAndAccumulate}: one flags byte (bit 0: decode as a server, whose frames must be
 * masked; bits 1-7: the chunking seed), then raw wire bytes, fed in random chunks; the decoded
 * frames go to the accumulator. After a protocol error both are reset and the rest of the wire is
 * fed on (recovery is part of the contract). Seeds: the JDK client sessions of the shared corpus.
 *
 * <p>{@link #accumulateByteBuffers}: frames given as header bits and a caller's buffer (heap or
 * direct), the path a {@code java.net.http.WebSocket.Listener} uses.
 *
 * <p>Properties: only {@link WebSocketProtocolException} (with a close code of RFC 6455 §7.4.1),
 * never an {@link IllegalStateException} once reset; every delivered message is exactly the
 * concatenation of the data frames' payloads since its opener, and at most the limit; a caller's
 * buffer is neither kept nor moved; every pooled byte goes back (live bytes 0); no allocation
 * beyond the limits (a frame is allocated by its declared length only after that length passed the
 * frame limit).
 */
class WebSocketFuzzTest {

  static final int MAX_FRAME = 64 * 1024;
  static final int MAX_MESSAGE = 96 * 1024;
  static final Set<Integer> CLOSE_CODES = Set.of(1002, 1003, 1006, 1007, 1008, 1009, 1011);

  @FuzzTest(maxDuration = "5m")
  void decodeAndAccumulate(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean server = (input[0] & 1) != 0;
    Random chunks = new Random((input[0] & 0xff) >>> 1 ^ input.length);
    RecordingAllocator allocator = FuzzPools.allocator();
    Model model = new Model();
    WebSocketMessageAccumulator messages =
        new WebSocketMessageAccumulator(allocator, MAX_MESSAGE, model);
    WebSocketFrameDecoder decoder =
        server
            ? WebSocketFrameDecoder.forServer(allocator, MAX_FRAME)
            : WebSocketFrameDecoder.forClient(allocator, MAX_FRAME);
    int at = 1;
    while (at < input.length) {
      int n = Math.min(input.length - at, 1 + chunks.nextInt(chunks.nextBoolean() ? 16 : 4096));
      ByteBuffer wire = ByteBuffer.wrap(input, at, n);
      try {
        decoder.feed(
            wire,
            frame -> {
              model.frame(frame);
              messages.accept(frame);
            });
        assertEquals(at + n, wire.position(), "feed consumes the whole chunk");
        at += n;
      } catch (WebSocketProtocolException e) {
        checkError(e);
        at = wire.position();
        decoder.reset();
        messages.reset();
        model.reset();
      }
    }
    try {
      decoder.finish();
    } catch (WebSocketProtocolException e) {
      checkError(e);
    }
    decoder.close();
    messages.close();
    FuzzPools.assertNothingLive("decoding " + input.length + " wire bytes");
    allocator.assertLargestAtMost(
        PoolClass.LARGE.slabBytes(),
        "frames of at most " + MAX_FRAME + " bytes, messages of at most " + MAX_MESSAGE);
  }

  @FuzzTest(maxDuration = "5m")
  void accumulateByteBuffers(FuzzedDataProvider data) {
    RecordingAllocator allocator = FuzzPools.allocator();
    Model model = new Model();
    WebSocketMessageAccumulator messages = new WebSocketMessageAccumulator(allocator, 4096, model);
    int frames = data.consumeInt(0, 40);
    for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
      boolean fin = data.consumeBoolean();
      int rsv = data.consumeInt(0, 7);
      int opcode = data.consumeInt(0, 15);
      byte[] payload = data.consumeBytes(data.consumeInt(0, 3000));
      ByteBuffer buffer;
      if (data.consumeBoolean()) {
        buffer = ByteBuffer.allocateDirect(payload.length + 4).position(2);
        buffer.put(payload).flip().position(2);
      } else {
        buffer = ByteBuffer.wrap(payload);
      }
      int position = buffer.position();
      int limit = buffer.limit();
      model.frame(fin, rsv, opcode, buffer.duplicate());
      try {
        messages.accept(fin, rsv, opcode, buffer);
      } catch (WebSocketProtocolException e) {
        checkError(e);
        messages.reset();
        model.reset();
      }
      assertEquals(position, buffer.position(), "the caller's buffer is not moved");
      assertEquals(limit, buffer.limit());
    }
    messages.close();
    FuzzPools.assertNothingLive("accumulating " + frames + " frames");
    allocator.assertLargestAtMost(PoolClass.MEDIUM.slabBytes(), "messages of at most 4096 bytes");
  }

  static void checkError(WebSocketProtocolException e) {
    assertNotNull(e.fault());
    assertTrue(
        CLOSE_CODES.contains(e.webSocketCloseCode()), "close code " + e.webSocketCloseCode());
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }

  /**
   * The expected message: the payloads of the data frames since the last binary opener. Checked
   * against every message the accumulator delivers; closes what the listener receives.
   */
  static final class Model implements WebSocketMessageAccumulator.Listener {
    private ByteArrayOutputStream expected;

    void frame(WebSocketFrame frame) {
      frame(
          frame.fin(), frame.rsv(), frame.opcode(), ByteBuffer.wrap(frame.payload().toByteArray()));
    }

    void frame(boolean fin, int rsv, int opcode, ByteBuffer payload) {
      byte[] bytes = new byte[payload.remaining()];
      payload.duplicate().get(bytes);
      if (opcode == WebSocketFrame.BINARY) {
        expected = new ByteArrayOutputStream();
        expected.writeBytes(bytes);
      } else if (opcode == WebSocketFrame.CONTINUATION && expected != null) {
        expected.writeBytes(bytes);
      }
    }

    void reset() {
      expected = null;
    }

    @Override
    public void onMessage(ZeroCopyBuffer message) {
      try (message) {
        assertNotNull(expected, "a message delivered without an opener");
        assertTrue(message.length() <= MAX_MESSAGE, "message of " + message.length() + " bytes");
        assertArrayEquals(
            expected.toByteArray(),
            message.toByteArray(),
            "the message is not the concatenation of its fragments");
        expected = null;
      }
    }

    @Override
    public void onControlFrame(WebSocketFrame frame) {
      try (frame) {
        assertTrue(frame.isControl() && frame.fin() && frame.payload().length() <= 125);
      }
    }
  }
}
