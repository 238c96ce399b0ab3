package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Rust original's tests, in Java, over pooled views. */
class ViewTest {

  private static final BufferKind JPEG = BufferKind.of("jpeg");
  private static final BufferKind PCM16 = BufferKind.of("pcm16");

  private final SlabBufferPool pool = SlabBufferPool.builder().name("view-test").build();

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private ZeroCopyBuffer pooled(byte[] bytes, BufferKind kind) {
    try (BufferMut m = pool.acquire(bytes.length)) {
      return m.append(bytes).freeze(kind);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void secondViewSharesStorage() {
    try (ZeroCopyBuffer a = pooled(bytes(64), JPEG)) {
      assertEquals(1, a.sharers());
      ZeroCopyBuffer b = a.share();
      assertEquals(2, a.sharers());
      assertEquals(2, b.sharers());
      assertSame(((View) a).storage, ((View) b).storage);
      assertArrayEquals(a.toByteArray(), b.toByteArray());
      b.close();
      assertEquals(1, a.sharers());
    }
  }

  @Test
  void sliceSharesStorageAndKeepsKind() {
    byte[] data = bytes(100);
    try (ZeroCopyBuffer v = pooled(data, JPEG);
        ZeroCopyBuffer s = v.slice(10, 20)) {
      assertEquals(JPEG, s.kind());
      assertEquals(10, s.length());
      assertArrayEquals(Arrays.copyOfRange(data, 10, 20), s.toByteArray());
      assertSame(((View) v).storage, ((View) s).storage);
      assertEquals(2, v.sharers());
      try (ZeroCopyBuffer ss = s.slice(2, 5)) {
        assertArrayEquals(Arrays.copyOfRange(data, 12, 15), ss.toByteArray());
        assertEquals(3, v.sharers());
      }
    }
  }

  @Test
  void retagLeavesTheOriginalsKindAloneAndShares() {
    try (ZeroCopyBuffer raw = pooled(bytes(32), BufferKind.raw());
        ZeroCopyBuffer pcm = raw.retag(PCM16)) {
      assertEquals(BufferKind.raw(), raw.kind());
      assertEquals(PCM16, pcm.kind());
      assertEquals(2, raw.sharers());
      assertSame(((View) raw).storage, ((View) pcm).storage);
      assertNotSame(raw, pcm);
    }
  }

  @Test
  void freezeKeepsTheBuildersMemory() {
    BufferMut m = pool.acquire(16);
    m.append(new byte[] {1, 2, 3});
    ByteBuffer builderMemory = ((SlabBufferMut) m).memory;
    try (ZeroCopyBuffer v = m.freeze()) {
      // Same memory, not equal bytes: a write into the builder's memory shows through the view.
      builderMemory.put(1, (byte) 99);
      assertEquals(99, v.get(1));
      assertSame(m, ((View) v).storage);
      assertEquals(((SlabBufferMut) m).slab.memory, builderMemory);
    }
  }

  @Test
  void emptyViewsAndEmptySlices() {
    try (ZeroCopyBuffer v = pooled(new byte[0], JPEG);
        ZeroCopyBuffer s = v.slice(0, 0)) {
      assertTrue(v.isEmpty());
      assertEquals(0, s.toByteArray().length);
      assertEquals(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", s.sha256Hex());
    }
  }

  @Test
  void toStringNamesKindLengthAndTenantButNoBytes() {
    try (BufferMut m = pool.acquire(4, "acme");
        ZeroCopyBuffer v = m.append(bytes(4)).freeze(JPEG)) {
      assertEquals("ZeroCopyBuffer[kind=jpeg, length=4, tenant=acme]", v.toString());
    }
  }
}
