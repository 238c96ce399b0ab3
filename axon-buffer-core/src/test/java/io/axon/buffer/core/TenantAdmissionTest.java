package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tenant admission (the cap, idle eviction, wouldAdmit) and borrowed bytes, through a pool. */
class TenantAdmissionTest {

  @Test
  void pastTheCapANewTenantsFirstBillingIsRefusedAndNothingIsAllocated() {
    try (SlabBufferPool pool = SlabBufferPool.builder().maxTenants(2).build()) {
      BufferMut a = pool.acquire(100, "a");
      BufferAllocator b = pool.forTenant("b");
      BufferAllocator c = pool.forTenant("c"); // cheap: no slot taken yet
      BufferMut fromB = b.acquire(100);
      PoolSnapshot before = pool.snapshot();
      assertEquals(2, before.tenants());
      TooManyTenantsException e = assertThrows(TooManyTenantsException.class, () -> c.acquire(1));
      assertEquals("c", e.tenant());
      assertEquals(2, e.maxTenants());
      assertThrows(TooManyTenantsException.class, () -> pool.acquire(1, "d"));
      PoolSnapshot after = pool.snapshot();
      assertEquals(before.allocatedBytes(), after.allocatedBytes(), "nothing allocated");
      assertEquals(before.liveBytes(), after.liveBytes());
      assertEquals(2, after.tenants());
      assertEquals(2, after.tenantAdmissionRefusals());
      pool.acquire(100, "a").close(); // admitted tenants keep billing
      a.close();
      fromB.close();
      assertThrows(
          TooManyTenantsException.class, () -> c.acquire(1), "without an idle timeout, slots stay");
    }
  }

