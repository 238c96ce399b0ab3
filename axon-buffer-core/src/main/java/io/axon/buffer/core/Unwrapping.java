package io.axon.buffer.core;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ZeroCopyBuffer#unwrap} and {@link BufferMut#unwrap} hand out, for every view type and
 * the builder: the one place that knows the types offered. On JDK 17: {@code ByteBuffer} (one
 * contiguous piece) and {@code ByteBuffer[]} (one per piece), both read-only.
 *
 * <p>This class is the seam of the multi-release JAR (issue 18): a variant compiled for JDK 22
 * under {@code META-INF/versions/22} replaces it whole and adds {@code MemorySegment} and {@code
 * MemorySegment[]}, made from the same read-only pieces. Callers pass the piece count (cheap, for
 * {@link #canUnwrap}) and the pieces on demand, never a type; keep it that way so the variant needs
 * no change elsewhere.
 *
 * <p>Stateless; costs what the pieces cost (one {@code ByteBuffer} object per piece).
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
    return type == ByteBuffer[].class || (type == ByteBuffer.class && pieces <= 1);
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
    return type.cast(list.toArray(new ByteBuffer[0]));
  }

  private static String refusal(Class<?> type, int pieceCount, Object what) {
    if (type == ByteBuffer.class) {
      return what
          + " lies in "
          + pieceCount
          + " pieces: ByteBuffer is offered for one contiguous piece only; unwrap"
          + " ByteBuffer[].class (one per piece), or copy with asReadOnlyByteBuffer()";
    }
    String name = type.getName();
    if (name.startsWith("java.lang.foreign.") || name.startsWith("[Ljava.lang.foreign.")) {
      int jdk = Runtime.version().feature();
      return type.getTypeName()
          + (jdk >= 22
              ? " is not offered by this build of axon-buffer-core on JDK " + jdk
              : " needs JDK 22 or newer (this is JDK " + jdk + ")")
          + "; "
          + what
          + " offers "
          + offered(pieceCount);
    }
    return type.getTypeName() + " is not offered by " + what + "; it offers " + offered(pieceCount);
  }

  private static String offered(int pieceCount) {
    return pieceCount <= 1
        ? "java.nio.ByteBuffer, java.nio.ByteBuffer[]"
        : "java.nio.ByteBuffer[] (one per piece)";
  }
}
