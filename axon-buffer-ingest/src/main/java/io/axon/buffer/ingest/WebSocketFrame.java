package io.axon.buffer.ingest;

import io.axon.buffer.ZeroCopyBuffer;
import java.util.Objects;

/**
 * One WebSocket frame (RFC 6455 §5.2) with its payload already unmasked, as a pooled view.
 *
 * <p>The frame owns its payload: whoever holds the frame closes it (closing the frame closes the
 * payload). Passing a frame to {@link WebSocketMessageAccumulator#accept(WebSocketFrame)} passes
 * that ownership on.
 */
public final class WebSocketFrame implements AutoCloseable {

  /** Continuation of a fragmented message. */
  public static final int CONTINUATION = 0x0;

  /** Opens a text message. */
  public static final int TEXT = 0x1;

  /** Opens a binary message. */
  public static final int BINARY = 0x2;

  /** Close (control). */
  public static final int CLOSE = 0x8;

  /** Ping (control). */
  public static final int PING = 0x9;

  /** Pong (control). */
  public static final int PONG = 0xA;

  private final boolean fin;
  private final int rsv;
  private final int opcode;
  private final ZeroCopyBuffer payload;

  /**
   * @param fin the FIN bit
   * @param rsv the RSV1–RSV3 bits as a number 0–7 (RSV1 is 4)
   * @param opcode 0–15
   * @param payload the unmasked payload; the frame takes ownership of it
   * @throws IllegalArgumentException if {@code rsv} or {@code opcode} is out of range
   */
  public WebSocketFrame(boolean fin, int rsv, int opcode, ZeroCopyBuffer payload) {
    if (rsv < 0 || rsv > 7) {
      throw new IllegalArgumentException("rsv must be 0..7, was " + rsv);
    }
    if (opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("opcode must be 0..15, was " + opcode);
    }
    this.fin = fin;
    this.rsv = rsv;
    this.opcode = opcode;
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  /** The FIN bit: this frame ends its message. */
  public boolean fin() {
    return fin;
  }

  /** RSV1–RSV3 as a number 0–7 (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
  public int rsv() {
    return rsv;
  }

  /** The opcode, 0–15. */
  public int opcode() {
    return opcode;
  }

  /** True for opcodes 0x8–0xF (close, ping, pong, reserved control). */
  public boolean isControl() {
    return (opcode & 0x8) != 0;
  }

  /** The payload; valid until this frame is closed. */
  public ZeroCopyBuffer payload() {
    return payload;
  }

  /** Closes the payload. Idempotent. */
  @Override
  public void close() {
    payload.close();
  }

  /** A name for an opcode: {@code binary}, {@code continuation}, … or {@code 0x3}. */
  public static String opcodeName(int opcode) {
    switch (opcode) {
      case CONTINUATION:
        return "continuation";
      case TEXT:
        return "text";
      case BINARY:
        return "binary";
      case CLOSE:
        return "close";
      case PING:
        return "ping";
      case PONG:
        return "pong";
      default:
        return "0x" + Integer.toHexString(opcode);
    }
  }

  @Override
  public String toString() {
    return opcodeName(opcode)
        + (fin ? " fin" : "")
        + (rsv != 0 ? " rsv=" + rsv : "")
        + " "
        + (payload.isClosed() ? "(closed)" : payload.length() + " bytes");
  }
}
