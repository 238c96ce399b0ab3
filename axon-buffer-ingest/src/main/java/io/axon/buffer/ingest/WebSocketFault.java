package io.axon.buffer.ingest;

/** What went wrong in a WebSocket frame sequence, with the close code (RFC 6455 §7.4.1) to send. */
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
  TRUNCATED(1006),
  /** The allocator refused memory: the tenant's hard limit (policy violation). */
  TENANT_LIMIT_EXCEEDED(1008),
  /** The system had no memory for the message. */
  ALLOCATION_FAILED(1011);

  private final int closeCode;

  WebSocketFault(int closeCode) {
    this.closeCode = closeCode;
  }

  /** The status code to put in the close frame (RFC 6455 §7.4.1). */
  public int closeCode() {
    return closeCode;
  }
}
