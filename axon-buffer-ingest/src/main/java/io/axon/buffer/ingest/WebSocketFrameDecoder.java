package io.axon.buffer.ingest;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SegmentedBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Decodes raw WebSocket wire bytes (RFC 6455 §5.2), fed in chunks split anywhere, into {@link
 * WebSocketFrame}s whose payloads are unmasked into pooled memory. Feed its frames to a {@link
 * WebSocketMessageAccumulator} to get messages:
 *
 * <pre>{@code
 * WebSocketMessageAccumulator messages = new WebSocketMessageAccumulator(alloc, 16 << 20, l);
 * WebSocketFrameDecoder frames = WebSocketFrameDecoder.forServer(alloc, 16 << 20);
 * frames.feed(wireBytes, messages::accept);
 * }</pre>
 *
 * <h2>What it checks</h2>
 *
 * The mask bit against the role ({@link #forServer} decodes client frames, which must be masked;
 * {@link #forClient} server frames, which must not be), the minimal length encoding and the 64-bit
 * length's top bit, control frames' FIN and 125-byte limit, and the frame size limit: all before
 * any payload memory is acquired. Opcodes and RSV bits are passed through for the accumulator to
 * judge.
 *
 * <h2>Memory</h2>
 *
 * A frame's memory follows the bytes received, never the length its header announces: a header
 * alone holds nothing, and the payload goes into a {@link SegmentedBuilder} (billed to the
 * allocator's tenant piece by piece as it is taken) whose first piece is the largest size class no
 * larger than the payload bytes at hand (4 KiB at least), and each next piece the largest no larger
 * than the bytes received, never past the announced length (see {@link SegmentedBuilder}). So a
 * sender that announces 16 MiB and sends one byte holds one 4 KiB piece; the memory a frame holds
 * is at most twice its received bytes (4 KiB at least). A refusal ({@link
 * io.axon.buffer.TenantLimitExceededException}, ...) is thrown as itself.
 *
 * <h2>Copies</h2>
 *
 * Each payload byte is copied once, from the wire into pooled memory: a masked frame (what {@link
 * #forServer} decodes) is unmasked on the way, eight bytes at a time, straight into the builder's
 * writable tail; an unmasked one ({@link #forClient}) is copied as it is. Headers are parsed in
 * place (at most 14 bytes are kept, for a header split across chunks).
 *
 * <p>Then a {@link WebSocketMessageAccumulator} delivers a one-frame message as the frame's own
 * view (no further copy), and copies each fragment of a fragmented message once more, into the
 * message's pooled memory (its class comment says why). Per payload byte, from wire to message: 1
 * copy, or 2 when the message is fragmented. Not thread-safe.
 *
 * <p>Frames handed to the sink belong to it, even when it throws. On an error the decoder releases
 * its partial frame and refuses input until {@link #reset()}.
 */
public final class WebSocketFrameDecoder implements AutoCloseable {

  /** Receives decoded frames (and their ownership). */
  @FunctionalInterface
  public interface FrameSink {
    /**
     * One decoded frame; the sink owns it.
     *
     * @param frame the frame
     * @throws WebSocketProtocolException (or any exception) to stop the decoding: the decoder then
     *     refuses input until {@link #reset()}
     */
    void onFrame(WebSocketFrame frame);
  }

  private final BufferAllocator allocator;
  private final int maxFramePayload;
  private final boolean expectMasked;

  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private boolean inPayload;
  private boolean fin;
  private int rsv;
  private int opcode;
  private int mask;
  private boolean masked;
  private long remaining;
  private int maskPosition;
  private SegmentedBuilder payload;
  private long offset;
  private long frames;
  private String failure;

  private WebSocketFrameDecoder(BufferAllocator allocator, int maxFramePayload, boolean masked) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    if (maxFramePayload < 0
        || maxFramePayload > WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "maxFramePayload must be 0.."
              + WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING
              + ", was "
              + maxFramePayload);
    }
    this.maxFramePayload = maxFramePayload;
    this.expectMasked = masked;
  }

  /** A decoder for frames a client sends (masked), as a server reads them. */
  public static WebSocketFrameDecoder forServer(BufferAllocator allocator, int maxFramePayload) {
    return new WebSocketFrameDecoder(allocator, maxFramePayload, true);
  }

  /** A decoder for frames a server sends (unmasked), as a client reads them. */
  public static WebSocketFrameDecoder forClient(BufferAllocator allocator, int maxFramePayload) {
    return new WebSocketFrameDecoder(allocator, maxFramePayload, false);
  }

  /**
   * Decodes the remaining bytes of {@code wire} (moving its position to its limit), handing each
   * complete frame to {@code sink}.
   *
   * @throws WebSocketProtocolException if a frame header breaks the protocol or the size limit, or
   *     if the sink throws one (the decoder then refuses input until {@link #reset()})
   * @throws io.axon.buffer.ResourceException if memory for a frame is refused, as the allocator
   *     threw it (the decoder then refuses input until {@link #reset()})
   * @throws IllegalStateException after an earlier error, until {@link #reset()}
   */
  public void feed(ByteBuffer wire, FrameSink sink) {
    Objects.requireNonNull(wire, "wire");
    Objects.requireNonNull(sink, "sink");
    if (failure != null) {
      throw new IllegalStateException("WebSocket decoder refuses input until reset(): " + failure);
    }
    try {
      decode(wire, sink);
    } catch (AxonBufferException e) {
      failed(e.getMessage());
      throw e;
    } catch (RuntimeException | Error e) {
      failed(e.toString());
      throw e;
    }
  }

  private void decode(ByteBuffer wire, FrameSink sink) {
    while (wire.hasRemaining()) {
      if (!inPayload) {
        while (headerLength < headerNeeded && wire.hasRemaining()) {
          header[headerLength++] = wire.get();
          offset++;
          if (headerLength == 2) {
            int len7 = header[1] & 0x7f;
            masked = (header[1] & 0x80) != 0;
            headerNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
          }
        }
        if (headerLength < headerNeeded) {
          return;
        }
        startPayload();
        if (remaining == 0) {
          emit(sink);
          continue;
        }
      }
      int n = (int) Math.min(remaining, wire.remaining());
      unmaskInto(wire, n);
      remaining -= n;
      offset += n;
      if (remaining == 0) {
        emit(sink);
      }
    }
  }

  private void startPayload() {
    fin = (header[0] & 0x80) != 0;
    rsv = (header[0] >> 4) & 0x7;
    opcode = header[0] & 0x0f;
    int len7 = header[1] & 0x7f;
    int at = 2;
    long length;
    if (len7 == 126) {
      length = (header[2] & 0xffL) << 8 | (header[3] & 0xffL);
      at = 4;
      if (length < 126) {
        throw error(
            WebSocketFault.INVALID_LENGTH,
            "16-bit length " + length + " should have been sent in 7 bits");
      }
    } else if (len7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = length << 8 | (header[i] & 0xffL);
      }
      at = 10;
      if (length < 0) {
        throw error(
            WebSocketFault.INVALID_LENGTH, "64-bit length has its most significant bit" + " set");
      }
      if (length < 65536) {
        throw error(
            WebSocketFault.INVALID_LENGTH,
            "64-bit length " + length + " should have been sent in 16 bits or fewer");
      }
    } else {
      length = len7;
    }
    if (masked != expectMasked) {
      throw error(
          masked ? WebSocketFault.MASKED_FRAME : WebSocketFault.UNMASKED_FRAME,
          WebSocketFrame.opcodeName(opcode)
              + " frame is "
              + (masked ? "" : "not ")
              + "masked; frames from a "
              + (expectMasked ? "client" : "server")
              + " must "
              + (expectMasked ? "" : "not ")
              + "be");
    }
    mask = 0;
    if (masked) {
      mask =
          (header[at] & 0xff) << 24
              | (header[at + 1] & 0xff) << 16
              | (header[at + 2] & 0xff) << 8
              | (header[at + 3] & 0xff);
    }
    if ((opcode & 0x8) != 0) {
      if (!fin) {
        throw error(
            WebSocketFault.FRAGMENTED_CONTROL_FRAME,
            WebSocketFrame.opcodeName(opcode)
                + " frame without FIN: control frames must not be fragmented");
      }
      if (length > 125) {
        throw error(
            WebSocketFault.CONTROL_FRAME_TOO_LONG,
            WebSocketFrame.opcodeName(opcode)
                + " frame of "
                + length
                + " bytes: control frames carry at most 125");
      }
    }
    if (length > maxFramePayload) {
      throw error(
          WebSocketFault.MESSAGE_TOO_BIG,
          WebSocketFrame.opcodeName(opcode)
              + " frame of "
              + length
              + " bytes, over the limit of "
              + maxFramePayload);
    }
    remaining = length;
    maskPosition = 0;
    inPayload = true;
    if (length > 0) {
      payload = new SegmentedBuilder(allocator, length);
    }
  }

  /**
   * Moves {@code n} payload bytes from {@code wire} into the frame's memory, unmasking them on the
   * way, in place in the builder's writable tail. The first piece is the largest size class no
   * larger than the bytes at hand ({@code n}; 4 KiB at least), each later one what the builder
   * takes: the frame's memory stays within twice its received bytes.
   */
  private void unmaskInto(ByteBuffer wire, int n) {
    if (!masked) {
      int limit = wire.limit();
      wire.limit(wire.position() + n);
      payload.append(wire);
      wire.limit(limit);
      return;
    }
    int from = wire.position();
    while (n > 0) {
      ByteBuffer tail =
          payload.writableTail(
              payload.length() == 0
                  ? (int) Math.min(n, PoolClass.largestAtMost(n).slabBytes())
                  : 1);
      int c = Math.min(n, tail.capacity());
      maskPosition = unmask(wire, from, tail, c, mask, maskPosition);
      payload.commit(c);
      from += c;
      n -= c;
    }
    wire.position(from);
  }

  /**
   * Writes {@code wire[from, from + n)} XOR the mask into {@code out[0, n)}, eight bytes at a time,
   * whatever either buffer's byte order; returns the mask position after them.
   */
  private static int unmask(ByteBuffer wire, int from, ByteBuffer out, int n, int mask, int at) {
    // The mask as it applies from byte position `at` on: rotated, then twice in a long.
    int rotated = Integer.rotateLeft(mask, 8 * at);
    long m = (long) rotated << 32 | (rotated & 0xffffffffL);
    ByteOrder wireOrder = wire.order();
    ByteOrder outOrder = out.order();
    wire.order(ByteOrder.BIG_ENDIAN);
    out.order(ByteOrder.BIG_ENDIAN);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      out.putLong(i, wire.getLong(from + i) ^ m);
    }
    for (; i < n; i++) {
      out.put(i, (byte) (wire.get(from + i) ^ (rotated >>> (24 - 8 * (i & 3)))));
    }
    wire.order(wireOrder);
    out.order(outOrder);
    return (at + n) & 3;
  }

  private void emit(FrameSink sink) {
    ZeroCopyBuffer view;
    if (payload == null) {
      view = Buffers.empty(BufferKind.raw());
    } else {
      view = payload.freeze();
      payload = null;
    }
    WebSocketFrame frame = new WebSocketFrame(fin, rsv, opcode, view);
    inPayload = false;
    headerLength = 0;
    headerNeeded = 2;
    frames++;
    sink.onFrame(frame);
  }

  private WebSocketProtocolException error(WebSocketFault fault, String detail) {
    return new WebSocketProtocolException(
        fault, detail + " (frame " + frames + ", wire offset " + offset + ")");
  }

  private void failed(String why) {
    release();
    failure = why;
  }

  private void release() {
    if (payload != null) {
      payload.close();
      payload = null;
    }
    inPayload = false;
    headerLength = 0;
    headerNeeded = 2;
  }

  /**
   * Ends the input. Does nothing between frames.
   *
   * @throws WebSocketProtocolException {@link WebSocketFault#TRUNCATED} if the input ended inside a
   *     frame (whose memory is released)
   */
  public void finish() {
    if (failure == null && (inPayload || headerLength > 0)) {
      WebSocketProtocolException e =
          new WebSocketProtocolException(
              WebSocketFault.TRUNCATED,
              "input ended inside frame "
                  + frames
                  + " ("
                  + (inPayload
                      ? remaining + " payload bytes missing"
                      : headerLength + " of " + headerNeeded + " header bytes read")
                  + ", wire offset "
                  + offset
                  + ")");
      failed(e.getMessage());
      throw e;
    }
  }

  /** The frames decoded so far. */
  public long framesDecoded() {
    return frames;
  }

  /** The wire bytes consumed so far. */
  public long bytesDecoded() {
    return offset;
  }

  /** Releases a partial frame and accepts a new frame sequence. */
  public void reset() {
    release();
    failure = null;
  }

  /** Releases a partial frame; further input is refused until {@link #reset()}. */
  @Override
  public void close() {
    failed("the decoder was closed");
  }
}
