package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.core.internal.LeakDetection;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The stripes of one pool: each thread that uses the pool gets its own {@link Stripe} on first use
 * (a thread-local), which is retired once the thread has ended and the garbage collector noticed:
 * its slabs go to the free lists ({@link SlabCache#drain}), its tenant cells are folded into their
 * tenants ({@link TenantLedger#retire}), its counters into those of retired stripes, and its index
 * is reused. When the pool itself becomes unreachable without {@code close()}, a reclaimer empties
 * the stripes' magazines, since a thread reaches its stripe long after the pool is gone.
 *
 * <p>The registry also runs the pool-wide operations that need every stripe at once: {@link
 * #withEveryStripeLocked} for a consistent picture (snapshot, idle-tenant eviction) and {@link
 * #withStripes} for those that lock stripes one at a time (trim).
 *
 * <p>What it does not do: it decides nothing about slabs or tenants; retirement delegates to the
 * slab cache and the tenant ledger.
 *
 * <p>Threading: {@link #current()} is lock-free once the thread has its stripe; registration,
 * retirement and the pool-wide operations hold {@link #admin}, and lock stripes inside it (all of
 * them, or one at a time).
 */
final class StripeRegistry {

  private final SlabCache cache;
  private final TenantLedger ledger;

  @SuppressWarnings("ThreadLocalUsage") // one per pool on purpose: each pool has its own stripes
  private final ThreadLocal<Stripe> local = new ThreadLocal<>();

  private final ReentrantLock admin = new ReentrantLock();

  /** Copy-on-write; read by {@link #withEveryStripeLocked} under {@link #admin}. */
  @GuardedBy("admin")
  private Stripe[] stripes = new Stripe[0];

  @GuardedBy("admin")
  private final ArrayDeque<Integer> freeIndexes = new ArrayDeque<>();

  @GuardedBy("admin")
  private int nextIndex;

  /** Counters of retired stripes. */
  @GuardedBy("admin")
  private final PoolCounters retired = new PoolCounters();

  /**
   * The same stripes, for the {@link Reclaimer}, which must not hold the registry: a concurrent set
   * it shares with it.
   */
  private final Set<Stripe> live = ConcurrentHashMap.newKeySet();

  StripeRegistry(SlabCache cache, TenantLedger ledger) {
    this.cache = cache;
    this.ledger = ledger;
    LeakDetection.cleaner().register(this, new Reclaimer(live));
  }

  /** The calling thread's stripe, created on its first use of the pool. */
  Stripe current() {
    Stripe s = local.get();
    return s != null ? s : register();
  }

  private Stripe register() {
    admin.lock();
    try {
      Integer free = freeIndexes.poll();
      int index = free != null ? free : nextIndex++;
      Thread thread = Thread.currentThread();
      Stripe s = new Stripe(index, thread.getId());
      Stripe[] all = Arrays.copyOf(stripes, stripes.length + 1);
      all[all.length - 1] = s;
      stripes = all;
      s.threadCleanable =
          LeakDetection.cleaner().register(thread, new Retirer(new WeakReference<>(this), s));
      live.add(s);
      local.set(s);
      return s;
    } finally {
      admin.unlock();
    }
  }

  /**
   * Runs {@code action} over every stripe with the admin lock and every stripe's lock held, so that
   * no thread leases, releases, bills or retires meanwhile; it is also given the sum of the
   * counters of every stripe, live and retired. The owners' operations wait (spinning) until it
   * returns: keep it short.
   */
  @SuppressWarnings("GuardedBy") // every stripe is locked in the loop, which Error Prone can't see
  <T> T withEveryStripeLocked(Function<Everything, T> action) {
    admin.lock();
    try {
      Stripe[] all = stripes;
      for (Stripe s : all) {
        s.lockAdmin();
      }
      try {
        PoolCounters sum = new PoolCounters();
        retired.addTo(sum);
        for (Stripe s : all) {
          s.counters.addTo(sum);
        }
        return action.apply(new Everything(all, sum));
      } finally {
        for (Stripe s : all) {
          s.unlock();
        }
      }
    } finally {
      admin.unlock();
    }
  }

  /** What {@link #withEveryStripeLocked} hands its action. */
  static final class Everything {
    /** Every stripe, each locked. */
    final Stripe[] stripes;

    /** The sum of the counters of every stripe, live and retired. */
    final PoolCounters counters;

    Everything(Stripe[] stripes, PoolCounters counters) {
      this.stripes = stripes;
      this.counters = counters;
    }
  }

  /**
   * Runs {@code action} over the current stripes with the admin lock held (no stripe locked: the
   * action locks them one at a time), so that none is registered or retired meanwhile.
   */
  <T> T withStripes(Function<Stripe[], T> action) {
    admin.lock();
    try {
      return action.apply(stripes);
    } finally {
      admin.unlock();
    }
  }

  /** Folds a dead thread's stripe into the pool: its slabs, counters and tenant cells. */
  private void retire(Stripe s) {
    admin.lock();
    try {
      if (s.retired) {
        return;
      }
      s.lockAdmin();
      try {
        s.counters.addTo(retired);
        cache.drain(s);
        ledger.retire(s);
        s.retired = true;
      } finally {
        s.unlock();
      }
      stripes = Arrays.stream(stripes).filter(other -> other != s).toArray(Stripe[]::new);
      live.remove(s);
      freeIndexes.add(s.index);
    } finally {
      admin.unlock();
    }
  }

  /** Retires the stripe of a thread that ended (its Cleaner action; holds the registry weakly). */
  private static final class Retirer implements Runnable {
    private final WeakReference<StripeRegistry> registry;
    private final Stripe stripe;

    Retirer(WeakReference<StripeRegistry> registry, Stripe stripe) {
      this.registry = registry;
      this.stripe = stripe;
    }

    @Override
    public void run() {
      StripeRegistry r = registry.get();
      if (r != null) {
        r.retire(stripe);
      }
    }
  }

  /**
   * Runs when a pool became unreachable without {@code close()}: drops the slabs its threads'
   * magazines still hold and ends the stripes' thread registrations. Holds the stripes, never the
   * registry or the pool. Found by the reliability work: 300 pools dropped on one thread kept 300
   * MiB of direct memory for as long as the thread lived.
   */
  private static final class Reclaimer implements Runnable {
    private final Set<Stripe> stripes;

    Reclaimer(Set<Stripe> stripes) {
      this.stripes = stripes;
    }

    @Override
    public void run() {
      for (Stripe s : stripes) {
        s.lockAdmin();
        try {
          s.magazines.clear(); // dropped: the garbage collector frees the memory
        } finally {
          s.unlock();
        }
        if (s.threadCleanable != null) {
          s.threadCleanable.clean();
        }
      }
      stripes.clear();
    }
  }
}
