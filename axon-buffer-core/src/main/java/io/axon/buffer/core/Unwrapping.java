package io.axon.buffer.core;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@link ZeroCopyBuffer#unwrap} and {@link BufferMut#unwrap} hand out, for every view type and
 * the builder, and what {@link SegmentedBuilder#writableTail(int, Class)} does: the one place that
 * knows the types offered. On every JDK: {@code ByteBuffer} (one contiguous piece) and {@code
 * ByteBuffer[]} (one per piece), both read-only; a builder's tail as a writable {@code ByteBuffer}.
 *
 * <p>The {@code MemorySegment} forms (JDK 22+) come from {@link MemorySegments}, the one class of
 * this module with a second version in the multi-release JAR: this class asks it whether a type is
 * offered and hands it the same read-only pieces; it stays the same on every JDK. Callers pass the
 * piece count (cheap, for {@link #canUnwrap}) and the pieces on demand, never a type.
 *
 * <p>Stateless; costs what the pieces cost (one {@code ByteBuffer} object per piece, and one
 * segment object per piece for the segment forms).
 */
final class Unwrapping {

  private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private Unwrapping() {}

  /** Supplies the read-only pieces of a view or builder (throws if it is closed). */
  interface Pieces {
    List<ByteBuffer> get();
  }

  /** Whether something of {@code pieces} contiguous pieces offers {@code type}. */
  static boolean canUnwrap(Class<?> type, int pieces) {
    Objects.requireNonNull(type, "type");
    if (type == ByteBuffer[].class) {
      return true;
    }
    if (type == ByteBuffer.class) {
      return pieces <= 1;
    }
    return MemorySegments.offers(type, pieces);
  }

  /** {@link ZeroCopyBuffer#unwrap} of {@code view}, which has {@code pieceCount} pieces. */
  static <T> T unwrap(Class<T> type, ZeroCopyBuffer view, int pieceCount) {
    return unwrap(type, pieceCount, view::asReadOnlyByteBuffers, view);
  }

  /** {@link BufferMut#unwrap} of {@code builder}: its appended bytes are one piece. */
  static <T> T unwrap(Class<T> type, BufferMut builder) {
    return unwrap(type, 1, () -> List.of(builder.asReadOnlyByteBuffer()), builder);
  }

  private static <T> T unwrap(Class<T> type, int pieceCount, Pieces pieces, Object what) {
    if (!canUnwrap(type, pieceCount)) {
      throw new UnsupportedOperationException(refusal(type, pieceCount, what));
    }
    List<ByteBuffer> list = pieces.get();
    if (type == ByteBuffer.class) {
      return type.cast(list.isEmpty() ? NO_BYTES.duplicate() : list.get(0));
    }
    if (type == ByteBuffer[].class) {
      return type.cast(list.toArray(new ByteBuffer[0]));
    }
    return type.cast(MemorySegments.unwrap(type, list));
  }

  /**
   * {@link SegmentedBuilder#writableTail(int, Class)}: checks {@code type} first (nothing is
   * acquired for a type refused), then takes the tail from {@code tail}.
   */
  static <T> T writableTail(Class<T> type, Supplier<ByteBuffer> tail) {
    Objects.requireNonNull(type, "type");
    if (type == ByteBuffer.class) {
      return type.cast(tail.get());
    }
    if (!MemorySegments.offersTail(type)) {
      String why = MemorySegments.unavailable(type);
      throw new UnsupportedOperationException(
          (why != null ? why : type.getTypeName() + " is not offered as a writable tail")
              + "; the tail is offered as java.nio.ByteBuffer"
              + MemorySegments.offeredTail());
    }
    return type.cast(MemorySegments.tail(type, tail.get()));
  }

  private static String refusal(Class<?> type, int pieceCount, Object what) {
    if (canUnwrap(type, 1)) {
      String name = type.getSimpleName();
      return what
          + " lies in "
          + pieceCount
          + " pieces: "
          + name
          + " is offered for one contiguous piece only; unwrap "
          + name
          + "[].class (one per piece)"
          + (type == ByteBuffer.class ? ", or copy with asReadOnlyByteBuffer()" : "");
    }
    String why = MemorySegments.unavailable(type);
    return (why != null ? why : type.getTypeName() + " is not offered by " + what)
        + "; "
        + what
        + " offers "
        + offered(pieceCount);
  }

  private static String offered(int pieceCount) {
    return (pieceCount <= 1
            ? "java.nio.ByteBuffer, java.nio.ByteBuffer[]"
            : "java.nio.ByteBuffer[] (one per piece)")
        + MemorySegments.offered(pieceCount);
  }
}
