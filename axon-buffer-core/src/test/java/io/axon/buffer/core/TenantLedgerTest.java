package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The tenant ledger on numbers alone: no slab, no buffer, no byte of memory. Each "thread" of the
 * pool is a bare {@link Stripe}; billing runs under its lock as the pool runs it.
 */
class TenantLedgerTest {

  private static final long MIB = 1 << 20;

  /** The ledger's clock, moved by hand. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private TenantLedger ledger(long soft, long hard, int maxTenants, long idleTimeoutNanos) {
    return new TenantLedger(soft, hard, Map.of(), Map.of(), maxTenants, idleTimeoutNanos, now::get);
  }

  private TenantLedger ledger(long soft, long hard) {
    return ledger(soft, hard, TenantLedger.UNLIMITED, TenantLedger.NEVER);
  }

  private static void bill(TenantLedger l, Stripe s, Tenant t, long bytes, boolean borrowed) {
    s.lock();
    try {
      assertTrue(l.bill(s, t, bytes, borrowed), "billed");
    } finally {
      s.unlock();
    }
  }

  private static void bill(TenantLedger l, Stripe s, Tenant t, long bytes) {
    bill(l, s, t, bytes, false);
  }

  /** A bill the hard limit refuses, under the stripe's lock as the pool bills. */
  private static TenantLimitExceededException refused(
      TenantLedger l, Stripe s, Tenant t, long bytes) {
    return assertThrows(
        TenantLimitExceededException.class,
        () -> {
          s.lock(); // inside the lambda: Error Prone's GuardedBy sees the lock held where bill runs
          try {
            l.bill(s, t, bytes, false);
          } finally {
            s.unlock();
          }
        });
  }

  private static void unbill(TenantLedger l, Stripe s, Tenant t, long bytes) {
    s.lock();
    try {
      l.unbill(s, t, bytes, false);
    } finally {
      s.unlock();
    }
  }

  private static Stripe stripe(int index) {
    return new Stripe(index, 1_000 + index);
  }

  @Test
  void aMillionBytesUnderAOneMebibyteHardLimitAreBilledAndTheLimitItselfIsReachable() {
    TenantLedger l = ledger(MIB, MIB);
    Tenant t = l.admit("acme");
    Stripe s = stripe(0);
    assertTrue(t.isExact(), "a 1 MiB limit is billed exactly from the start");
    bill(l, s, t, 1_000_000);
    bill(l, s, t, MIB - 1_000_000); // exactly at the limit: allowed
    assertEquals(MIB, t.liveBytes());
    TenantLimitExceededException e = refused(l, s, t, 1);
    assertEquals("acme", e.tenant());
    assertEquals(MIB, e.hardLimitBytes());
    assertEquals(MIB, e.liveBytes());
    assertEquals(1, e.requestedBytes());
    assertEquals(MIB, t.liveBytes(), "the refused byte was not billed");
    assertEquals(1, t.hardLimitRefusals());
    unbill(l, s, t, MIB);
    assertEquals(0, t.liveBytes());
    assertEquals(0, t.granted());
  }

  @Test
  void aBillLargerThanTheHardLimitIsRefusedEvenForANewTenant() {
    TenantLedger l = ledger(Long.MAX_VALUE, MIB);
    Tenant t = l.admit("acme");
    Stripe s = stripe(0);
    refused(l, s, t, MIB + 1);
    assertEquals(0, t.liveBytes());
    assertEquals(0, t.granted());
  }

  @Test
  void softLimitsCountEveryBillThatLeavesTheTenantAboveAndNeverRefuse() {
    TenantLedger l = ledger(10_000, Long.MAX_VALUE);
    Tenant t = l.admit("acme");
    Stripe s = stripe(0);
    for (int i = 0; i < 5; i++) {
      bill(l, s, t, 4096); // 4096, 8192 below; 12288, 16384, 20480 above
    }
    assertEquals(3, t.softLimitExceeded());
    assertEquals(5 * 4096, t.liveBytes());
    unbill(l, s, t, 5 * 4096);
    bill(l, s, t, 4096);
    assertEquals(3, t.softLimitExceeded(), "back under the limit");
  }

