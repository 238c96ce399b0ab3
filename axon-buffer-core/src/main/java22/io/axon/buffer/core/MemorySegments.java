package io.axon.buffer.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The {@link MemorySegment} forms that {@link Unwrapping} adds to the {@code ByteBuffer} ones: the
 * JDK 22 version of this class, stored under {@code META-INF/versions/22} of the multi-release JAR
 * and loaded instead of the Java 17 one (which offers none) on JDK 22 and later.
 *
 * <ul>
 *   <li>{@code MemorySegment.class}: the visible bytes as one read-only segment, for a view (or a
 *       builder's appended bytes) in one contiguous piece; {@code MemorySegment[].class}: one
 *       read-only segment per piece, in order.
 *   <li>A {@link SegmentedBuilder}'s writable tail as one writable {@code MemorySegment}.
 * </ul>
 *
 * <p>Each segment is {@link MemorySegment#ofBuffer} of the very {@code ByteBuffer} the {@code
 * ByteBuffer} form hands out: the same memory, no copy; native for a direct pool (the default),
 * heap for a heap pool. Its scope is the JDK's automatic scope that keeps the buffer reachable, so
 * it never points at freed memory; its lifetime rule is the {@code ByteBuffer}'s (valid until the
 * view is closed; the builder's tail until the next call on the builder), for the reasons written
 * in the README's "Handing bytes to native code". No restricted method is called: this module needs
 * no {@code --enable-native-access}, only the code that links native functions does.
 *
 * <p>Stateless.
 */
final class MemorySegments {

  /** An empty view's one segment: zero bytes at a real (non-null) native address, read-only. */
  private static final MemorySegment EMPTY =
      MemorySegment.ofBuffer(ByteBuffer.allocateDirect(0).asReadOnlyBuffer());

  private MemorySegments() {}

  /** Whether a view of {@code pieces} pieces offers {@code type}. */
  static boolean offers(Class<?> type, int pieces) {
    return type == MemorySegment[].class || (type == MemorySegment.class && pieces <= 1);
  }

  /** Whether a builder's writable tail is offered as {@code type}. */
  static boolean offersTail(Class<?> type) {
    return type == MemorySegment.class;
  }

  /** What the segment types add to a view's list of offered types, for messages. */
  static String offered(int pieces) {
    return pieces <= 1
        ? ", java.lang.foreign.MemorySegment, java.lang.foreign.MemorySegment[]"
        : ", java.lang.foreign.MemorySegment[] (one per piece)";
  }

  /** What the segment types add to the writable tail's offered types, for messages. */
  static String offeredTail() {
    return " and java.lang.foreign.MemorySegment";
  }

  /** The read-only pieces as {@code type} (offered: see {@link #offers}). */
  static Object unwrap(Class<?> type, List<ByteBuffer> pieces) {
    if (type == MemorySegment.class) {
      return pieces.isEmpty() ? EMPTY : MemorySegment.ofBuffer(pieces.get(0));
    }
    MemorySegment[] segments = new MemorySegment[pieces.size()];
    for (int i = 0; i < segments.length; i++) {
      segments[i] = MemorySegment.ofBuffer(pieces.get(i));
    }
    return segments;
  }

  /** The writable tail as a writable segment over the same memory. */
  static Object tail(Class<?> type, ByteBuffer tail) {
    return MemorySegment.ofBuffer(tail);
  }

  /** Why a {@code java.lang.foreign} type is refused: on this JDK, only as any other type is. */
  static String unavailable(Class<?> type) {
    return null;
  }
}
