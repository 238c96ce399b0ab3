package io.axon.buffer.core;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The {@code java.lang.foreign.MemorySegment} forms that {@link Unwrapping} adds to the {@code
 * ByteBuffer} ones: none in this, the Java 17 version. The multi-release JAR of this module carries
 * a second version of this class alone, compiled for JDK 22 ({@code src/main/java22}, stored under
 * {@code META-INF/versions/22}), which offers {@code MemorySegment} and {@code MemorySegment[]};
 * the JVM loads it instead of this one on JDK 22 and later. Everything else (which pieces, which
 * checks, the lifetime) is decided once, by {@link Unwrapping} and its callers, for both versions.
 *
 * <p>This version explains the refusal of a {@code java.lang.foreign} type: on a JDK older than 22
 * it names the JDK needed and the one running; on JDK 22 or later (this class was loaded, so the
 * JDK 22 version was not) it says why the JDK 22 classes are not in use.
 *
 * <p>Stateless.
 */
final class MemorySegments {

  private MemorySegments() {}

  /** Whether a view of {@code pieces} pieces offers {@code type} as memory segments: never here. */
  static boolean offers(Class<?> type, int pieces) {
    return false;
  }

  /** Whether a builder's writable tail is offered as {@code type}: never here. */
  static boolean offersTail(Class<?> type) {
    return false;
  }

  /** What the segment types add to a view's list of offered types, for messages: nothing here. */
  static String offered(int pieces) {
    return "";
  }

  /** What the segment types add to the writable tail's offered types, for messages: nothing. */
  static String offeredTail() {
    return "";
  }

  /** The pieces as {@code type}; only called when {@link #offers} said yes, never here. */
  @SuppressWarnings("DoNotCallSuggester") // the JDK 22 version of this class implements it
  static Object unwrap(Class<?> type, List<ByteBuffer> pieces) {
    throw new AssertionError("no memory segment type is offered on JDK " + jdk());
  }

  /** A writable tail as {@code type}; only called when {@link #offersTail} said yes, never here. */
  @SuppressWarnings("DoNotCallSuggester") // the JDK 22 version of this class implements it
  static Object tail(Class<?> type, ByteBuffer tail) {
    throw new AssertionError("no memory segment type is offered on JDK " + jdk());
  }

  /**
   * Why {@code type} is refused, if it is a {@code java.lang.foreign} type: the JDK it needs and
   * the one running, or why this build does not offer it here. Null for other types.
   */
  static String unavailable(Class<?> type) {
    String name = type.getName();
    if (!name.startsWith("java.lang.foreign.") && !name.startsWith("[Ljava.lang.foreign.")) {
      return null;
    }
    int jdk = jdk();
    if (jdk < 22) {
      return type.getTypeName() + " needs JDK 22 or newer (this is JDK " + jdk + ")";
    }
    return type.getTypeName()
        + " is not offered on JDK "
        + jdk
        + " because axon-buffer-core's JDK 22 classes are not in use: it was built on JDK 17 (its"
        + " JAR has no META-INF/versions/22), or repackaged into a JAR whose manifest lacks"
        + " 'Multi-Release: true', or it runs from a classes folder rather than its JAR";
  }

  private static int jdk() {
    return Runtime.version().feature();
  }
}
