package io.axon.buffer.stress;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Per-tenant live bytes are exact after any interleaving: two threads bill one tenant at once
 * (acquire, grow into the next class, freeze, share, slice, abort, close, in different orders) and
 * once both are done the tenant's live bytes, and the pool's, are exactly 0.
 *
 * <p>Both billing modes are proven: lease mode (a tenant far from its limits, billed against
 * per-thread budgets) and exact mode (a tenant whose hard limit is small, billed on one shared
 * counter). The arbiter reads {@link SlabBufferPool#snapshot()}; states acquire nothing in their
 * constructors, and jcstress runs arbiters only once every actor of the batch has finished, so the
 * snapshot sees a quiescent pool. Threads that end (jcstress starts new ones for every iteration)
 * have their per-thread accounts folded into the pool while actors run: that path is exercised too.
 *
 * <p>Results: r1 = the tenant's live bytes, r2 = the pool's live bytes.
 */
public final class TenantLiveBytesStress {

  private TenantLiveBytesStress() {}

  static final String TENANT = "tenant-under-stress";

  static final SlabBufferPool LEASE_MODE =
      SlabBufferPool.builder().name("stress-tenant-lease").leakTracing(LeakTracing.OFF).build();

  static final SlabBufferPool EXACT_MODE =
      SlabBufferPool.builder()
          .name("stress-tenant-exact")
          .hardLimit(TENANT, 8L << 20)
          .leakTracing(LeakTracing.OFF)
          .build();

  /** Acquire SMALL, freeze, slice, close the parent before the slice; then an aborted builder. */
  static void sliceAndAbort(SlabBufferPool pool) {
    ZeroCopyBuffer whole;
    try (BufferMut m = pool.acquire(3000, TENANT)) {
      m.append(new byte[3000]);
      whole = m.freeze();
    }
    ZeroCopyBuffer slice = whole.slice(10, 20);
    whole.close();
    slice.close();
    pool.acquire(100, TENANT).close();
  }

  /** Acquire SMALL, grow into MEDIUM by appending, freeze, share, close both. */
  static void growAndShare(SlabBufferPool pool) {
    ZeroCopyBuffer frozen;
    try (BufferMut m = pool.acquire(100, TENANT)) {
      m.append(new byte[5000]);
      frozen = m.freeze();
    }
    ZeroCopyBuffer shared = frozen.share();
    shared.close();
    frozen.close();
  }

  static void read(SlabBufferPool pool, JJ_Result r) {
    PoolSnapshot s = pool.snapshot();
    r.r1 = s.liveBytesByTenant().getOrDefault(TENANT, 0L);
    r.r2 = s.liveBytes();
  }

  /** A tenant in lease mode (default limits). */
  @JCStressTest
  @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "Every byte billed was unbilled.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Live bytes lost or double-counted.")
  @State
  public static class LeaseMode {
    @Actor
    public void actor1() {
      sliceAndAbort(LEASE_MODE);
    }

    @Actor
    public void actor2() {
      growAndShare(LEASE_MODE);
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
      read(LEASE_MODE, r);
    }
  }

  /** A tenant in exact mode (a hard limit below the lease threshold). */
  @JCStressTest
  @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "Every byte billed was unbilled.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Live bytes lost or double-counted.")
  @State
  public static class ExactMode {
    @Actor
    public void actor1() {
      sliceAndAbort(EXACT_MODE);
    }

    @Actor
    public void actor2() {
      growAndShare(EXACT_MODE);
    }

    @Arbiter
    public void arbiter(JJ_Result r) {
      read(EXACT_MODE, r);
    }
  }
}
