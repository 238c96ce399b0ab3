package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.LeakDetection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for core bugs found by the reliability work (jcstress runs in
 * axon-buffer-stress); each names the run that found it.
 */
class ReliabilityRegressionTest {

  /**
   * Found by jcstress ({@code TenantLiveBytesStress}: OutOfMemoryError in {@code
   * Tenant.createCell}): a thread that ends frees its stripe index, the next thread reuses it, and
   * the tenant's cell array doubled every time a reused index needed a cell, so a tenant billed
   * from short-lived threads (a cached thread pool, per-connection threads) ran the heap out after
   * a few dozen threads.
   */
  @Test
  void aReusedStripeIndexDoesNotGrowTheTenantsCellArray() {
    Tenant tenant = new Tenant("churn", SlabBufferPool.DEFAULT_SOFT_LIMIT, Long.MAX_VALUE, 0);
    Stripe stripe = new Stripe(3, 1);
    billOnce(tenant, stripe);
    int length = tenant.cellSlots();
    assertTrue(length >= 4, "index 3 fits: " + length);
    for (long thread = 2; thread < 200; thread++) {
      retire(stripe);
      stripe = new Stripe(3, thread); // the next thread takes the retired index
      billOnce(tenant, stripe);
      assertEquals(length, tenant.cellSlots(), "after " + (thread - 1) + " reuses of index 3");
    }
    billOnce(tenant, new Stripe(length + 5, 999));
    assertTrue(tenant.cellSlots() > length + 5, "a new index past the end still grows it");
  }

  private static void billOnce(Tenant tenant, Stripe s) {
    s.lock();
    try {
      assertEquals(Tenant.BILLED, tenant.bill(s, 1, false));
    } finally {
      s.unlock();
    }
  }

  private static void retire(Stripe s) {
    s.lockAdmin();
    try {
      for (TenantCell c : s.cells) {
        c.tenant.retire(c);
      }
      s.cells.clear();
    } finally {
      s.unlock();
    }
  }

  /**
   * Found by jcstress ({@code FreeListStress.SharedListHandoff}: direct memory exhausted by a few
   * thousand 64-byte buffers): a small-class miss carved 16 slabs out of one allocation even when
   * the pool could retain none of the extras, and the slab handed out kept the whole 64 KiB chunk
   * reachable, so with {@code maxSlabsPerClass(1)} every live small buffer pinned 16 times its
   * size.
   */
  @Test
  void smallSlabsAreCarvedOnlyAsFarAsThePoolCanRetainThem() {
    try (SlabBufferPool pool = SlabBufferPool.builder().maxSlabsPerClass(1).build()) {
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        held.add(pool.acquire(64));
      }
      PoolSnapshot s = pool.snapshot();
      long slab = PoolClass.SMALL.slabBytes();
      assertEquals(100 * slab, s.liveBytes());
      assertTrue(
          s.totalAllocatedBytes() <= 2 * 100 * slab,
          "100 small buffers took " + s.totalAllocatedBytes() + " bytes from the system");
      held.forEach(BufferMut::close);
      assertEquals(0, pool.snapshot().liveBytes());
    }
  }

  /** The default pool still carves: one system allocation serves many small acquisitions. */
  @Test
  void theDefaultPoolStillCarvesSmallSlabsInChunks() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        held.add(pool.acquire(64));
      }
      PoolSnapshot s = pool.snapshot();
      assertTrue(
          s.of(PoolClass.SMALL).misses() <= 2,
          "16 acquisitions, " + s.of(PoolClass.SMALL).misses() + " system allocations");
      held.forEach(BufferMut::close);
    }
  }

  /**
   * Found by the reliability work (fault injection): a pool dropped without {@code close()} left
   * the slabs of its thread's magazine reachable from the thread (through the stripe's thread local
   * and retirement registration) for as long as the thread lived: 300 dropped pools held 300 MiB of
   * direct memory. The pool's own safety net now empties its stripes.
   */
  @Test
  void aPoolDroppedWithoutCloseLetsItsMagazinesGo() throws Exception {
    List<java.lang.ref.WeakReference<java.nio.ByteBuffer>> slabs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      SlabBufferPool dropped = SlabBufferPool.builder().name("dropped-" + i).build();
      BufferMut m = dropped.acquire(PoolClass.LARGE.slabBytes());
      ZeroCopyBuffer v = m.append(new byte[1]).freeze();
      slabs.add(new java.lang.ref.WeakReference<>(((View) v).storage.memory));
      v.close(); // the slab goes to this thread's magazine of that pool
    }
    long alive = slabs.size();
    for (int round = 0; round < 50 && alive > 0; round++) {
      LeakDetection.awaitLeakDetection(java.time.Duration.ofSeconds(5));
      alive = slabs.stream().filter(r -> r.get() != null).count();
    }
    assertEquals(0, alive, "slabs of dropped pools still reachable from this thread");
  }
}
