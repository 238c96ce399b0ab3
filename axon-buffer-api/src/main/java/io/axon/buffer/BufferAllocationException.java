package io.axon.buffer;

/**
 * The pool could not get memory from the system (for example: direct memory is exhausted, past
 * {@code -XX:MaxDirectMemorySize}). Nothing was billed and the pool stays usable: releasing other
 * buffers or calling {@link BufferPool#trim()} may let a later acquisition succeed.
 */
public class BufferAllocationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final long requestedBytes;

  /**
   * @param requestedBytes the slab size that could not be allocated
   * @param message what failed
   * @param cause the system's error (typically an {@link OutOfMemoryError})
   */
  public BufferAllocationException(long requestedBytes, String message, Throwable cause) {
    super(message, cause);
    this.requestedBytes = requestedBytes;
  }

  /** The slab size that could not be allocated. */
  public long requestedBytes() {
    return requestedBytes;
  }
}
