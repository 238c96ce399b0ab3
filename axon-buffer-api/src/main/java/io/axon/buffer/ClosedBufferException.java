package io.axon.buffer;

/**
 * An access through a {@link ZeroCopyBuffer} view that was closed, or through a {@link BufferMut}
 * that was frozen or closed. Once a view is closed it can never show bytes again, so it can never
 * show bytes of a slab that has since been handed to another owner.
 */
public class ClosedBufferException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * An access through a closed view or builder.
   *
   * @param message what was accessed and in which state, e.g. "view of jpeg (1024 bytes) is closed"
   */
  public ClosedBufferException(String message) {
    super(message);
  }
}
