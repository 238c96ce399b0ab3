package io.axon.buffer.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.ArrayList;

/**
 * One thread's share of a pool: its magazines of free slabs, its counters, its tenant cells.
 *
 * <p>Only the owning thread acquires and releases through its stripe, so the stripe's lock is
 * uncontended on the hot path: one compare-and-set on a cache line no other thread writes. The lock
 * exists so that the pool can, rarely, take a consistent picture of every stripe ({@link
 * SlabBufferPool#snapshot()}), empty them ({@link SlabBufferPool#trim()}), revoke tenant budgets,
 * or retire the stripe of a thread that ended. Those administrative holders never wait for the
 * pool's admin lock while holding a stripe, and owners never wait for it while holding theirs, so
 * the two kinds of holders cannot deadlock.
 */
final class Stripe {

  private static final int FREE = 0;
  private static final int OWNER = 1;
  private static final int ADMIN = 2;

  private static final VarHandle LOCK;

  static {
    try {
      LOCK = MethodHandles.lookup().findVarHandle(Stripe.class, "lock", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through LOCK
  private volatile int lock;

  /** Dense index, for {@link Tenant#cells}; reused after retirement. */
  final int index;

  /** The owning thread's id (ids are never reused by the JVM). */
  final long threadId;

  // Counters by PoolClass ordinal (OVERSIZE included).
  final long[] hits = new long[SlabBufferPool.CLASS_COUNT];
  final long[] misses = new long[SlabBufferPool.CLASS_COUNT];
  final long[] leasedSlabs = new long[SlabBufferPool.CLASS_COUNT];
  final long[] leasedBytes = new long[SlabBufferPool.CLASS_COUNT];

  // Magazines by pooled class ordinal: count occupied, credit = slots backed by reserved permits.
  final Slab[][] magazine = new Slab[SlabBufferPool.POOLED_COUNT][];
  final int[] magazineCount = new int[SlabBufferPool.POOLED_COUNT];
  final int[] credit = new int[SlabBufferPool.POOLED_COUNT];

  final ArrayList<TenantCell> cells = new ArrayList<>();

  /** Owner-only sampling counters. */
  int traceCounter;

  int smallCleanerCountdown;

  /** The live bytes a refused bill saw (owner scratch, read right after under the lock). */
  long refusedLive;

  Cleaner.Cleanable threadCleanable;
  boolean retired;

  Stripe(int index, long threadId) {
    this.index = index;
    this.threadId = threadId;
  }

  /** Owner: takes the lock (uncontended unless an administrator holds it). */
  void lockOwner() {
    if (!LOCK.compareAndSet(this, FREE, OWNER)) {
      spinUntil(OWNER);
    }
  }

  void unlock() {
    LOCK.setRelease(this, FREE);
  }

  /** Administrator: takes the lock, waiting for the owner to finish its operation. */
  void lockAdmin() {
    if (!LOCK.compareAndSet(this, FREE, ADMIN)) {
      spinUntil(ADMIN);
    }
  }

  private void spinUntil(int mode) {
    int spins = 0;
    while (!LOCK.compareAndSet(this, FREE, mode)) {
      if (++spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Adds this stripe's counters to {@code total}'s (lock held, or the stripe retired). */
  void addCountersTo(Stripe total) {
    for (int c = 0; c < SlabBufferPool.CLASS_COUNT; c++) {
      total.hits[c] += hits[c];
      total.misses[c] += misses[c];
      total.leasedSlabs[c] += leasedSlabs[c];
      total.leasedBytes[c] += leasedBytes[c];
    }
  }

  /** Pops a slab from the magazine of pooled class {@code c}, or null. Lock held. */
  Slab pop(int c) {
    int n = magazineCount[c];
    if (n == 0) {
      return null;
    }
    Slab[] m = magazine[c];
    Slab s = m[--n];
    m[n] = null;
    magazineCount[c] = n;
    return s;
  }

  /** Pushes a slab into the magazine of class {@code c}; the caller checked there is credit. */
  void push(int c, Slab slab) {
    Slab[] m = magazine[c];
    int n = magazineCount[c];
    if (m == null || n == m.length) {
      m = java.util.Arrays.copyOf(m == null ? new Slab[0] : m, Math.max(credit[c], n + 1));
      magazine[c] = m;
    }
    m[n] = slab;
    magazineCount[c] = n + 1;
  }

  /** True if the magazine of class {@code c} has a slot backed by credit. */
  boolean hasRoom(int c) {
    return magazineCount[c] < credit[c];
  }
}
