package io.axon.buffer;

/**
 * A request body, a message or a stream was refused while it was being ingested: a multipart body
 * that breaks its grammar or a parser limit ({@code io.axon.buffer.ingest.MultipartException}), a
 * WebSocket peer that breaks RFC 6455 ({@code io.axon.buffer.ingest.WebSocketProtocolException}),
 * content longer than the limit it was read under ({@link SizeLimitExceededException}). Each
 * subtype names its fault and the offending value in its message and carries them as values.
 *
 * <p>When one is raised (or reported to a listener), every pooled buffer of the failed operation
 * has already been released. Unchecked, like every {@link AxonBufferException}: checked {@link
 * java.io.IOException}s are kept for real I/O failures, which an ingest path passes on as they are.
 */
public abstract class IngestException extends AxonBufferException {

  private static final long serialVersionUID = 1L;

  /**
   * An ingest fault with its description.
   *
   * @param message the fault and the offending value
   */
  protected IngestException(String message) {
    super(message);
  }

  /**
   * An ingest fault with its description and the failure behind it.
   *
   * @param message the fault and the offending value
   * @param cause the underlying failure, or null
   */
  protected IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
