package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  @Test
  void theSnapshotReportsEveryCounter() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().softLimit("soft", 4096).hardLimit("hard", 4096).build()) {
      pool.acquire(65536).close(); // MEDIUM miss, then retained
      BufferMut hit = pool.acquire(65536, "soft"); // MEDIUM hit
      BufferMut soft2 = pool.acquire(1, "soft"); // soft limit exceeded twice
      BufferMut big = pool.acquire((10 << 20) + 1, "a"); // oversize
      BufferMut hard = pool.acquire(1, "hard");
      assertThrows(TenantLimitExceededException.class, () -> pool.acquire(1, "hard"));
      PoolSnapshot s = pool.snapshot();
      assertTrue(s.direct());
      assertEquals(PoolClass.values().length, s.classes().size());
      assertEquals(1, s.of(PoolClass.MEDIUM).misses());
      assertEquals(1, s.of(PoolClass.MEDIUM).hits());
      assertEquals(1, s.of(PoolClass.MEDIUM).leasedSlabs());
      assertEquals(65536, s.of(PoolClass.MEDIUM).leasedBytes());
      assertEquals(1, s.oversizeAllocations());
      long live = 65536 + 4096 + (10 << 20) + 1 + 4096;
      assertEquals(live, s.liveBytes());
      assertEquals(65536 + 4096, s.liveBytes("soft"));
      assertEquals((10 << 20) + 1, s.liveBytes("a"));
      assertEquals(4096, s.liveBytes("hard"));
      assertEquals(0, s.liveBytes("nobody"));
      assertEquals(2L, s.softLimitExceeded().get("soft"));
      assertEquals(1L, s.hardLimitRefusals().get("hard"));
      // One small miss carved 16 slabs: two are leased, fourteen retained.
      assertEquals(14 * 4096, s.of(PoolClass.SMALL).retainedBytes(), "the rest of the small chunk");
      assertEquals(14, s.of(PoolClass.SMALL).retainedSlabs());
      assertEquals(1, s.of(PoolClass.SMALL).misses());
      assertEquals(1, s.of(PoolClass.SMALL).hits());
      assertEquals(s.liveBytes() + s.retainedBytes(), s.allocatedBytes());
      assertEquals(65536 + 16 * 4096 + (10 << 20) + 1, s.totalAllocatedBytes());
      assertEquals(0, s.leaksReclaimed());
      assertEquals(0, s.leakedBytes());
      assertEquals(0, s.pinnedUnusedBytes());
      hit.close();
      soft2.close();
      big.close();
      hard.close();
      PoolSnapshot after = pool.snapshot();
      assertEquals(0, after.liveBytes());
      assertTrue(
          after.liveBytesByTenant().values().stream().allMatch(v -> v == 0),
          "tenants stay listed at 0 while they hold their slot: " + after.liveBytesByTenant());
      assertEquals(2L, after.softLimitExceeded().get("soft"), "counts are cumulative");
    }
  }

  @Test
  void pinnedUnusedBytesReportSlicesKeepingLargeStorageAlive() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      ZeroCopyBuffer whole;
      try (BufferMut m = pool.acquire(1 << 20)) {
        whole = m.append(new byte[1 << 20]).freeze();
      }
      ZeroCopyBuffer small = whole.slice(1000, 1100);
      assertEquals(0, pool.snapshot().pinnedUnusedBytes(), "the whole view is still open");
      whole.close();
      long pinned = pool.snapshot().pinnedUnusedBytes();
      // 100 bytes visible of 1 MiB: the rest is pinned (coverage is rounded up to 16 bytes here).
      assertTrue(pinned >= (1 << 20) - 116 && pinned <= (1 << 20) - 100, "pinned " + pinned);
      ZeroCopyBuffer compact = small.compact();
      assertEquals(
          PoolClass.SMALL.slabBytes(),
          pool.snapshot().of(PoolClass.SMALL).leasedBytes(),
          "compact copied into right-sized storage");
      small.close();
      assertEquals(0, pool.snapshot().pinnedUnusedBytes(), "released: nothing pinned");
      assertEquals(4096, pool.snapshot().liveBytes());
      assertArrayEquals(new byte[100], compact.toByteArray());
      compact.close();
    }
  }

  @Test
  void slicesThatStillCoverTheContentPinNothing() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      ZeroCopyBuffer whole;
      try (BufferMut m = pool.acquire(65536)) {
        whole = m.append(new byte[1000]).freeze();
      }
      ZeroCopyBuffer first = whole.slice(0, 500);
      ZeroCopyBuffer second = whole.slice(500, 1000);
      whole.close();
      assertEquals(0, pool.snapshot().pinnedUnusedBytes(), "two halves still see all the content");
      second.close();
      long pinned = pool.snapshot().pinnedUnusedBytes();
      assertTrue(pinned >= 65536 - 501 && pinned <= 65536 - 500, "pinned " + pinned);
      first.close();
      assertEquals(0, pool.snapshot().pinnedUnusedBytes());
    }
  }

  /**
   * Snapshots taken while other threads acquire, share, slice and close stay internally consistent:
   * allocated = live + retained, live = the sum of the classes, counters never go backwards,
   * tenants never hold a negative or impossible amount.
   */
  @Test
  void staysConsistentWhileOtherThreadsAllocate() throws Exception {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().leakTracing(LeakTracing.OFF).maxSlabsPerClass(16).build()) {
      int threads = 3;
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread w =
            new Thread(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(id);
                  List<ZeroCopyBuffer> held = new ArrayList<>();
                  try {
                    while (!stop.get()) {
                      int size = rnd.nextInt(8) == 0 ? rnd.nextInt(200_000) : rnd.nextInt(5000);
                      String tenant = "t" + rnd.nextInt(3);
                      try (BufferMut m = pool.acquire(size, tenant)) {
                        m.append(new byte[Math.min(size, 100)]);
                        held.add(m.freeze());
                      }
                      if (rnd.nextBoolean() && !held.isEmpty()) {
                        ZeroCopyBuffer v = held.get(rnd.nextInt(held.size()));
                        held.add(rnd.nextBoolean() ? v.share() : v.slice(0, v.length() / 2));
                      }
                      while (held.size() > 8) {
                        held.remove(rnd.nextInt(held.size())).close();
                      }
                    }
                  } catch (Throwable e) {
                    failure.set(e);
                  } finally {
                    held.forEach(ZeroCopyBuffer::close);
                  }
                });
        workers.add(w);
        w.start();
      }
      long lastHits = 0;
      long lastMisses = 0;
      try {
        for (int i = 0; i < 300; i++) {
          PoolSnapshot s = pool.snapshot();
          assertEquals(s.liveBytes() + s.retainedBytes(), s.allocatedBytes(), "snapshot " + i);
          long live = 0;
          long retained = 0;
          long hits = 0;
          long misses = 0;
          for (PoolClass c : PoolClass.values()) {
            PoolSnapshot.ClassStats cs = s.of(c);
            assertTrue(cs.leasedSlabs() >= 0, c + " " + cs);
            if (c.isPooled()) {
              assertEquals(cs.leasedSlabs() * c.slabBytes(), cs.leasedBytes(), c + " " + cs);
              assertEquals(cs.retainedSlabs() * c.slabBytes(), cs.retainedBytes(), c + " " + cs);
              assertTrue(cs.retainedSlabs() <= 16, c + " " + cs);
            }
            live += cs.leasedBytes();
            retained += cs.retainedBytes();
            hits += cs.hits();
            misses += cs.misses();
          }
          assertEquals(live, s.liveBytes());
          assertEquals(retained, s.retainedBytes());
          long tenants = 0;
          for (long t : s.liveBytesByTenant().values()) {
            // A tenant holding a slot is listed at 0 while it holds nothing
            // (TenantLedger.describe).
            assertTrue(t >= 0 && t % 4096 == 0, "tenant live " + t);
            tenants += t;
          }
          assertEquals(s.liveBytes(), tenants, "every acquisition here names a tenant");
          assertTrue(hits >= lastHits && misses >= lastMisses, "counters never go backwards");
          // Walked beside the consistent moment: bounded by what the workers can hold at most
          // (nine views each, on storage of at most 1 MiB), never negative.
          assertTrue(
              s.pinnedUnusedBytes() >= 0 && s.pinnedUnusedBytes() <= ((threads * 9L) << 20),
              "pinned " + s.pinnedUnusedBytes());
          lastHits = hits;
          lastMisses = misses;
          Thread.sleep(1);
        }
      } finally {
        stop.set(true);
        for (Thread w : workers) {
          w.join();
        }
      }
      if (failure.get() != null) {
        throw new AssertionError("worker failed", failure.get());
      }
      PoolSnapshot end = pool.snapshot();
      assertEquals(0, end.liveBytes());
      assertTrue(
          end.liveBytesByTenant().values().stream().allMatch(v -> v == 0),
          "every tenant keeps its slot (no idle timeout), at 0: " + end.liveBytesByTenant());
      assertEquals(end.retainedBytes(), end.allocatedBytes());
      assertEquals(0, end.pinnedUnusedBytes(), "every view closed: nothing pinned");
    }
  }

  @Test
  void perTenantFiguresComeInTenantNameOrder() {
    try (SlabBufferPool pool = SlabBufferPool.builder().defaultSoftLimit(1).build()) {
      List<BufferMut> held = new ArrayList<>();
      for (String tenant : new String[] {"zeta", "alpha", "Mid", "beta"}) {
        held.add(pool.acquire(100, tenant));
      }
      PoolSnapshot s = pool.snapshot();
      List<String> order = List.of("Mid", "alpha", "beta", "zeta");
      assertEquals(order, List.copyOf(s.liveBytesByTenant().keySet()));
      assertEquals(order, List.copyOf(s.softLimitExceeded().keySet()));
      assertEquals("Mid", s.liveBytesByTenant().firstKey());
      assertEquals(List.of(PoolClass.values()), List.copyOf(s.classes().keySet()));
      held.forEach(BufferMut::close);
    }
  }
}
