package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantTest {

  @Test
  void tenantsAreBilledAtAcquisitionByTheCapacityTheyHold() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      BufferAllocator acme = pool.forTenant("acme");
      assertEquals(Optional.of("acme"), acme.tenant());
      BufferMut a = acme.acquire(100);
      BufferMut b = pool.acquire(5000, "globex");
      BufferMut c = pool.acquire(100);
      PoolSnapshot s = pool.snapshot();
      assertEquals(4096, s.liveBytes("acme"), "billed by capacity, not by bytes written");
      assertEquals(65536, s.liveBytes("globex"));
      assertEquals(Map.of("acme", 4096L, "globex", 65536L), s.liveBytesByTenant());
      assertEquals(4096 + 65536 + 4096, s.liveBytes(), "the untenanted one counts only here");
      ZeroCopyBuffer v = a.append(new byte[10]).freeze();
      ZeroCopyBuffer slice = v.slice(0, 5);
      v.close();
      assertEquals(4096, pool.snapshot().liveBytes("acme"), "a slice keeps the bill");
      slice.close();
      assertEquals(0, pool.snapshot().liveBytes("acme"));
      assertEquals(0L, pool.snapshot().liveBytesByTenant().get("acme"), "listed at 0 in its slot");
      b.close();
      c.close();
    }
  }

  @Test
  void softLimitsCountAndNeverRefuse() {
    try (SlabBufferPool pool = SlabBufferPool.builder().softLimit("acme", 10_000).build()) {
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        held.add(pool.acquire(4096, "acme"));
      }
      // 4096, 8192 stay below 10000; 12288, 16384, 20480 are above: three acquisitions counted.
      PoolSnapshot s = pool.snapshot();
      assertEquals(Map.of("acme", 3L), s.softLimitExceeded());
      assertEquals(5 * 4096, s.liveBytes("acme"));
      held.forEach(BufferMut::close);
      pool.acquire(4096, "acme").close();
      assertEquals(3L, pool.snapshot().softLimitExceeded().get("acme"), "back under the limit");
    }
  }

  @Test
  void defaultSoftLimitAppliesToEveryTenantWithoutItsOwn() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().defaultSoftLimit(4096).softLimit("big", 1 << 20).build()) {
      pool.acquire(5000, "small").close();
      pool.acquire(5000, "big").close();
      assertEquals(Map.of("small", 1L), pool.snapshot().softLimitExceeded());
    }
  }

  @Test
  void hardLimitsRefuseWithATypedExceptionAndAllocateNothing() {
    try (SlabBufferPool pool = SlabBufferPool.builder().hardLimit("acme", 3 * 65536).build()) {
      BufferMut a = pool.acquire(65536, "acme");
      BufferMut b = pool.acquire(65536, "acme");
      PoolSnapshot before = pool.snapshot();
      TenantLimitExceededException e =
          assertThrows(TenantLimitExceededException.class, () -> pool.acquire(1 << 20, "acme"));
      assertEquals("acme", e.tenant());
      assertEquals(3 * 65536, e.hardLimitBytes());
      assertEquals(2 * 65536, e.liveBytes());
      assertEquals(1 << 20, e.requestedBytes());
      assertTrue(
          e.getMessage().contains("acme") && e.getMessage().contains("196608"), e.getMessage());
      PoolSnapshot after = pool.snapshot();
      assertEquals(before.allocatedBytes(), after.allocatedBytes(), "nothing allocated");
      assertEquals(before.totalAllocatedBytes(), after.totalAllocatedBytes());
      assertEquals(before.of(PoolClass.LARGE), after.of(PoolClass.LARGE));
      assertEquals(before.liveBytes("acme"), after.liveBytes("acme"), "nothing billed");
      assertEquals(Map.of("acme", 1L), after.hardLimitRefusals());
      BufferMut c = pool.acquire(65536, "acme"); // exactly at the limit: allowed
      assertThrows(TenantLimitExceededException.class, () -> pool.acquire(0, "acme"));
      assertEquals(2L, pool.snapshot().hardLimitRefusals().get("acme"));
      pool.acquire(1 << 20, "other").close();
      a.close();
      pool.acquire(65536, "acme").close();
      b.close();
      c.close();
      assertEquals(0, pool.snapshot().liveBytes());
    }
  }

  @Test
  void growthPastTheHardLimitFailsAndLeavesTheBuilderIntact() {
    // Growth bills the new slab before it releases the old one: both are held during the copy.
    try (SlabBufferPool pool = SlabBufferPool.builder().defaultHardLimit(65536 + 4096).build()) {
      BufferMut m = pool.acquire(4096, "t");
      m.append(new byte[4096]);
      TenantLimitExceededException e =
          assertThrows(TenantLimitExceededException.class, () -> m.append(new byte[65536]));
      assertEquals(1 << 20, e.requestedBytes(), "LARGE needed for 69632 bytes");
      assertEquals(4096, m.length(), "the builder still holds its bytes");
      assertEquals(PoolClass.SMALL, PoolClass.forCapacity(m.capacity()));
      m.append(new byte[60_000]);
      assertEquals(
          PoolClass.MEDIUM, PoolClass.forCapacity(m.capacity()), "growth within the limit works");
      m.close();
      assertEquals(0, pool.snapshot().liveBytes("t"));
    }
  }

  @Test
  void tenantNamesAreValidated() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      for (String bad : new String[] {"", "x".repeat(129), "tab\there", "é"}) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> pool.acquire(1, bad), bad);
        assertTrue(e.getMessage().contains("printable ASCII"), e.getMessage());
        assertEquals(
            e.getMessage(),
            assertThrows(IllegalArgumentException.class, () -> SlabBufferPool.checkTenantName(bad))
                .getMessage(),
            "the public check is the same rule");
      }
      SlabBufferPool.checkTenantName("acme corp/eu-1");
      assertThrows(NullPointerException.class, () -> pool.acquire(1, null));
      pool.acquire(1, "x".repeat(128)).close();
      pool.acquire(1, "acme corp/eu-1").close();
    }
  }

  /**
   * Far from the limit, billing runs on per-thread budgets; near it, the tenant switches to exact
   * billing. With threads racing for a hard limit, the tenant ends up holding exactly the limit:
   * never more, and no refusal while there was room.
   */
  @Test
  void hardLimitsStayExactWhileThreadsRaceForThem() throws Exception {
    long limit = 48L << 20; // above the lease-mode threshold, so threads start on budgets
    try (SlabBufferPool pool =
        SlabBufferPool.builder().hardLimit("race", limit).maxRetainedBytes(0).build()) {
      int threads = 4;
      ConcurrentLinkedQueue<BufferMut> held = new ConcurrentLinkedQueue<>();
      AtomicLong refusalsSeen = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    start.await();
                    while (true) {
                      BufferMut m = pool.acquire(65536, "race");
                      held.add(m);
                      // Churn a little so budgets move between threads.
                      pool.acquire(4096, "race").close();
                    }
                  } catch (TenantLimitExceededException e) {
                    refusalsSeen.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        workers.add(w);
        w.start();
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      PoolSnapshot s = pool.snapshot();
      long live = s.liveBytes("race");
      assertTrue(live <= limit, "never past the limit: " + live);
      assertEquals(limit / 65536, held.size(), "every 64 KiB that fit was granted");
      assertEquals(limit, live);
      assertEquals(threads, refusalsSeen.get());
      held.forEach(BufferMut::close);
      assertEquals(0, pool.snapshot().liveBytes("race"));
    }
  }

  /** Soft-limit counting is exact too, even when threads bill the tenant concurrently. */
  @Test
  void softLimitCountsStayExactAcrossThreads() throws Exception {
    long soft = 32L << 20;
    try (SlabBufferPool pool =
        SlabBufferPool.builder().softLimit("s", soft).maxRetainedBytes(0).build()) {
      int threads = 4;
      int perThread = 160; // 4 * 160 * 64 KiB = 40 MiB
      ConcurrentLinkedQueue<BufferMut> held = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    held.add(pool.acquire(65536, "s"));
                  }
                });
        workers.add(w);
        w.start();
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      long total = (long) threads * perThread * 65536;
      PoolSnapshot s = pool.snapshot();
      assertEquals(total, s.liveBytes("s"));
      assertEquals(
          (total - soft) / 65536,
          s.softLimitExceeded().get("s"),
          "exactly the acquisitions that left the tenant above its soft limit");
      held.forEach(BufferMut::close);
    }
  }
}
