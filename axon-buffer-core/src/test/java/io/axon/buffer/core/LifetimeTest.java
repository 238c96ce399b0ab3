package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifetimeTest {

  private final SlabBufferPool pool = SlabBufferPool.builder().name("lifetime-test").build();

  @AfterEach
  void poolIsEmpty() {
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.liveBytes(), "live bytes after the test");
    assertEquals(s.allocatedBytes(), s.retainedBytes(), "allocated = retained once nothing lives");
    pool.close();
  }

  private ZeroCopyBuffer pooled(int n, String tenant) {
    try (BufferMut m = tenant == null ? pool.acquire(n) : pool.acquire(n, tenant)) {
      for (int i = 0; i < n; i++) {
        m.append((byte) i);
      }
      return m.freeze();
    }
  }

  private long leased(PoolClass c) {
    return pool.snapshot().of(c).leasedSlabs();
  }

  @Test
  void storageGoesBackToThePoolExactlyOnceWhenTheLastViewCloses() {
    PoolSnapshot before = pool.snapshot();
    ZeroCopyBuffer a = pooled(10, "t");
    List<ZeroCopyBuffer> views = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      views.add(i % 2 == 0 ? a.share() : a.slice(0, 5));
    }
    a.close();
    for (ZeroCopyBuffer v : views) {
      assertEquals(1, leased(PoolClass.SMALL));
      v.close();
      v.close();
    }
    PoolSnapshot after = pool.snapshot();
    assertEquals(0, after.of(PoolClass.SMALL).leasedSlabs());
    assertEquals(0, after.liveBytes("t"));
    assertEquals(
        before.of(PoolClass.SMALL).retainedSlabs()
            + 1
            + (before.allocatedBytes() == 0 ? SlabCache.SMALL_SLABS_PER_CHUNK - 1 : 0),
        after.of(PoolClass.SMALL).retainedSlabs(),
        "the slab came back once (plus the chunk's other slabs on a first allocation)");
    ZeroCopyBuffer next = pooled(10, null);
    assertEquals(1, pool.snapshot().of(PoolClass.SMALL).hits());
    next.close();
  }

  @Test
  void theSameViewClosedByManyThreadsAtOnceReleasesOnce() throws Exception {
    int threads = 4;
    ExecutorService exec = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 300; round++) {
        ZeroCopyBuffer first = pooled(64, "t");
        ZeroCopyBuffer other = first.share();
        ZeroCopyBuffer keep = first.slice(0, 8);
        for (ZeroCopyBuffer target : List.of(first, other)) {
          CyclicBarrier start = new CyclicBarrier(threads);
          List<Future<?>> done = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            done.add(
                exec.submit(
                    () -> {
                      start.await();
                      target.close();
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get();
          }
          assertTrue(target.isClosed());
        }
        assertEquals(1, keep.sharers(), "round " + round + ": each view released exactly once");
        assertEquals(0, keep.get(0));
        keep.close();
        assertEquals(0, pool.snapshot().liveBytes(), "round " + round);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void viewObjectsAreNeverReused() {
    IdentityHashMap<ZeroCopyBuffer, Boolean> seen = new IdentityHashMap<>();
    for (int i = 0; i < 50; i++) {
      ZeroCopyBuffer v = pooled(10, null);
      ZeroCopyBuffer s = v.share();
      assertNotSame(v, s);
      assertTrue(seen.put(v, true) == null, "a fresh view object every time");
      assertTrue(seen.put(s, true) == null, "a fresh view object every time");
      v.close();
      s.close();
    }
  }

  @Test
  void aClosedViewCannotReadTheSlabAfterAnotherTenantGetsIt() {
    ZeroCopyBuffer a;
    try (BufferMut m = pool.acquire(4096, "alice")) {
      a = m.append(new byte[4096]).freeze();
    }
    ZeroCopyBuffer stale = a;
    a.close();
    // The same thread's magazine hands the very same slab to bob.
    try (BufferMut m = pool.acquire(4096, "bob")) {
      byte[] secret = new byte[4096];
      java.util.Arrays.fill(secret, (byte) 0x5a);
      try (ZeroCopyBuffer bob = m.append(secret).freeze()) {
        assertTrue(
            ((View) bob).storage.memory == ((SlabBufferMut) ((View) stale).storage).memory,
            "the test needs the slab to be reused");
        assertThrows(ClosedBufferException.class, () -> stale.get(0));
        assertThrows(ClosedBufferException.class, stale::toByteArray);
        byte[] dst = new byte[16];
        assertThrows(ClosedBufferException.class, () -> stale.getBytes(0, dst, 0, 16));
        assertArrayEquals(new byte[16], dst);
        assertEquals(0x5a, bob.get(0));
      }
    }
  }

  @Test
  void aStaleViewWhoseStorageWasReleasedRefusesOptimisticReads() {
    // Simulates a reader on another thread that still sees the old buffer: the storage check
    // after the read refuses it.
    ZeroCopyBuffer v = pooled(10, null);
    View view = (View) v;
    Storage storage = view.storage;
    View ghost = new View(storage, storage.memory, 0, 10, BufferKind.raw(), 0);
    v.close();
    assertThrows(ClosedBufferException.class, () -> ghost.get(0));
    byte[] dst = new byte[] {9, 9, 9};
    assertThrows(ClosedBufferException.class, () -> ghost.getBytes(0, dst, 0, 3));
    assertArrayEquals(new byte[3], dst, "bytes read from a released slab are wiped");
    assertThrows(ClosedBufferException.class, ghost::share);
    assertThrows(ClosedBufferException.class, ghost::toByteArray);
  }
}
