package io.axon.buffer.ingest;

import java.io.IOException;

/**
 * The base of every error this module raises for bad or oversized input: {@link
 * MultipartException}, {@link WebSocketProtocolException} and {@link SizeLimitExceededException}.
 * Each names its fault and the offending value in its message.
 *
 * <p>An {@link IOException}, because ingest errors are input errors, met where I/O errors are met
 * (reading a request body, a socket, a file), and callers handle both in one place. When one is
 * raised, every pooled buffer of the failed operation has already been released.
 */
public abstract class IngestException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the fault and the offending value
   */
  protected IngestException(String message) {
    super(message);
  }

  /**
   * @param message the fault and the offending value
   * @param cause the underlying error
   */
  protected IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
