package io.axon.buffer.ingest;

/**
 * What went wrong in a multipart body, with the HTTP status a server should answer with.
 *
 * <table>
 *   <caption>Faults and their statuses</caption>
 *   <tr><th>fault</th><th>status</th></tr>
 *   <tr><td>{@link #INVALID_CONTENT_TYPE}</td><td>415</td></tr>
 *   <tr><td>{@link #LIMIT_EXCEEDED}</td><td>413</td></tr>
 *   <tr><td>{@link #TENANT_LIMIT_EXCEEDED}</td><td>429</td></tr>
 *   <tr><td>{@link #ALLOCATION_FAILED}</td><td>503</td></tr>
 *   <tr><td>every other fault</td><td>400</td></tr>
 * </table>
 */
public enum MultipartFault {
  /** The request's Content-Type is not {@code multipart/form-data}, or cannot be parsed. */
  INVALID_CONTENT_TYPE(415),
  /**
   * The boundary parameter is missing, empty, longer than 70 characters, contains CR, LF, NUL or
   * another control or non-ASCII character, ends with a space, or is given twice.
   */
  INVALID_BOUNDARY(400),
  /**
   * A line starting with {@code --boundary} is not followed by {@code --} or by optional white
   * space and a line break (or the line breaks with a bare LF in strict mode).
   */
  MALFORMED_DELIMITER(400),
  /**
   * A part's header block is not valid: a first line starting with white space, a line without a
   * colon, a bad field name, a NUL or control character, a bare CR, a bare LF in strict mode, or a
   * Content-Type / Content-Transfer-Encoding given twice.
   */
  MALFORMED_HEADER(400),
  /**
   * A part's Content-Disposition is missing, given twice, not {@code form-data}, has no {@code
   * name}, repeats a parameter, or cannot be parsed.
   */
  MALFORMED_CONTENT_DISPOSITION(400),
  /** The input ended before the close delimiter (in the preamble, in headers or in a part). */
  TRUNCATED(400),
  /** A {@link MultipartLimit} was hit; see {@link MultipartException#limit()}. */
  LIMIT_EXCEEDED(413),
  /**
   * The allocator refused memory because the tenant's hard limit would be passed; the cause is the
   * {@link io.axon.buffer.TenantLimitExceededException}.
   */
  TENANT_LIMIT_EXCEEDED(429),
  /**
   * The system had no memory for a buffer; the cause is the {@link
   * io.axon.buffer.BufferAllocationException}.
   */
  ALLOCATION_FAILED(503),
  /** A base64 or quoted-printable payload could not be decoded (on request only). */
  MALFORMED_ENCODING(400);

  private final int httpStatus;

  MultipartFault(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status a server should answer a request failing with this fault. */
  public int httpStatus() {
    return httpStatus;
  }
}
