package io.axon.buffer;

/**
 * A request was refused for lack of a resource rather than for anything wrong with its bytes: the
 * tenant's hard limit ({@link TenantLimitExceededException}), the pool's cap on tenants ({@link
 * TooManyTenantsException}) or the system's memory ({@link BufferAllocationException}).
 *
 * <p>Every resource fault is thrown before anything was allocated or billed, and passes through the
 * ingest paths (multipart, WebSocket, channel reads) as itself, never wrapped, so that a host can
 * answer it the same way wherever it came from. The same request may succeed later, once memory was
 * released.
 */
public abstract class ResourceException extends AxonBufferException {

  private static final long serialVersionUID = 1L;

  /**
   * A refusal with its description.
   *
   * @param message what was refused and the values involved
   */
  protected ResourceException(String message) {
    super(message);
  }

  /**
   * A refusal with its description and the failure that caused it.
   *
   * @param message what was refused and the values involved
   * @param cause the underlying failure (typically an {@link OutOfMemoryError}), or null
   */
  protected ResourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
