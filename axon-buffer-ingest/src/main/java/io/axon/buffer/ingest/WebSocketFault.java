package io.axon.buffer.ingest;

/**
 * What went wrong in a WebSocket frame sequence, with the close code (RFC 6455 §7.4.1) to send and
 * the HTTP status a host that reports it over HTTP answers with (413 for {@link #MESSAGE_TOO_BIG},
 * 415 for {@link #TEXT_MESSAGE}, else 400).
 *
 * <p>Memory refused for a message or a frame is not a protocol fault: the accumulator and the
 * decoder throw the {@link io.axon.buffer.ResourceException} they met as itself (a tenant's hard
 * limit: close code 1008; the system's memory: 1011).
 */
public enum WebSocketFault {
  /** A continuation frame ({@code 0x0}) arrived with no message open. */
  CONTINUATION_WITHOUT_OPENER(1002),
  /**
   * A data frame that opens a message ({@code 0x1}, {@code 0x2}) arrived before the open one ended.
   */
  OPENER_BEFORE_FIN(1002),
  /** A control frame (close, ping, pong) without FIN. */
  FRAGMENTED_CONTROL_FRAME(1002),
  /** A control frame with more than 125 payload bytes. */
  CONTROL_FRAME_TOO_LONG(1002),
  /** RSV1, RSV2 or RSV3 set with no extension negotiated. */
  RESERVED_BITS(1002),
  /** Opcode 0x3–0x7 or 0xB–0xF. */
  RESERVED_OPCODE(1002),
  /** A close frame with a 1-byte payload, or a status code that may not be sent. */
  INVALID_CLOSE_PAYLOAD(1002),
  /** A close frame whose reason is not valid UTF-8. */
  INVALID_CLOSE_REASON(1007),
  /** A frame after the close frame. */
  FRAME_AFTER_CLOSE(1002),
  /** A text message offered to a binary accumulator. */
  TEXT_MESSAGE(1003),
  /** A message (or, for the decoder, a frame) over the configured limit. */
  MESSAGE_TOO_BIG(1009),
  /** Decoder: a client frame without a mask (a server must fail the connection, §5.1). */
  UNMASKED_FRAME(1002),
  /** Decoder: a server frame with a mask (a client must fail the connection, §5.1). */
  MASKED_FRAME(1002),
  /** Decoder: a length not in its minimal encoding, or a 64-bit length with its top bit set. */
  INVALID_LENGTH(1002),
  /**
   * Decoder: the input ended inside a frame. 1006 is the code for an abnormal closure; it is
   * reported to the application and must never be sent in a close frame.
   */
  TRUNCATED(1006);

  private final int closeCode;

  WebSocketFault(int closeCode) {
    this.closeCode = closeCode;
  }

  /** The status code to put in the close frame (RFC 6455 §7.4.1). */
  public int closeCode() {
    return closeCode;
  }

  /** The HTTP status for this fault: 413 for a message too big, 415 for text, else 400. */
  public int httpStatus() {
    return this == MESSAGE_TOO_BIG ? 413 : this == TEXT_MESSAGE ? 415 : 400;
  }
}
