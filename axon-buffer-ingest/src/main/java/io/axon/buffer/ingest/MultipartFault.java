package io.axon.buffer.ingest;

/**
 * What went wrong in a multipart body, with the HTTP status a server answers with (and, for the
 * {@link io.axon.buffer.AxonBufferException} contract, a WebSocket close code).
 *
 * <table>
 *   <caption>Faults and their statuses</caption>
 *   <tr><th>fault</th><th>status</th><th>close code</th></tr>
 *   <tr><td>{@link #INVALID_CONTENT_TYPE}</td><td>415</td><td>1003</td></tr>
 *   <tr><td>{@link #LIMIT_EXCEEDED}</td><td>413</td><td>1009</td></tr>
 *   <tr><td>every other fault</td><td>400</td><td>1007</td></tr>
 * </table>
 *
 * Memory refused while parsing is not a multipart fault: the parser reports the {@link
 * io.axon.buffer.ResourceException} it met (a tenant's hard limit: 429; the system's memory: 503)
 * as itself.
 */
public enum MultipartFault {
  /** The request's Content-Type is not {@code multipart/form-data}, or cannot be parsed. */
  INVALID_CONTENT_TYPE(415, 1003),
  /**
   * The boundary parameter is missing, empty, longer than 70 characters, contains CR, LF, NUL or
   * another control or non-ASCII character (or, unless {@link MultipartOptions#lenientBoundary()},
   * a character outside RFC 2046's {@code bchars}, such as {@code "} or {@code \}), ends with a
   * space, or is given twice.
   */
  INVALID_BOUNDARY(400, 1007),
  /**
   * A line starting with {@code --boundary} is not followed by {@code --} or by optional white
   * space and a line break (or the line breaks with a bare LF in strict mode).
   */
  MALFORMED_DELIMITER(400, 1007),
  /**
   * A part's header block is not valid: a first line starting with white space, a line without a
   * colon, a bad field name, a NUL or control character, a bare CR, a bare LF in strict mode, or a
   * Content-Type / Content-Transfer-Encoding given twice.
   */
  MALFORMED_HEADER(400, 1007),
  /**
   * A part's Content-Disposition is given twice, not {@code form-data}, or repeats a parameter; or,
   * with {@link MultipartOptions#requireFieldName()}, it is missing or has no {@code name}.
   * Malformed quoting and malformed parameters are read as Commons FileUpload and Jetty read them
   * (see {@link PartHeaders#filename()}), not refused.
   */
  MALFORMED_CONTENT_DISPOSITION(400, 1007),
  /** The input ended before the close delimiter (in the preamble, in headers or in a part). */
  TRUNCATED(400, 1007),
  /** A {@link MultipartLimit} was hit; see {@link MultipartException#limit()}. */
  LIMIT_EXCEEDED(413, 1009),
  /** A base64 or quoted-printable payload could not be decoded (on request only). */
  MALFORMED_ENCODING(400, 1007);

  private final int httpStatus;
  private final int webSocketCloseCode;

  MultipartFault(int httpStatus, int webSocketCloseCode) {
    this.httpStatus = httpStatus;
    this.webSocketCloseCode = webSocketCloseCode;
  }

  /** The HTTP status a server should answer a request failing with this fault. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The WebSocket close code for this fault, should a multipart body arrive over one. */
  public int webSocketCloseCode() {
    return webSocketCloseCode;
  }
}