  @Test
  void leaseModeFarFromTheLimitsExactModeNearThemAndLeaseModeAgainBelowAQuarter() {
    long limit = 64 * MIB;
    TenantLedger l = ledger(limit, limit);
    Tenant t = l.admit("acme");
    Stripe s = stripe(0);
    assertFalse(t.isExact(), "64 MiB limits start in lease mode");

    bill(l, s, t, 1024);
    assertFalse(t.isExact());
    assertEquals(Tenant.LEASE_CHUNK, t.granted(), "a budget was leased, not the bytes alone");
    assertEquals(1024, t.liveBytes());

    bill(l, s, t, limit - 100 * 1024 - 1024); // one larger lease, still within the limits
    assertFalse(t.isExact());
    long live = limit - 100 * 1024;
    assertEquals(live, t.liveBytes());

    // 1 KiB fits, a budget of 256 KiB does not: the tenant turns exact and bills the 1 KiB.
    bill(l, s, t, 1024);
    assertTrue(t.isExact());
    live += 1024;
    assertEquals(live, t.liveBytes());
    assertEquals(live, t.granted(), "in exact mode nothing is leased beyond the billed bytes");

    unbill(l, s, t, live - 1024); // down to 1 KiB, but only a bill switches back
    assertTrue(t.isExact());
    assertEquals(1024, t.granted());
    bill(l, s, t, 1024); // 2 KiB <= a quarter of 64 MiB: lease mode again
    assertFalse(t.isExact());
    bill(l, s, t, 1024); // billed from a budget again
    assertEquals(3 * 1024, t.liveBytes());
    assertTrue(t.granted() > t.liveBytes(), "leasing again: " + t.granted());
  }

  @Test
  void turningExactRevokesTheBudgetsOfEveryStripeSoThatABillThatFitsIsGranted() {
    long limit = Tenant.LEASE_MODE_MIN_LIMIT; // the smallest limit billed in lease mode
    TenantLedger l = ledger(limit, limit);
    Tenant t = l.admit("acme");
    Stripe a = stripe(0);
    Stripe b = stripe(1);
    bill(l, a, t, 1024);
    bill(l, b, t, 1024);
    assertEquals(2 * Tenant.LEASE_CHUNK, t.granted(), "each stripe leased a budget");
    // Fits only once b's unused budget is given back: 2 KiB billed + this = the limit.
    bill(l, a, t, limit - 2048);
    assertTrue(t.isExact());
    assertEquals(limit, t.liveBytes());
    assertEquals(limit, t.granted());
  }

  @Test
  void retiringAStripeKeepsItsFiguresAndGivesItsBudgetBack() {
    TenantLedger l = ledger(Long.MAX_VALUE, Long.MAX_VALUE);
    Tenant t = l.admit("acme");
    Stripe gone = stripe(0);
    Stripe alive = stripe(1);
    bill(l, gone, t, 1000);
    bill(l, gone, t, 500, true);
    bill(l, alive, t, 2000);
    gone.lockAdmin();
    try {
      l.retire(gone);
    } finally {
      gone.unlock();
    }
    assertEquals(3000, t.liveBytes());
    assertEquals(500, t.borrowedBytes());
    unbill(l, alive, t, 1000); // released on another thread than it was billed on
    assertEquals(2000, t.liveBytes());
    assertTrue(t.granted() >= 2500 && t.granted() <= 2500 + Tenant.MAX_CELL_BUDGET);
  }

  @Test
  void borrowedBytesCountTowardTheHardLimitAndAreReportedApart() {
    TenantLedger l = ledger(Long.MAX_VALUE, MIB);
    Tenant t = l.admit("acme");
    Stripe s = stripe(0);
    bill(l, s, t, 600_000, true);
    bill(l, s, t, 400_000);
    refused(l, s, t, 100_000);
    PoolSnapshot.Builder b = PoolSnapshot.builder();
    l.describe(b);
    PoolSnapshot snap = b.build();
    assertEquals(Map.of("acme", 400_000L), snap.liveBytesByTenant());
    assertEquals(Map.of("acme", 600_000L), snap.borrowedBytesByTenant());
    assertEquals(Map.of("acme", 1L), snap.hardLimitRefusals());
    assertEquals(Map.of(), snap.softLimitExceeded(), "only tenants with a figure are listed");
  }

