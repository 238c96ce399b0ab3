package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code unwrap}/{@code canUnwrap} of the composite's piece rule and of the builder. */
class UnwrapTest {

  private final SlabBufferPool pool = SlabBufferPool.builder().name("unwrap-test").build();

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private ZeroCopyBuffer pooled(int from, int n) {
    try (BufferMut m = pool.acquire(n)) {
      for (int i = 0; i < n; i++) {
        m.append((byte) (from + i));
      }
      return m.freeze();
    }
  }

  @Test
  void aPlainViewUnwrapsToOneReadOnlyBufferOverItsMemory() {
    try (ZeroCopyBuffer v = pooled(0, 100);
        ZeroCopyBuffer s = v.slice(10, 30)) {
      assertTrue(s.canUnwrap(ByteBuffer.class));
      ByteBuffer b = s.unwrap(ByteBuffer.class);
      assertTrue(b.isReadOnly());
      assertTrue(b.isDirect(), "the pool's direct memory itself, not a copy");
      assertEquals(0, b.position());
      assertEquals(20, b.limit());
      assertEquals(10, b.get(0));
      ByteBuffer[] pieces = s.unwrap(ByteBuffer[].class);
      assertEquals(1, pieces.length);
      assertEquals(b, pieces[0]);
    }
  }

