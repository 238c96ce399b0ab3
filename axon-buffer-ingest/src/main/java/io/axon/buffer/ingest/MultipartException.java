package io.axon.buffer.ingest;

import io.axon.buffer.IngestException;
import java.util.Objects;
import java.util.Optional;

/**
 * A multipart body could not be parsed: bad input or a limit hit. The {@link #fault()} says which;
 * the message names the fault and the offending value, and where it was found (body offset, part
 * index) when that is known. Memory refused while parsing is not one of these: the parser reports
 * the {@link io.axon.buffer.ResourceException} it met as itself.
 *
 * <p>When the parser reports one (its terminal error event), it has already released every buffer
 * it held for the request. {@link #httpStatus()} gives the status to answer with ({@link
 * MultipartFault} lists them).
 */
public final class MultipartException extends IngestException {

  private static final long serialVersionUID = 1L;

  /** Value of {@link #offset()} and {@link #partIndex()} when unknown. */
  public static final long UNKNOWN = -1;

  private final MultipartFault fault;
  private final MultipartLimit limit;
  private final long limitValue;
  private final long offset;
  private final int partIndex;

  private MultipartException(
      MultipartFault fault,
      MultipartLimit limit,
      long limitValue,
      long offset,
      int partIndex,
      String detail) {
    super(format(fault, limit, detail, offset, partIndex));
    this.fault = Objects.requireNonNull(fault, "fault");
    this.limit = limit;
    this.limitValue = limitValue;
    this.offset = offset;
    this.partIndex = partIndex;
  }

  private static String format(
      MultipartFault fault, MultipartLimit limit, String detail, long offset, int partIndex) {
    StringBuilder s = new StringBuilder(fault.name());
    if (limit != null) {
      s.append(' ').append(limit.name());
    }
    s.append(": ").append(detail);
    if (partIndex >= 0 || offset >= 0) {
      s.append(" (");
      if (partIndex >= 0) {
        s.append("part ").append(partIndex);
      }
      if (offset >= 0) {
        s.append(partIndex >= 0 ? ", " : "").append("body offset ").append(offset);
      }
      s.append(')');
    }
    return s.toString();
  }

  /** A fault that is not a limit, with a message saying what was wrong and the value. */
  public static MultipartException of(MultipartFault fault, String detail) {
    if (fault == MultipartFault.LIMIT_EXCEEDED) {
      throw new IllegalArgumentException("use limitExceeded() for LIMIT_EXCEEDED");
    }
    return new MultipartException(fault, null, UNKNOWN, UNKNOWN, (int) UNKNOWN, detail);
  }

  static MultipartException at(MultipartFault fault, String detail, long offset, int partIndex) {
    return new MultipartException(fault, null, UNKNOWN, offset, partIndex, detail);
  }

  static MultipartException limitExceeded(
      MultipartLimit limit, long limitValue, String detail, long offset, int partIndex) {
    return new MultipartException(
        MultipartFault.LIMIT_EXCEEDED, limit, limitValue, offset, partIndex, detail);
  }

  /** What went wrong. */
  public MultipartFault fault() {
    return fault;
  }

  /** The limit hit, for {@link MultipartFault#LIMIT_EXCEEDED}. */
  public Optional<MultipartLimit> limit() {
    return Optional.ofNullable(limit);
  }

  /** The configured value of the limit hit, or {@link #UNKNOWN}. */
  public long limitValue() {
    return limitValue;
  }

  /** The offset in the body (bytes fed before the offending byte), or {@link #UNKNOWN}. */
  public long offset() {
    return offset;
  }

  /** The index of the part concerned (0-based), or {@link #UNKNOWN}. */
  public int partIndex() {
    return partIndex;
  }

  /** {@return {@code fault().httpStatus()}: 415, 413 or 400} */
  @Override
  public int httpStatus() {
    return fault.httpStatus();
  }

  /** {@return {@code fault().webSocketCloseCode()}: 1003, 1009 or 1007} */
  @Override
  public int webSocketCloseCode() {
    return fault.webSocketCloseCode();
  }
}
