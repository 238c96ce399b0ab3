package io.axon.buffer;

/**
 * The root of every fault axon-buffer reports about its input or its resources: one unchecked type
 * a host can catch at its edge and turn into an answer without knowing each subtype.
 *
 * <p>Three branches sit under it (the table is in this package's documentation): {@link
 * ContentException content} faults (the bytes are not what they claim to be), {@link
 * IngestException ingest} faults (a multipart body, a WebSocket message or a size limit refused)
 * and {@link ResourceException resource} faults (a tenant's limit, the tenant cap, the system's
 * memory). Each subtype carries the values it names, and says how a host answers it: {@link
 * #httpStatus()} for an HTTP response, {@link #webSocketCloseCode()} for a WebSocket close frame.
 *
 * <p>Not in this hierarchy: caller bugs stay {@link IllegalArgumentException}, {@link
 * IndexOutOfBoundsException}, {@link NullPointerException} and {@link ClosedBufferException} (an
 * {@link IllegalStateException}); real I/O failures stay checked {@link java.io.IOException}s.
 */
public abstract class AxonBufferException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * A fault with a message that names what went wrong and the values involved.
   *
   * @param message the description
   */
  protected AxonBufferException(String message) {
    super(message);
  }

  /**
   * A fault with a message and the failure that caused it.
   *
   * @param message the description
   * @param cause the underlying failure, or null
   */
  protected AxonBufferException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The HTTP status a host answers this fault with: 400 for bad content, 413 for a size limit, 429
   * for a tenant refused, 503 when memory ran out, and so on (see the package documentation).
   *
   * @return a 4xx or 5xx status code
   */
  public abstract int httpStatus();

  /**
   * The WebSocket close code (RFC 6455, section 7.4.1) a host closes the connection with when this
   * fault ends a session: 1007 for bad content, 1008 for a policy refusal, 1009 for a message too
   * big, 1011 for a server-side failure.
   *
   * @return a close code between 1000 and 4999
   */
  public abstract int webSocketCloseCode();
}
