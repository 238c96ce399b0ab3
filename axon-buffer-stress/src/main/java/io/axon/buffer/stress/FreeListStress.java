package io.axon.buffer.stress;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The pool's free lists never hand one slab to two acquirers. One thread releases a slab and
 * acquires, the other acquires at the same moment; each stamps its buffer with its own stamp and
 * reads it back, and the arbiter reads both again once both have written: two owners of one slab
 * would see each other's stamp.
 *
 * <p>Results: r1, r2: each acquirer's own read (1 own bytes, -1 another owner's); r3: 1 if both
 * buffers still hold their own stamps at the end.
 */
public final class FreeListStress {

  private FreeListStress() {}

  abstract static class Handoff {
    final SlabBufferPool pool;
    final int heldStamp = Stamps.next();
    final int stampA = Stamps.next();
    final int stampB = Stamps.next();
    final ZeroCopyBuffer held;
    ZeroCopyBuffer a;
    ZeroCopyBuffer b;

    Handoff(SlabBufferPool pool) {
      this.pool = pool;
      this.held = Stamps.stamped(pool, heldStamp);
    }

    void releaseThenAcquire(III_Result r) {
      held.close();
      a = Stamps.stamped(pool, stampA);
      r.r1 = Stamps.check(a, stampA);
    }

    void acquire(III_Result r) {
      b = Stamps.stamped(pool, stampB);
      r.r2 = Stamps.check(b, stampB);
    }

    void arbiter(III_Result r) {
      boolean both =
          Stamps.check(a, stampA) == Stamps.OWN_BYTES
              && Stamps.check(b, stampB) == Stamps.OWN_BYTES;
      r.r3 = both ? 1 : -1;
      a.close();
      b.close();
    }
  }

  /** Shared free list only (no magazines): the released slab is the next one handed out. */
  @JCStressTest
  @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "Each acquirer owns its slab.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "One slab handed to two acquirers.")
  @State
  public static class SharedListHandoff extends Handoff {
    public SharedListHandoff() {
      super(Pools.SHARED_LIST_ONLY);
    }

    @Actor
    public void releaseThenAcquire1(III_Result r) {
      releaseThenAcquire(r);
    }

    @Actor
    public void acquire2(III_Result r) {
      acquire(r);
    }

    @Arbiter
    public void check(III_Result r) {
      arbiter(r);
    }
  }

  /** The default pool: per-thread magazines in front of the shared lists. */
  @JCStressTest
  @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "Each acquirer owns its slab.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "One slab handed to two acquirers.")
  @State
  public static class MagazineHandoff extends Handoff {
    public MagazineHandoff() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void releaseThenAcquire1(III_Result r) {
      releaseThenAcquire(r);
    }

    @Actor
    public void acquire2(III_Result r) {
      acquire(r);
    }

    @Arbiter
    public void check(III_Result r) {
      arbiter(r);
    }
  }
}
