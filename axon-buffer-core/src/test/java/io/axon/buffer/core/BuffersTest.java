package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuffersTest {

  @Test
  void wrapDoesNotCopyTheArray() {
    byte[] data = {1, 2, 3, 4};
    try (ZeroCopyBuffer v = Buffers.wrap(data)) {
      data[2] = 9;
      assertEquals(9, v.get(2));
      assertEquals(BufferKind.raw(), v.kind());
      assertEquals(Optional.empty(), v.tenant());
      assertEquals(1, v.sharers());
    }
  }

  @Test
  void wrapARangeDoesNotCopyAndChecksTheRange() {
    byte[] data = {1, 2, 3, 4, 5};
    try (ZeroCopyBuffer v = Buffers.wrap(data, 1, 3)) {
      assertArrayEquals(new byte[] {2, 3, 4}, v.toByteArray());
      data[1] = 7;
      assertEquals(7, v.get(0));
      assertThrows(IndexOutOfBoundsException.class, () -> v.get(3));
    }
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> Buffers.wrap(data, 3, 4));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void wrapAByteBufferDoesNotCopyNorMoveIt() {
    ByteBuffer direct = ByteBuffer.allocateDirect(10);
    for (int i = 0; i < 10; i++) {
      direct.put((byte) i);
    }
    direct.position(2).limit(8);
    try (ZeroCopyBuffer v = Buffers.wrap(direct)) {
      assertEquals(6, v.length());
      assertEquals(2, v.get(0));
      assertEquals(2, direct.position(), "position unchanged");
      direct.put(2, (byte) 77);
      assertEquals(77, v.get(0), "same memory");
      assertTrue(v.asReadOnlyByteBuffer().isDirect());
    }
    ByteBuffer ro = ByteBuffer.wrap(new byte[] {5, 6}).asReadOnlyBuffer();
    try (ZeroCopyBuffer v = Buffers.wrap(BufferKind.of("pcm16"), ro)) {
      assertArrayEquals(new byte[] {5, 6}, v.toByteArray());
      assertEquals(BufferKind.of("pcm16"), v.kind());
    }
  }

  @Test
  void copyOfCopies() {
    byte[] data = {1, 2, 3};
    try (ZeroCopyBuffer v = Buffers.copyOf(data)) {
      data[0] = 9;
      assertEquals(1, v.get(0));
    }
    ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    src.position(1);
    try (ZeroCopyBuffer v = Buffers.copyOf(src)) {
      assertEquals(1, src.position(), "position unchanged");
      src.put(1, (byte) 50);
      assertArrayEquals(new byte[] {2, 3, 4}, v.toByteArray());
    }
    try (ZeroCopyBuffer v = Buffers.copyOf(BufferKind.of("json"), new byte[] {'{', '}'})) {
      assertEquals(BufferKind.of("json"), v.kind());
    }
  }

  @Test
  void emptyIsAFreshViewOfNoBytes() {
    ZeroCopyBuffer a = Buffers.empty(BufferKind.of("png"));
    ZeroCopyBuffer b = Buffers.empty(BufferKind.of("png"));
    assertNotSame(a, b);
    assertEquals(0, a.length());
    assertTrue(a.isEmpty());
    assertEquals(BufferKind.of("png"), a.kind());
    a.close();
    assertEquals(1, b.sharers(), "empty views do not share a count");
    b.close();
  }

  @Test
  void nullsAreRefusedWithTheirName() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Buffers.wrap((byte[]) null));
    assertEquals("bytes", e.getMessage());
    e =
        assertThrows(
            NullPointerException.class, () -> Buffers.composite(null, java.util.List.of()));
    assertEquals("kind", e.getMessage());
  }
}
