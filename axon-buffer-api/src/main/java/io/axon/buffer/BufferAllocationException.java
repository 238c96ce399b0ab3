package io.axon.buffer;

/**
 * The pool could not get memory from the system (for example: direct memory is exhausted, past
 * {@code -XX:MaxDirectMemorySize}). Nothing was billed and the pool stays usable: releasing other
 * buffers or calling {@link BufferPool#trim()} may let a later acquisition succeed.
 *
 * <p>HTTP hosts answer 503 (Service Unavailable), WebSocket hosts close with 1011 (internal error):
 * the fault is the server's, not the request's.
 */
public class BufferAllocationException extends ResourceException {

  private static final long serialVersionUID = 1L;

  /** The bytes that could not be allocated. */
  private final long requestedBytes;

  /**
   * A failure to allocate {@code requestedBytes}.
   *
   * @param requestedBytes the slab size that could not be allocated
   * @param message what failed
   * @param cause the system's error (typically an {@link OutOfMemoryError})
   */
  public BufferAllocationException(long requestedBytes, String message, Throwable cause) {
    super(message, cause);
    this.requestedBytes = requestedBytes;
  }

  /**
   * The slab size that could not be allocated.
   *
   * @return bytes
   */
  public long requestedBytes() {
    return requestedBytes;
  }

  /** {@return 503, Service Unavailable} */
  @Override
  public int httpStatus() {
    return 503;
  }

  /** {@return 1011, internal error} */
  @Override
  public int webSocketCloseCode() {
    return 1011;
  }
}
