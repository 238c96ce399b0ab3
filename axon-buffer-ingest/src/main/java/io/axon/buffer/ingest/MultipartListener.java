package io.axon.buffer.ingest;

import io.axon.buffer.AxonBufferException;

/**
 * Receives the events of a {@link MultipartParser}, on the thread that feeds it, in this order: for
 * each part {@code onPartStart} then {@code onPart}; then exactly one terminal event, {@link
 * #onComplete} or {@link #onError}. An error may come at any point (before, between or inside
 * parts); nothing follows it.
 *
 * <p>A listener that throws aborts the parse: the parser releases what it holds, fails, and the
 * exception propagates out of {@code feed}/{@code finish}; no terminal event follows.
 */
public interface MultipartListener {

  /**
   * A part's headers have been read and its kind is known. Delivered once the first {@link
   * MultipartOptions#sniffBytes()} bytes of the content (or all of it, if shorter) have arrived, so
   * that the kind can be sniffed; at once when nothing is sniffed (encoded parts, plain form
   * values, sniffing off).
   */
  default void onPartStart(PartInfo part) {}

  /** A part is complete. The listener owns {@code part} and must close it. */
  void onPart(Part part);

  /** The close delimiter was seen and the input ended: the terminal success event. */
  void onComplete(MultipartSummary summary);

  /**
   * The body is bad, a limit was hit, or memory was refused: the terminal error event. The parser
   * has released everything it held; parts already handed to {@link #onPart} still belong to the
   * listener (close them if the request is abandoned).
   *
   * @param error a {@link MultipartException} for the body's faults and limits; for memory refused,
   *     the {@link io.axon.buffer.ResourceException} the allocator threw, as itself ({@link
   *     io.axon.buffer.TenantLimitExceededException}, {@link
   *     io.axon.buffer.TooManyTenantsException}, {@link io.axon.buffer.BufferAllocationException}).
   *     {@link AxonBufferException#httpStatus()} gives the status to answer with either way.
   */
  void onError(AxonBufferException error);
}
