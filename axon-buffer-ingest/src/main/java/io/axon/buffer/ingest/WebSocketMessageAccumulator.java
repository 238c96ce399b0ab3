package io.axon.buffer.ingest;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ResourceException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SegmentedBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Assembles WebSocket binary messages (RFC 6455 §5.4) from already-unmasked frames: {@code 0x2}
 * opens a message, {@code 0x0} continues it, FIN ends it. Ping and pong frames may come between
 * fragments and are passed through; a close frame discards (and releases) a partial message.
 *
 * <h2>Copies</h2>
 *
 * <ul>
 *   <li>A message of one frame (FIN set on the {@code 0x2} frame) given as a {@link WebSocketFrame}
 *       is delivered as that frame's payload view: no copy. This is why frames carry a pooled
 *       {@link ZeroCopyBuffer} rather than a {@link ByteBuffer}: a caller's ByteBuffer is typically
 *       a read buffer it reuses as soon as the callback returns, so keeping it without a copy would
 *       hand out bytes that change underneath; a view has an explicit, reference-counted lifetime
 *       that the accumulator can take over. ({@link WebSocketFrameDecoder} produces such frames
 *       from wire bytes.)
 *   <li>A fragmented message is copied once, fragment by fragment, into pooled memory from the
 *       allocator (a chain of slabs, delivered as a composite view when it outgrows the first),
 *       since keeping every fragment's view would pin one slab per fragment: a thousand one-byte
 *       fragments would hold a thousand slabs.
 *   <li>{@link #accept(boolean, int, int, ByteBuffer)} takes a caller's ByteBuffer (for example
 *       from {@code java.net.http.WebSocket.Listener.onBinary}) and copies it once into pooled
 *       memory; the buffer is not kept and its position is not moved.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * Protocol errors throw {@link WebSocketProtocolException} with the close code to send (1002 for
 * protocol violations, 1003 for a text message, 1009 for a message over the limit, raised on the
 * fragment that crosses it, before copying it; sizes are summed as {@code long}, so nothing
 * overflows past 2³¹). Memory refused for a message (the tenant's hard limit, the system's memory)
 * throws the {@link ResourceException} the allocator threw, as itself (close codes 1008 and 1011:
 * {@link AxonBufferException#webSocketCloseCode()}). The partial message and the offending frame
 * are released first. After an error the accumulator refuses frames ({@link IllegalStateException})
 * until {@link #reset()}.
 *
 * <h2>Ownership and threads</h2>
 *
 * A frame passed to {@link #accept(WebSocketFrame)} belongs to the accumulator from the call on,
 * even when the call throws. Messages and control frames handed to the {@link Listener} belong to
 * the listener. Not thread-safe: one thread (the connection's) feeds it.
 */
public final class WebSocketMessageAccumulator implements AutoCloseable {

  /** The largest message limit: the largest view (2 GiB - 9 bytes). */
  public static final long MAX_MESSAGE_BYTES_CEILING = Integer.MAX_VALUE - 8L;

  /** Receives assembled messages and passed-through control frames. */
  public interface Listener {
    /** A complete binary message. The listener owns it and must close it. */
    void onMessage(ZeroCopyBuffer message);

    /**
     * A ping, pong or close frame, in the order received (between fragments too). The listener owns
     * it; the default closes it.
     */
    default void onControlFrame(WebSocketFrame frame) {
      frame.close();
    }
  }

  private enum State {
    IDLE,
    IN_MESSAGE,
    CLOSED,
    FAILED
  }

  private final BufferAllocator allocator;
  private final long maxMessageBytes;
  private final BufferKind messageKind;
  private final Listener listener;

  private State state = State.IDLE;

  /** The open fragmented message (null unless {@code IN_MESSAGE}). */
  private SegmentedBuilder message;

  private String failure;

  /** Set when the frame being processed was handed on (its payload is no longer ours to close). */
  private boolean taken;

  /**
   * An accumulator delivering messages tagged {@code raw}.
   *
   * @param allocator where fragmented messages are assembled (its tenant pays)
   * @param maxMessageBytes the largest message, 0 to {@link #MAX_MESSAGE_BYTES_CEILING}
   * @param listener receives messages and control frames
   */
  public WebSocketMessageAccumulator(
      BufferAllocator allocator, long maxMessageBytes, Listener listener) {
    this(allocator, maxMessageBytes, BufferKind.raw(), listener);
  }

  /**
   * As {@link #WebSocketMessageAccumulator(BufferAllocator, long, Listener)}, tagging every message
   * with {@code messageKind} (say, {@code pcm16} for an audio stream).
   */
  public WebSocketMessageAccumulator(
      BufferAllocator allocator, long maxMessageBytes, BufferKind messageKind, Listener listener) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    if (maxMessageBytes < 0 || maxMessageBytes > MAX_MESSAGE_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 0.." + MAX_MESSAGE_BYTES_CEILING + ", was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.messageKind = Objects.requireNonNull(messageKind, "messageKind");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Takes one frame (and its ownership).
   *
   * @throws WebSocketProtocolException if the frame breaks the protocol or the limit
   * @throws ResourceException if memory for the message is refused
   * @throws IllegalStateException if the accumulator failed earlier (or was closed) and was not
   *     {@link #reset()}
   */
  public void accept(WebSocketFrame frame) {
    Objects.requireNonNull(frame, "frame");
    taken = false;
    try {
      process(frame.fin(), frame.rsv(), frame.opcode(), frame, null);
    } finally {
      if (!taken) {
        frame.close();
      }
    }
  }

  /**
   * Takes one frame given as its header bits and a caller's buffer: the remaining bytes of {@code
   * payload}, unmasked. They are copied into pooled memory (once) before this returns; {@code
   * payload} is neither kept nor moved.
   *
   * @throws WebSocketProtocolException if the frame breaks the protocol or the limit
   * @throws ResourceException if memory for the frame or the message is refused
   * @throws IllegalStateException if the accumulator failed earlier and was not reset
   * @throws IllegalArgumentException if {@code rsv} is not 0–7 or {@code opcode} not 0–15
   */
  public void accept(boolean fin, int rsv, int opcode, ByteBuffer payload) {
    Objects.requireNonNull(payload, "payload");
    if (rsv < 0 || rsv > 7) {
      throw new IllegalArgumentException("rsv must be 0..7, was " + rsv);
    }
    if (opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("opcode must be 0..15, was " + opcode);
    }
    process(fin, rsv, opcode, null, payload.duplicate());
  }

  private void process(boolean fin, int rsv, int opcode, WebSocketFrame frame, ByteBuffer bytes) {
    if (state == State.FAILED) {
      throw new IllegalStateException(
          "WebSocket accumulator refuses frames until reset(): " + failure);
    }
    int length = frame != null ? frame.payload().length() : bytes.remaining();
    String what = WebSocketFrame.opcodeName(opcode) + " frame (" + length + " bytes)";
    if (state == State.CLOSED) {
      throw fail(WebSocketFault.FRAME_AFTER_CLOSE, what + " after the close frame");
    }
    if (rsv != 0) {
      throw fail(
          WebSocketFault.RESERVED_BITS,
          what + " has RSV bits " + rsvBits(rsv) + " set and no extension is negotiated");
    }
    if ((opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB) {
      throw fail(
          WebSocketFault.RESERVED_OPCODE, "reserved opcode 0x" + Integer.toHexString(opcode));
    }
    if (opcode >= 0x8) {
      control(fin, opcode, length, what, frame, bytes);
      return;
    }
    switch (opcode) {
      case WebSocketFrame.TEXT:
        if (state == State.IN_MESSAGE) {
          throw fail(
              WebSocketFault.OPENER_BEFORE_FIN,
              what
                  + " opens a message while the binary"
                  + " message of "
                  + messageBytes()
                  + " bytes so far has not ended");
        }
        throw fail(
            WebSocketFault.TEXT_MESSAGE,
            what + " opens a text message; this accumulator" + " takes binary messages only");
      case WebSocketFrame.BINARY:
        if (state == State.IN_MESSAGE) {
          throw fail(
              WebSocketFault.OPENER_BEFORE_FIN,
              what
                  + " opens a message while the"
                  + " previous one ("
                  + messageBytes()
                  + " bytes so far) has not ended");
        }
        checkLimit(length, what);
        if (fin) {
          deliver(frame != null ? take(frame) : copy(bytes, length, messageKind));
          return;
        }
        state = State.IN_MESSAGE;
        // Pieces sized by the message limit too: a message that may not grow past it is never
        // billed for a slab it could not fill.
        message = new SegmentedBuilder(allocator, maxMessageBytes);
        append(frame, bytes);
        return;
      default: // CONTINUATION
        if (state != State.IN_MESSAGE) {
          throw fail(
              WebSocketFault.CONTINUATION_WITHOUT_OPENER,
              what + " continues a message but none was opened");
        }
        checkLimit(length, what);
        append(frame, bytes);
        if (fin) {
          SegmentedBuilder done = message;
          message = null;
          state = State.IDLE;
          deliver(done.freeze(messageKind));
        }
    }
  }

  private void control(
      boolean fin, int opcode, int length, String what, WebSocketFrame frame, ByteBuffer bytes) {
    if (!fin) {
      throw fail(
          WebSocketFault.FRAGMENTED_CONTROL_FRAME,
          what + " without FIN: control frames" + " must not be fragmented");
    }
    if (length > 125) {
      throw fail(
          WebSocketFault.CONTROL_FRAME_TOO_LONG,
          what + ": control frames carry at most" + " 125 bytes");
    }
    if (opcode == WebSocketFrame.CLOSE) {
      checkClosePayload(frame != null ? frame.payload().asReadOnlyByteBuffer() : bytes.duplicate());
      discardMessage();
      state = State.CLOSED;
    }
    WebSocketFrame out =
        frame != null
            ? frame
            : new WebSocketFrame(true, 0, opcode, copy(bytes, length, BufferKind.raw()));
    taken = true;
    listener.onControlFrame(out);
  }

  private void checkClosePayload(ByteBuffer p) {
    int n = p.remaining();
    if (n == 0) {
      return;
    }
    if (n == 1) {
      throw fail(
          WebSocketFault.INVALID_CLOSE_PAYLOAD,
          "close frame with a 1-byte payload (a" + " status code takes 2)");
    }
    int code = (p.get(p.position()) & 0xff) << 8 | (p.get(p.position() + 1) & 0xff);
    boolean valid =
        (code >= 1000 && code <= 1003)
            || (code >= 1007 && code <= 1014)
            || (code >= 3000 && code <= 4999);
    if (!valid) {
      throw fail(
          WebSocketFault.INVALID_CLOSE_PAYLOAD,
          "close status code " + code + " may not be sent (RFC 6455 §7.4)");
    }
    ByteBuffer reason = p.duplicate();
    reason.position(p.position() + 2);
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(reason);
    } catch (CharacterCodingException e) {
      throw fail(
          WebSocketFault.INVALID_CLOSE_REASON,
          "close reason of " + (n - 2) + " bytes is not valid UTF-8");
    }
  }

  private void checkLimit(int length, String what) {
    long total = messageBytes() + length;
    if (total > maxMessageBytes) {
      throw fail(
          WebSocketFault.MESSAGE_TOO_BIG,
          what + " takes the message to " + total + " bytes, over the limit of " + maxMessageBytes);
    }
  }

  private ZeroCopyBuffer take(WebSocketFrame frame) {
    taken = true;
    ZeroCopyBuffer payload = frame.payload();
    if (payload.kind().equals(messageKind)) {
      return payload;
    }
    try {
      return payload.retag(messageKind);
    } finally {
      payload.close();
    }
  }

  private ZeroCopyBuffer copy(ByteBuffer bytes, int length, BufferKind kind) {
    if (length == 0) {
      return Buffers.empty(kind);
    }
    BufferMut mut;
    try {
      mut = allocator.acquire(length);
    } catch (ResourceException e) {
      throw failed(e);
    }
    try {
      mut.append(bytes);
      return mut.freeze(kind);
    } finally {
      mut.close();
    }
  }

  private void append(WebSocketFrame frame, ByteBuffer bytes) {
    try {
      if (frame != null) {
        for (ByteBuffer piece : frame.payload().asReadOnlyByteBuffers()) {
          message.append(piece.duplicate());
        }
      } else {
        message.append(bytes);
      }
    } catch (ResourceException e) {
      throw failed(e);
    }
  }

  private void deliver(ZeroCopyBuffer m) {
    state = State.IDLE;
    listener.onMessage(m);
  }

  private WebSocketProtocolException fail(WebSocketFault fault, String detail) {
    return failed(new WebSocketProtocolException(fault, detail));
  }

  /** Releases the partial message and refuses frames until {@link #reset()}; returns {@code e}. */
  private <E extends AxonBufferException> E failed(E e) {
    discardMessage();
    state = State.FAILED;
    failure = e.getMessage();
    return e;
  }

  private void discardMessage() {
    if (message != null) {
      message.close();
      message = null;
    }
  }

  private long messageBytes() {
    return message == null ? 0 : message.length();
  }

  private static String rsvBits(int rsv) {
    StringBuilder s = new StringBuilder();
    for (int bit = 1; bit <= 3; bit++) {
      if ((rsv & (1 << (3 - bit))) != 0) {
        s.append(s.length() == 0 ? "" : "+").append("RSV").append(bit);
      }
    }
    return s.toString();
  }

  /** True while a fragmented message is open. */
  public boolean inMessage() {
    return state == State.IN_MESSAGE;
  }

  /** The bytes of the open message so far (0 when none is open). */
  public long bufferedBytes() {
    return messageBytes();
  }

  /** True after a close frame (further frames are a protocol error). */
  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** True after an error (or {@link #close()}), until {@link #reset()}. */
  public boolean isFailed() {
    return state == State.FAILED;
  }

  /** Releases any partial message and makes the accumulator ready for a new message sequence. */
  public void reset() {
    discardMessage();
    state = State.IDLE;
    failure = null;
  }

  /** Releases any partial message; further frames are refused until {@link #reset()}. */
  @Override
  public void close() {
    discardMessage();
    state = State.FAILED;
    failure = "the accumulator was closed";
  }
}
