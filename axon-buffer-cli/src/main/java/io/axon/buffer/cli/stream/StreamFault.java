package io.axon.buffer.cli.stream;

/**
 * Why {@code GET /stream} ended a call early: each fault has the WebSocket close code the call is
 * closed with, and its name starts the close reason ({@code "TOO_FAST: ..."}), so that a client (a
 * browser too, which never sees an HTTP status of a failed handshake) can tell every refusal apart.
 * The codes follow the library's exception table (content faults 1007, unsupported content 1003,
 * size limits 1009, resource and policy limits 1008, server faults 1011).
 */
public enum StreamFault {
  /** A query parameter is missing, not a number, or out of range (1008). */
  BAD_QUERY(1008),
  /** The input or output kind, or the media format of a {@code start} event, is not streamable. */
  UNSUPPORTED_FORMAT(1003),
  /** A message (the sum of its fragments) is over {@code --stream-max-message} (1009). */
  MESSAGE_TOO_BIG(1009),
  /** The tenant already has {@code --stream-max-calls} calls open (1008). */
  TOO_MANY_CALLS(1008),
  /** The call's audio arrives faster than {@code --stream-speed} times real time (1008). */
  TOO_FAST(1008),
  /** A text message is not one JSON object, or not the shape of a media-stream event (1007). */
  MALFORMED_JSON(1007),
  /** A {@code media} event's payload is not base64 (1007). */
  BAD_BASE64(1007),
  /** A {@code media} event came before the {@code start} event (1008). */
  MEDIA_BEFORE_START(1008),
  /** A binary message on a call that began with JSON text, or text on a binary call (1003). */
  WRONG_MESSAGE_TYPE(1003),
  /** Audio that is not whole samples at the end of the call, and the like (1007). */
  MALFORMED_AUDIO(1007),
  /** The WebSocket frames broke RFC 6455 (1002). */
  PROTOCOL_ERROR(1002),
  /** The tenant's memory limit or admission refused the call's memory (1008). */
  TENANT_LIMIT(1008),
  /** The server could not allocate memory or write the call's file (1011). */
  SERVER_ERROR(1011);

  private final int closeCode;

  StreamFault(int closeCode) {
    this.closeCode = closeCode;
  }

  /** {@return the WebSocket close code a call ended by this fault is closed with} */
  public int closeCode() {
    return closeCode;
  }
}