  @Test
  void aCompositeOffersOneBufferPerPieceAndRefusesOneBufferWhenItSpansParts() {
    try (ZeroCopyBuffer a = pooled(0, 10);
        ZeroCopyBuffer b = pooled(10, 10);
        ZeroCopyBuffer c = Buffers.composite(BufferKind.raw(), List.of(a, b));
        ZeroCopyBuffer spanning = c.slice(5, 15);
        ZeroCopyBuffer inside = c.slice(12, 18);
        ZeroCopyBuffer empty = c.slice(7, 7)) {
      assertFalse(c.canUnwrap(ByteBuffer.class));
      assertFalse(spanning.canUnwrap(ByteBuffer.class));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> c.unwrap(ByteBuffer.class));
      assertTrue(
          e.getMessage().contains("2 pieces") && e.getMessage().contains("ByteBuffer[]"),
          e.getMessage());
      ByteBuffer[] pieces = spanning.unwrap(ByteBuffer[].class);
      assertEquals(2, pieces.length);
      assertEquals(5, pieces[0].remaining());
      assertEquals(5, pieces[0].get(0));
      assertEquals(10, pieces[1].get(0));
      assertTrue(pieces[0].isReadOnly() && pieces[1].isReadOnly());
      assertTrue(inside.canUnwrap(ByteBuffer.class), "a slice inside one part is one piece");
      assertEquals(12, inside.unwrap(ByteBuffer.class).get(0));
      assertTrue(empty.canUnwrap(ByteBuffer.class));
      assertEquals(0, empty.unwrap(ByteBuffer.class).remaining());
      assertEquals(0, empty.unwrap(ByteBuffer[].class).length);
    }
  }

  @Test
  void aTypeNotOfferedIsRefusedNamingWhatIsOffered() {
    try (ZeroCopyBuffer v = pooled(0, 4)) {
      assertFalse(v.canUnwrap(byte[].class));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> v.unwrap(byte[].class));
      assertTrue(
          e.getMessage().contains("byte[]")
              && e.getMessage().contains("java.nio.ByteBuffer, java.nio.ByteBuffer[]"),
          e.getMessage());
      assertThrows(NullPointerException.class, () -> v.unwrap(null));
      assertThrows(NullPointerException.class, () -> v.canUnwrap(null));
    }
  }

  /** {@code java.lang.foreign.MemorySegment}, or null on a JDK without it (17). */
  private static Class<?> memorySegmentClass() {
    try {
      return Class.forName("java.lang.foreign.MemorySegment");
    } catch (ClassNotFoundException jdk17) {
      return null;
    }
  }

  /**
   * The tests run from target/classes, where the JVM ignores META-INF/versions: the Java 17 {@code
   * MemorySegments} answers, and says why (on JDK 22+: the JDK 22 classes are not in use). The
   * segment forms themselves are tested through the multi-release JAR, in axon-buffer-it.
   */
  @Test
  void foreignMemoryTypesAreRefusedByTheJava17ClassesNamingTheReason() {
    Class<?> segment = memorySegmentClass();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        segment != null, "java.lang.foreign is not on this JDK: nobody can ask for it");
    int jdk = Runtime.version().feature();
    try (ZeroCopyBuffer v = pooled(0, 4);
        SegmentedBuilder b = new SegmentedBuilder(pool.forTenant("t"))) {
      assertFalse(v.canUnwrap(segment));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> v.unwrap(segment));
      UnsupportedOperationException tail =
          assertThrows(UnsupportedOperationException.class, () -> b.writableTail(8, segment));
      for (String message : List.of(e.getMessage(), tail.getMessage())) {
        assertTrue(message.contains("java.lang.foreign.MemorySegment"), message);
        assertTrue(message.contains("JDK " + jdk), message);
        assertTrue(
            message.contains(jdk >= 22 ? "JDK 22 classes are not in use" : "needs JDK 22 or newer"),
            message);
      }
      assertTrue(tail.getMessage().endsWith("offered as java.nio.ByteBuffer"), tail.getMessage());
      assertEquals(0, b.length());
    }
  }

  @Test
  void aBuildersTailIsOfferedAsAWritableByteBufferAndOtherTypesAreRefusedBeforeAnyMemory() {
    try (SegmentedBuilder b = new SegmentedBuilder(pool.forTenant("t"))) {
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> b.writableTail(8, String.class));
      assertTrue(e.getMessage().startsWith("java.lang.String is not offered"), e.getMessage());
      assertEquals(0, pool.snapshot().liveBytes(), "nothing acquired for a refused type");
      assertThrows(NullPointerException.class, () -> b.writableTail(8, null));

      ByteBuffer tail = b.writableTail(8, ByteBuffer.class);
      assertFalse(tail.isReadOnly());
      assertTrue(tail.isDirect(), "the pool's memory itself");
      tail.put(0, (byte) 7).put(1, (byte) 9);
      b.commit(2);
      try (ZeroCopyBuffer v = b.freeze()) {
        assertArrayEquals(new byte[] {7, 9}, v.toByteArray());
      }
    }
  }

  @Test
  void aClosedViewAnswersCanUnwrapButRefusesUnwrap() {
    ZeroCopyBuffer v = pooled(0, 4);
    v.close();
    assertTrue(v.canUnwrap(ByteBuffer.class));
    assertThrows(ClosedBufferException.class, () -> v.unwrap(ByteBuffer.class));
    assertThrows(ClosedBufferException.class, () -> v.unwrap(ByteBuffer[].class));
  }

  @Test
  void theBuilderUnwrapsToItsAppendedBytesInPlace() {
    try (BufferMut m = pool.acquire(64)) {
      m.append(new byte[] {1, 2, 3});
      assertTrue(m.canUnwrap(ByteBuffer.class));
      assertTrue(m.canUnwrap(ByteBuffer[].class));
      assertFalse(m.canUnwrap(String.class));
      ByteBuffer b = m.unwrap(ByteBuffer.class);
      assertTrue(b.isReadOnly());
      assertEquals(3, b.capacity(), "the memory past the appended bytes stays out of reach");
      byte[] seen = new byte[3];
      b.get(seen);
      assertArrayEquals(new byte[] {1, 2, 3}, seen);
      assertEquals(1, m.unwrap(ByteBuffer[].class).length);
      assertThrows(UnsupportedOperationException.class, () -> m.unwrap(String.class));
      m.freeze().close();
      assertThrows(ClosedBufferException.class, () -> m.unwrap(ByteBuffer.class));
    }
  }
}