  @Test
  void anIdleTenantGivesItsSlotBackAndItsSeriesLeaveTheSnapshot() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder()
            .maxTenants(1)
            .tenantIdleTimeout(Duration.ZERO)
            .defaultSoftLimit(1)
            .build()) {
      BufferAllocator a = pool.forTenant("a");
      a.acquire(100).close(); // past its soft limit once
      PoolSnapshot seen = pool.snapshot(); // sees the activity: idle from here
      assertEquals(1, seen.tenants());
      assertEquals(Map.of("a", 1L), seen.softLimitExceeded());
      PoolSnapshot next = pool.snapshot(); // idle for the timeout (zero): evicted
      assertEquals(0, next.tenants());
      assertEquals(Map.of(), next.softLimitExceeded(), "its series are gone");
      pool.acquire(100, "b").close(); // the slot is free for another tenant
      assertThrows(TooManyTenantsException.class, () -> a.acquire(1), "b holds the slot now");
      pool.snapshot();
      pool.snapshot(); // b idle, evicted
      a.acquire(100).close(); // the allocator admits its tenant again, with a new record
      assertEquals(1, pool.snapshot().tenants());
    }
  }

  @Test
  void aTenantIsListedInLiveBytesAtZeroForExactlyAsLongAsItHoldsItsSlot() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().maxTenants(2).tenantIdleTimeout(Duration.ZERO).build()) {
      pool.forTenant("never-billed");
      assertEquals(Map.of(), pool.snapshot().liveBytesByTenant(), "no slot, not listed");
      BufferMut held = pool.acquire(100, "holder");
      pool.acquire(100, "done").close();
      PoolSnapshot s = pool.snapshot(); // sees done's activity: idle from here
      assertEquals(2, s.tenants());
      assertEquals(Map.of("done", 0L, "holder", 4096L), s.liveBytesByTenant());
      PoolSnapshot next = pool.snapshot(); // done idle for the timeout (zero): evicted
      assertEquals(1, next.tenants());
      assertEquals(Map.of("holder", 4096L), next.liveBytesByTenant(), "gone with its slot");
      held.close();
      assertEquals(Map.of("holder", 0L), pool.snapshot().liveBytesByTenant());
      assertEquals(Map.of(), pool.snapshot().liveBytesByTenant());
    }
  }

  @Test
  void aFullPoolLooksForIdleTenantsBeforeRefusingANewOne() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().maxTenants(1).tenantIdleTimeout(Duration.ZERO).build()) {
      pool.acquire(100, "a").close();
      pool.snapshot(); // a's activity seen; it is idle from here
      // No snapshot in between: admission itself sweeps for idle tenants when no slot is free.
      pool.acquire(100, "b").close();
      PoolSnapshot s = pool.snapshot();
      assertEquals(0, s.tenantAdmissionRefusals());
    }
  }

  @Test
  void aTenantHoldingMemoryKeepsItsSlotHoweverLongItIsIdle() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().maxTenants(1).tenantIdleTimeout(Duration.ZERO).build()) {
      BufferMut held = pool.acquire(100, "a");
      for (int i = 0; i < 3; i++) {
        pool.snapshot();
      }
      assertThrows(TooManyTenantsException.class, () -> pool.acquire(1, "b"));
      assertEquals(4096, pool.snapshot().liveBytes("a"));
      held.close();
    }
  }

  @Test
  void wouldAdmitReportsHardLimitAndAdmissionRefusalsWithoutBilling() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().maxTenants(1).defaultHardLimit(1 << 20).build()) {
      assertTrue(pool.wouldAdmit("a", 1 << 20));
      assertFalse(pool.wouldAdmit("a", (1 << 20) + 1));
      assertEquals(0, pool.snapshot().tenants(), "asking takes no slot");
      BufferMut m = pool.acquire(65536, "a");
      assertTrue(pool.wouldAdmit("a", (1 << 20) - 65536));
      assertFalse(pool.wouldAdmit("a", (1 << 20) - 65535));
      assertFalse(pool.wouldAdmit("b", 1), "no slot left for b");
      PoolSnapshot s = pool.snapshot();
      assertEquals(65536, s.liveBytes("a"));
      assertEquals(Map.of(), s.hardLimitRefusals(), "questions are not counted as refusals");
      assertEquals(0, s.tenantAdmissionRefusals());
      assertThrows(IllegalArgumentException.class, () -> pool.wouldAdmit("a", -1));
      assertThrows(IllegalArgumentException.class, () -> pool.wouldAdmit("", 1));
      m.close();
    }
  }

  @Test
  void threadsAdmittingDistinctTenantsGetExactlyTheCap() throws Exception {
    int cap = 5;
    try (SlabBufferPool pool = SlabBufferPool.builder().maxTenants(cap).build()) {
      int threads = 4;
      int perThread = 10;
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      ConcurrentLinkedQueue<BufferMut> held = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread w =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    try {
                      held.add(pool.acquire(10, "t" + id + "-" + i));
                      admitted.incrementAndGet();
                    } catch (TooManyTenantsException e) {
                      refused.incrementAndGet();
                    }
                  }
                });
        workers.add(w);
        w.start();
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      assertEquals(cap, admitted.get());
      assertEquals(threads * perThread - cap, refused.get());
      PoolSnapshot s = pool.snapshot();
      assertEquals(cap, s.tenants());
      assertEquals(cap, s.liveBytesByTenant().size());
      held.forEach(BufferMut::close);
    }
  }

  // =================================================================== borrowed bytes (D3 hooks)

  @Test
  void borrowedBytesAreBilledCountTowardTheLimitsAndAreReportedApart() {
    try (SlabBufferPool pool = SlabBufferPool.builder().hardLimit("acme", 1 << 20).build()) {
      TenantAllocator acme = (TenantAllocator) pool.forTenant("acme");
      Borrowing record = pool.borrowing(acme, 1_000_000);
      PoolSnapshot s = pool.snapshot();
      assertEquals(1_000_000, s.borrowedBytes());
      assertEquals(Map.of("acme", 1_000_000L), s.borrowedBytesByTenant());
      assertEquals(0, s.liveBytes(), "borrowed bytes are not pooled bytes");
      assertEquals(Map.of("acme", 0L), s.liveBytesByTenant(), "listed at 0: it holds a slot");
      assertEquals(0, s.allocatedBytes());
      // 1,000,000 borrowed + 65,536 pooled would pass 1 MiB.
      assertThrows(TenantLimitExceededException.class, () -> acme.acquire(65536));
      assertThrows(TenantLimitExceededException.class, () -> pool.borrowing(acme, 48_577));
      Borrowing more = pool.borrowing(acme, 48_576); // exactly at the limit
      more.returned();
      record.returned();
      s = pool.snapshot();
      assertEquals(0, s.borrowedBytes());
      assertEquals(Map.of(), s.borrowedBytesByTenant());
      acme.acquire(65536).close();
    }
  }

  @Test
  void borrowedBytesOfNoTenantCountOnlyInThePoolsTotal() throws Exception {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      Borrowing nobody = pool.borrowing(null, 4096);
      assertEquals(Optional.empty(), nobody.tenant());
      assertEquals(4096, pool.snapshot().borrowedBytes());
      // Released on another thread than it was billed on, as a view's last close may be.
      Thread other = new Thread(nobody::returned);
      other.start();
      other.join();
      assertEquals(0, pool.snapshot().borrowedBytes());
      pool.close();
      assertThrows(IllegalStateException.class, () -> pool.borrowing(null, 1));
    }
  }
}
