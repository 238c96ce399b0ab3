package io.axon.buffer.ingest;

/**
 * The limits a {@link MultipartParser} enforces while it streams (see {@link MultipartOptions} for
 * their defaults). Hitting one is a {@link MultipartException} with fault {@link
 * MultipartFault#LIMIT_EXCEEDED} that names the limit and its value, raised before the over-limit
 * bytes are stored.
 */
public enum MultipartLimit {
  /** Bytes of one part's header block, line endings included. */
  HEADER_BYTES_PER_PART("maxHeaderBytesPerPart"),
  /** Bytes of all header blocks of a request together. */
  HEADER_BYTES_TOTAL("maxHeaderBytesTotal"),
  /** Payload bytes of one part (as sent, before any transfer decoding). */
  PART_BYTES("maxPartBytes"),
  /** Number of parts. */
  PART_COUNT("maxParts"),
  /** Bytes before the first boundary. */
  PREAMBLE_BYTES("maxPreambleBytes");

  private final String optionName;

  MultipartLimit(String optionName) {
    this.optionName = optionName;
  }

  /** The name of the {@link MultipartOptions.Builder} method that sets this limit. */
  public String optionName() {
    return optionName;
  }
}
