package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant cannot read another tenant's bytes through any API: not through a closed view, a slice
 * past its end, a composite over closed parts, nor (while its view is open) through the {@link
 * ByteBuffer} the view hands out. What a {@code ByteBuffer} kept past {@code close()} shows is
 * pinned down here too, since that is the one place the library cannot check (see {@link
 * ZeroCopyBuffer#asReadOnlyByteBuffer()}).
 */
class TenantIsolationTest {

  private final SlabBufferPool pool = SlabBufferPool.builder().name("isolation-test").build();

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), () -> pool.snapshot().toString());
    pool.close();
  }

  private ZeroCopyBuffer secret(String tenant, int length, byte fill) {
    try (BufferMut m = pool.acquire(length, tenant)) {
      byte[] bytes = new byte[length];
      Arrays.fill(bytes, fill);
      return m.append(bytes).freeze(BufferKind.raw());
    }
  }

  @Test
  void aByteBufferFromAnOpenViewKeepsItsBytesWhateverOtherViewsAndTenantsDo() throws Exception {
    ZeroCopyBuffer alice = secret("alice", 4096, (byte) 0xA1);
    ZeroCopyBuffer other = alice.share();
    ByteBuffer bb = alice.asReadOnlyByteBuffer();
    other.close(); // alice's view still holds the storage
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> churn = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        churn.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 2000; i++) {
                    secret("bob", 4096, (byte) 0xB0).close();
                  }
                }));
      }
      for (int i = 0; i < 2000; i++) {
        secret("bob", 4096, (byte) 0xB0).close();
      }
      for (Future<?> f : churn) {
        f.get();
      }
    } finally {
      threads.shutdown();
    }
    byte[] seen = new byte[bb.remaining()];
    bb.duplicate().get(seen);
    byte[] expected = new byte[4096];
    Arrays.fill(expected, (byte) 0xA1);
    assertArrayEquals(expected, seen, "the slab was not recycled while alice's view was open");
    alice.close();
  }

  /**
   * The documented hazard, proven: a ByteBuffer kept past the last close reads whatever the slab's
   * next owner wrote (here another tenant), because the pool recycles the slab; it can never write
   * to it (read-only), and never reads freed memory (the pool never frees memory explicitly; the
   * buffer keeps it reachable).
   */
  @Test
  void aByteBufferKeptPastTheLastCloseSeesTheSlabsNextOwner() {
    ZeroCopyBuffer alice = secret("alice", 4096, (byte) 0xA1);
    ByteBuffer kept = alice.asReadOnlyByteBuffer();
    ByteBuffer aliceSlab = ((View) alice).storage.memory;
    alice.close();
    ZeroCopyBuffer bob = secret("bob", 4096, (byte) 0xB0); // the same slab, from the magazine
    try {
      assertSame(aliceSlab, ((View) bob).storage.memory, "the test needs the slab reused");
      assertEquals((byte) 0xB0, kept.get(0), "the stale buffer shows the next owner's byte");
      assertTrue(kept.isReadOnly());
      assertThrows(ReadOnlyBufferException.class, () -> kept.put(0, (byte) 0));
      assertEquals((byte) 0xB0, bob.get(0), "bob's bytes are untouched");
      assertThrows(
          ClosedBufferException.class,
          alice::asReadOnlyByteBuffer,
          "the view itself refuses once closed");
    } finally {
      bob.close();
    }
  }

  @Test
  void slicesCannotReachPastTheirEnd() {
    ZeroCopyBuffer whole;
    try (BufferMut m = pool.acquire(64, "alice")) {
      byte[] bytes = new byte[64];
      for (int i = 0; i < 64; i++) {
        bytes[i] = (byte) i;
      }
      whole = m.append(bytes).freeze();
    }
    try (whole;
        ZeroCopyBuffer slice = whole.slice(10, 20)) {
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> slice.slice(0, 11));
      assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10"), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> slice.slice(-1, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> slice.slice(5, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> slice.get(10));
      assertThrows(IndexOutOfBoundsException.class, () -> slice.get(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> slice.getBytes(5, new byte[10], 0, 6));
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> slice.getBytes(0, new byte[10], 0, Integer.MAX_VALUE));
      ByteBuffer bb = slice.asReadOnlyByteBuffer();
      assertEquals(10, bb.capacity(), "the buffer's capacity is the slice: it cannot be widened");
      assertThrows(IllegalArgumentException.class, () -> bb.limit(11));
      assertEquals(10, bb.get(0));
      assertThrows(IndexOutOfBoundsException.class, () -> bb.get(10));
      assertArrayEquals(new byte[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, slice.toByteArray());
    }
  }

  @Test
  void aCompositeOverClosedPartsIsRefusedAndAClosedCompositeRefusesEveryRead() {
    ZeroCopyBuffer a = secret("alice", 32, (byte) 1);
    ZeroCopyBuffer b = secret("alice", 32, (byte) 2);
    b.close();
    assertThrows(
        ClosedBufferException.class, () -> Buffers.composite(BufferKind.raw(), List.of(a, b)));
    assertEquals(1, a.sharers(), "a refused composite keeps no reference to the open part");
    ZeroCopyBuffer c = secret("alice", 32, (byte) 3);
    ZeroCopyBuffer composite = Buffers.composite(BufferKind.raw(), List.of(a, c));
    a.close();
    c.close(); // the composite holds its own references
    assertEquals(1, composite.get(0));
    assertEquals(3, composite.get(63));
    composite.close();
    // The parts' slabs go to bob; the closed composite reads none of it.
    ZeroCopyBuffer bob1 = secret("bob", 32, (byte) 0xB0);
    ZeroCopyBuffer bob2 = secret("bob", 32, (byte) 0xB0);
    try {
      assertThrows(ClosedBufferException.class, () -> composite.get(0));
      assertThrows(ClosedBufferException.class, () -> composite.get(40));
      assertThrows(ClosedBufferException.class, composite::toByteArray);
      assertThrows(ClosedBufferException.class, composite::asReadOnlyByteBuffers);
      assertThrows(ClosedBufferException.class, composite::asReadOnlyByteBuffer);
      assertThrows(ClosedBufferException.class, composite::sha256);
      assertThrows(ClosedBufferException.class, () -> composite.slice(0, 40));
      assertThrows(ClosedBufferException.class, () -> composite.slice(0, 10));
      assertThrows(ClosedBufferException.class, composite::share);
      byte[] dst = new byte[8];
      assertThrows(ClosedBufferException.class, () -> composite.getBytes(28, dst, 0, 8));
      assertArrayEquals(new byte[8], dst);
    } finally {
      bob1.close();
      bob2.close();
    }
  }

  @Test
  void aSliceOfACompositeCannotReachPastItsEndIntoTheNextPart() {
    ZeroCopyBuffer a = secret("alice", 32, (byte) 1);
    ZeroCopyBuffer c = secret("alice", 32, (byte) 3);
    try (a;
        c;
        ZeroCopyBuffer composite = Buffers.composite(BufferKind.raw(), List.of(a, c));
        ZeroCopyBuffer inFirst = composite.slice(0, 32)) {
      assertEquals(32, inFirst.length());
      assertThrows(IndexOutOfBoundsException.class, () -> inFirst.get(32));
      assertEquals(32, inFirst.asReadOnlyByteBuffer().capacity());
    }
  }
}
