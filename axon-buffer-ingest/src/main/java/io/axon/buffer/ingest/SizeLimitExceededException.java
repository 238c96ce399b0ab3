package io.axon.buffer.ingest;

/**
 * Content was larger than the limit its reader was given ({@link PooledReader}) or than a view can
 * hold ({@link MappedFiles}: 2 GiB - 1). Every buffer of the failed read has been released.
 */
public final class SizeLimitExceededException extends IngestException {

  private static final long serialVersionUID = 1L;

  private final long limitBytes;
  private final long actualBytes;

  /**
   * @param what what was being read, e.g. "channel" or a file name
   * @param limitBytes the limit
   * @param actualBytes the size seen (at least {@code limitBytes + 1}; for a stream, how far it was
   *     read before giving up)
   */
  public SizeLimitExceededException(String what, long limitBytes, long actualBytes) {
    super(
        "SIZE_LIMIT_EXCEEDED: "
            + what
            + " has at least "
            + actualBytes
            + " bytes, more than the limit of "
            + limitBytes);
    this.limitBytes = limitBytes;
    this.actualBytes = actualBytes;
  }

  /** The limit in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** The size seen, at least {@code limitBytes() + 1}. */
  public long actualBytes() {
    return actualBytes;
  }
}
