package io.axon.buffer;

import java.util.Objects;

/**
 * Content was longer than the limit it was read under: a channel or stream read into pooled memory
 * with a maximum ({@code io.axon.buffer.ingest.PooledReader}), a file larger than a view can hold
 * ({@code io.axon.buffer.ingest.MappedFiles}: 2 GiB - 9 bytes). Reading stopped at the first byte
 * past the limit, and every buffer of the failed read was released.
 *
 * <p>HTTP hosts answer 413 (Content Too Large), WebSocket hosts close with 1009 (message too big).
 */
public final class SizeLimitExceededException extends IngestException {

  private static final long serialVersionUID = 1L;

  /** What was being read. */
  private final String what;

  /** The limit. */
  private final long limitBytes;

  /** The size seen. */
  private final long actualBytes;

  /**
   * A refusal of {@code what} for its size.
   *
   * @param what what was being read, for the message: "channel", a file name
   * @param limitBytes the limit
   * @param actualBytes the size seen: at least {@code limitBytes + 1}; for a stream, how far it was
   *     read before giving up
   */
  public SizeLimitExceededException(String what, long limitBytes, long actualBytes) {
    super(
        "SIZE_LIMIT_EXCEEDED: "
            + Objects.requireNonNull(what, "what")
            + " has at least "
            + actualBytes
            + " bytes, more than the limit of "
            + limitBytes);
    this.what = what;
    this.limitBytes = limitBytes;
    this.actualBytes = actualBytes;
  }

  /**
   * What was being read.
   *
   * @return the description given when it was refused ("channel", a file name)
   */
  public String what() {
    return what;
  }

  /**
   * The limit.
   *
   * @return the limit in bytes
   */
  public long limitBytes() {
    return limitBytes;
  }

  /**
   * The size seen.
   *
   * @return at least {@code limitBytes() + 1}
   */
  public long actualBytes() {
    return actualBytes;
  }

  /** {@return 413, Content Too Large} */
  @Override
  public int httpStatus() {
    return 413;
  }

  /** {@return 1009, message too big} */
  @Override
  public int webSocketCloseCode() {
    return 1009;
  }
}