  /**
   * Threads bill one tenant against each other until its hard limit refuses them, churning small
   * bills in between so that budgets move: in lease mode (48 MiB) and in exact mode (1 MiB), the
   * tenant ends up holding exactly its limit, never more, with every thread refused once.
   */
  @Test
  void threadsBillingAgainstEachOtherNeverPassTheHardLimitAndGetEveryByteThatFits()
      throws Exception {
    for (long limit : new long[] {48 * MIB, MIB}) {
      TenantLedger l = ledger(Long.MAX_VALUE, limit);
      Tenant t = l.admit("race");
      int threads = 4;
      long chunk = 16 * 1024;
      AtomicLong billed = new AtomicLong();
      AtomicLong refusals = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Stripe s = stripe(i);
        Thread w =
            new Thread(
                () -> {
                  try {
                    start.await();
                    while (true) {
                      bill(l, s, t, chunk);
                      billed.addAndGet(chunk);
                      try {
                        bill(l, s, t, 512);
                        unbill(l, s, t, 512);
                      } catch (TenantLimitExceededException churnRefused) {
                        // the limit is near: the next chunk is refused too
                      }
                    }
                  } catch (TenantLimitExceededException e) {
                    refusals.incrementAndGet();
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
      assertEquals(limit, billed.get(), "every chunk that fitted was billed, limit " + limit);
      assertEquals(limit, t.liveBytes());
      assertEquals(threads, refusals.get());
      assertTrue(t.granted() <= limit, "granted " + t.granted() + " past " + limit);
    }
  }

  // =================================================================== admission

  @Test
  void aTenantTakesASlotWhenAdmittedAndTheCapRefusesTheNextOne() {
    TenantLedger l = ledger(Long.MAX_VALUE, Long.MAX_VALUE, 2, TenantLedger.NEVER);
    Tenant a = l.admit("a");
    assertNotNull(a);
    assertSame(a, l.admit("a"), "admitting again takes no slot");
    assertNotNull(l.admit("b"));
    assertNull(l.admit("c"));
    assertNull(l.find("c"), "a refused tenant leaves no record");
    assertTrue(l.isFullFor("c"));
    assertFalse(l.isFullFor("a"));
    TooManyTenantsException e = l.refuse("c");
    assertEquals("c", e.tenant());
    assertEquals(2, e.maxTenants());
    PoolSnapshot.Builder b = PoolSnapshot.builder();
    l.describe(b);
    PoolSnapshot s = b.build();
    assertEquals(2, s.tenants());
    assertEquals(1, s.tenantAdmissionRefusals());
    assertThrows(IllegalArgumentException.class, () -> l.admit("tab\there"));
  }

  @Test
  void anIdleTenantGivesItsSlotBackOnceIdleForTheTimeoutAndNeverBefore() {
    long timeout = 10_000_000_000L;
    TenantLedger l = ledger(Long.MAX_VALUE, Long.MAX_VALUE, 1, timeout);
    Stripe s = stripe(0);
    Tenant a = l.admit("a");
    now.addAndGet(timeout / 2);
    bill(l, s, a, 4096);
    unbill(l, s, a, 4096);
    l.evictIdle(); // sees the activity: idle from now on
    now.addAndGet(timeout - 1);
    l.evictIdle();
    assertSame(a, l.find("a"), "idle one nanosecond short of the timeout");
    assertNull(l.admit("b"), "the only slot is still taken");
    now.addAndGet(1);
    l.evictIdle();
    assertNull(l.find("a"));
    assertTrue(a.isEvicted());
    s.lock();
    try {
      assertFalse(l.bill(s, a, 1, false), "an evicted record turns bills back");
    } finally {
      s.unlock();
    }
    assertEquals(0, a.liveBytes());
    Tenant b = l.admit("b");
    assertNotNull(b, "the slot came back");
    s.lock();
    try {
      assertTrue(s.cells.stream().noneMatch(c -> c.tenant == a), "its cells left the stripes");
    } finally {
      s.unlock();
    }
  }

  @Test
  void aTenantHoldingPooledOrBorrowedBytesIsNeverEvicted() {
    TenantLedger l = ledger(Long.MAX_VALUE, Long.MAX_VALUE, 2, 0);
    Stripe s = stripe(0);
    Tenant pooled = l.admit("pooled");
    Tenant borrowed = l.admit("borrowed");
    bill(l, s, pooled, 1);
    bill(l, s, borrowed, 1, true);
    for (int i = 0; i < 3; i++) {
      now.addAndGet(3_600_000_000_000L);
      l.evictIdle();
    }
    assertSame(pooled, l.find("pooled"));
    assertSame(borrowed, l.find("borrowed"));
    unbill(l, s, pooled, 1);
    l.evictIdle(); // activity seen
    l.evictIdle(); // idle since, timeout 0
    assertNull(l.find("pooled"));
    assertSame(borrowed, l.find("borrowed"));
  }

  @Test
  void wouldAdmitAnswersAsABillWouldWithoutBillingOrTakingASlot() {
    TenantLedger l = ledger(Long.MAX_VALUE, MIB, 1, TenantLedger.NEVER);
    assertTrue(l.wouldAdmit("a", MIB), "a new tenant, up to its hard limit");
    assertFalse(l.wouldAdmit("a", MIB + 1));
    assertNull(l.find("a"), "asking took no slot");
    Tenant a = l.admit("a");
    Stripe s = stripe(0);
    bill(l, s, a, 1_000_000);
    assertTrue(l.wouldAdmit("a", MIB - 1_000_000));
    assertFalse(l.wouldAdmit("a", MIB - 1_000_000 + 1));
    assertFalse(l.wouldAdmit("b", 1), "no slot for a second tenant");
    assertEquals(0, a.hardLimitRefusals(), "questions are not refusals");
    assertEquals(1_000_000, a.liveBytes());
  }

  @Test
  void wouldAdmitIsExactInLeaseModeToo() {
    long limit = 32 * MIB;
    TenantLedger l = ledger(limit, limit);
    Tenant t = l.admit("acme");
    Stripe a = stripe(0);
    Stripe b = stripe(1);
    bill(l, a, t, 1024);
    bill(l, b, t, 1024);
    assertFalse(t.isExact());
    // granted counts two budgets; the billed bytes are only 2 KiB
    assertTrue(l.wouldAdmit("acme", limit - 2048));
    assertFalse(l.wouldAdmit("acme", limit - 2047));
  }
}
