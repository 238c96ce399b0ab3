package io.axon.buffer;

/**
 * Content is not valid for the kind it claims to be: an inspector or transcoder found a fault in
 * the bytes. The message names the fault; {@link #offset()} says where it was found.
 *
 * <p>A {@link ContentException}: HTTP hosts answer 400 (Bad Request), WebSocket hosts close with
 * 1007 (inconsistent data). The bytes came from outside and the caller decides where to handle the
 * fault (typically: reject the upload, report the file).
 */
public class MalformedContentException extends ContentException {

  private static final long serialVersionUID = 1L;

  /** Offset value used when the fault has no single position (e.g. an empty input). */
  public static final long NO_OFFSET = -1;

  private final transient BufferKind kind;

  /** The byte offset of the fault, or {@link #NO_OFFSET}. */
  private final long offset;

  /**
   * Content that breaks its kind's format.
   *
   * @param kind the kind the content was read as
   * @param offset the byte offset of the fault from the start of the content, or {@link #NO_OFFSET}
   * @param fault what is wrong, e.g. {@code "SOF0 segment length 17 runs past the end (797 bytes)"}
   */
  public MalformedContentException(BufferKind kind, long offset, String fault) {
    super(message(kind, offset, fault));
    this.kind = kind;
    this.offset = offset;
  }

  /**
   * As {@link #MalformedContentException(BufferKind, long, String)}, with a cause.
   *
   * @param kind the kind the content was read as
   * @param offset the byte offset of the fault from the start of the content, or {@link #NO_OFFSET}
   * @param fault what is wrong
   * @param cause the failure that revealed the fault
   */
  public MalformedContentException(BufferKind kind, long offset, String fault, Throwable cause) {
    super(message(kind, offset, fault), cause);
    this.kind = kind;
    this.offset = offset;
  }

  private static String message(BufferKind kind, long offset, String fault) {
    String where = offset >= 0 ? " at offset " + offset : "";
    return "malformed " + kind + where + ": " + fault;
  }

  /** {@return the kind the content was read as} */
  public BufferKind kind() {
    return kind;
  }

  /** {@return the byte offset of the fault, or {@link #NO_OFFSET}} */
  public long offset() {
    return offset;
  }
}
