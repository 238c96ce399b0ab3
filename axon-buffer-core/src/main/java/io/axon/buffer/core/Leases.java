package io.axon.buffer.core;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.Optional;

/**
 * How a pool's jobs make a lease and undo it: an acquisition bills the tenant ({@link
 * TenantLedger}) and takes a slab ({@link SlabCache}) under the calling thread's stripe lock
 * ({@link StripeRegistry}), allocating from the system outside it on a miss; the builder is then
 * watched by the safety net ({@link LeakDetector}). A release unbills and returns the slab in one
 * stripe section; a growth leases the larger slab before it releases the smaller; a reclaimed leak
 * is released like any storage; adopted memory is billed as borrowed bytes.
 *
 * <p>What it does not do: it checks no argument and no pool state (the facade does before calling),
 * and owns no state of its own besides the jobs it composes.
 *
 * <p>Threading: thread-safe; every method takes the stripe lock of the thread that calls it (or, on
 * release, of the thread that leased, when it is that same thread), and holds no lock while it
 * allocates memory or while the tenant switches to exact billing.
 */
final class Leases {

  private final SlabBufferPool pool;
  private final SlabCache cache;
  private final TenantLedger ledger;
  private final StripeRegistry stripes;
  private final LeakDetector leaks;

  Leases(
      SlabBufferPool pool,
      SlabCache cache,
      TenantLedger ledger,
      StripeRegistry stripes,
      LeakDetector leaks) {
    this.pool = pool;
    this.cache = cache;
    this.ledger = ledger;
    this.stripes = stripes;
    this.leaks = leaks;
  }

  /**
   * A builder able to hold {@code capacityHint} bytes, billed to {@code t} (or nobody); null if
   * {@code t} was evicted before it could be billed (nothing billed: admit the tenant again).
   */
  SlabBufferMut builder(int capacityHint, Tenant t) {
    PoolClass cls = PoolClass.forCapacity(capacityHint);
    int capacity = cls.isPooled() ? cls.slabBytes() : capacityHint;
    Stripe s = stripes.current();
    Slab slab = lease(s, cls, capacity, t);
    if (slab == null) {
      return null;
    }
    SlabBufferMut m = new SlabBufferMut(pool, t);
    assert slab.stampOwner(m);
    m.attach(slab, s);
    leaks.watch(this, m, s);
    return m;
  }

  /**
   * Bills {@code capacity} to {@code t} (unless null) and leases a slab of class {@code cls}. Null
   * if {@code t} was evicted before it could be billed; nothing is billed or counted if it throws.
   */
  private Slab lease(Stripe s, PoolClass cls, int capacity, Tenant t) {
    s.lock();
    try {
      if (t != null && !ledger.bill(s, t, capacity, false)) {
        return null;
      }
      Slab slab = cache.take(s, cls, capacity);
      if (slab != null) {
        return slab;
      }
    } finally {
      s.unlock();
    }
    try {
      return cache.allocate(s, cls, capacity);
    } catch (BufferAllocationException e) {
      s.lock();
      try {
        cache.undoMiss(s, cls, capacity);
        if (t != null) {
          ledger.unbill(s, t, capacity, false);
        }
      } finally {
        s.unlock();
      }
      throw e;
    }
  }

  /**
   * The record of tenant {@code name}, admitting it if it has none: when every slot is taken, idle
   * tenants are looked for first (at most once per {@code min(idle timeout, 1 s)}).
   *
   * @throws TooManyTenantsException if no slot is free (counted)
   */
  Tenant admit(String name) {
    Tenant t = ledger.admit(name);
    if (t == null && ledger.mayRelievePressure()) {
      evictIdleTenants();
      t = ledger.admit(name);
    }
    if (t == null) {
      throw ledger.refuse(name);
    }
    return t;
  }

  private void evictIdleTenants() {
    stripes.withEveryStripeLocked(
        all -> {
          ledger.evictIdle();
          return null;
        });
  }

  /**
   * The core of {@link SlabBufferPool#wouldAdmit}: looks for idle tenants first when the tenant has
   * no slot and none is free (as {@link #admit} would), then asks the ledger.
   */
  boolean wouldAdmit(String tenant, long bytes) {
    if (ledger.isFullFor(tenant) && ledger.mayRelievePressure()) {
      evictIdleTenants();
    }
    return ledger.wouldAdmit(tenant, bytes);
  }

  /** A copy of {@code src} in one builder billed to {@code tenant}, frozen (compact). */
  ZeroCopyBuffer compactCopy(ZeroCopyBuffer src, Tenant tenant) {
    SlabBufferMut copy = builder(src.length(), tenant);
    if (copy == null) {
      throw new IllegalStateException(tenant + " was evicted while it held memory");
    }
    try (copy) {
      copy.append(src);
      return copy.freeze(src.kind());
    }
  }

  /** Returns the memory of a storage whose last view closed, or of an aborted builder. */
  void release(SlabBufferMut m) {
    Leak leak = leaks.released(m);
    Slab slab = m.slab;
    assert slab.clearOwner(m);
    releaseSlab(slab, m.capacity, m.tenant, m.stripe, true);
    if (leak != null) {
      leak.cleanable.clean();
    }
  }

  /**
   * Unbills and returns a slab: to the releasing thread's magazine when {@code toMagazine} and it
   * has room, else the shared list, else the system.
   */
  private void releaseSlab(
      Slab slab, int capacity, Tenant tenant, Stripe owner, boolean toMagazine) {
    Stripe s =
        owner.threadId == Thread.currentThread().getId() && !owner.retired
            ? owner
            : stripes.current();
    s.lock();
    try {
      if (tenant != null) {
        ledger.unbill(s, tenant, capacity, false);
      }
      cache.put(s, slab, capacity, toMagazine);
    } finally {
      s.unlock();
    }
  }

  /** Moves a builder to a slab that holds {@code required} bytes (one copy). */
  void grow(SlabBufferMut m, int required) {
    PoolClass cls = PoolClass.forCapacity(required);
    int capacity;
    if (cls.isPooled()) {
      capacity = cls.slabBytes();
    } else {
      long grown = Math.max(required, (long) m.capacity + (m.capacity >> 1));
      capacity = (int) Math.min(SlabBufferPool.MAX_CAPACITY, grown);
    }
    Stripe s = stripes.current();
    Slab next = lease(s, cls, capacity, m.tenant);
    if (next == null) {
      throw new IllegalStateException(m.tenant + " was evicted while it held memory");
    }
    assert next.stampOwner(m);
    next.memory.put(0, m.memory, 0, m.length);
    Slab old = m.slab;
    int oldCapacity = m.capacity;
    Stripe oldStripe = m.stripe;
    m.attach(next, s);
    leaks.moved(this, m, s);
    assert old.clearOwner(m);
    releaseSlab(old, oldCapacity, m.tenant, oldStripe, true);
  }

  /** The Cleaner found a storage unreachable before its views were closed: report, release. */
  void reclaim(Leak leak) {
    leaks.report(leak);
    assert leak.slab.clearReclaimedOwner();
    // To the shared list: the Cleaner's thread never acquires, so its magazine would strand it.
    releaseSlab(leak.slab, leak.capacity, leak.tenant, leak.stripe, false);
  }

  /**
   * Bills {@code bytes} of adopted memory (a host's buffers taken over without a copy) as borrowed
   * bytes: to the tenant of {@code allocator}, or to nobody when it is null (the pool's own {@code
   * adopt}). Borrowed bytes count toward the tenant's limits and admission like pooled ones and are
   * reported apart ({@link PoolSnapshot#borrowedBytes()}). The adopted storage calls the returned
   * {@link Borrowing#returned()} exactly once, on any thread (after the pool's close too), when its
   * last view closed; if this throws, nothing was billed and the caller still owns the memory.
   *
   * @throws TenantLimitExceededException if the tenant's hard limit refuses
   * @throws TooManyTenantsException if the tenant has no slot and none is free
   */
  Borrowing borrowing(TenantAllocator allocator, long bytes) {
    Tenant record = billBorrowed(allocator, bytes);
    Optional<String> tenant = allocator == null ? Optional.empty() : allocator.tenant();
    return new Borrowing() {
      @Override
      Optional<String> tenant() {
        return tenant;
      }

      @Override
      ZeroCopyBuffer pooledCopy(ZeroCopyBuffer src, boolean billed) {
        return pool.isClosed() ? null : pool.compactCopy(src, billed ? record : null);
      }

      @Override
      void leaked(int capacity) {
        leaks.reportAdopted(capacity, tenant);
      }

      @Override
      void returned() {
        unbillBorrowed(record, bytes);
      }
    };
  }

  private Tenant billBorrowed(TenantAllocator allocator, long bytes) {
    Stripe s = stripes.current();
    for (; ; ) {
      Tenant t = allocator == null ? null : allocator.record();
      s.lock();
      try {
        if (t == null || ledger.bill(s, t, bytes, true)) {
          s.counters.borrowed(bytes);
          return t;
        }
      } finally {
        s.unlock();
      }
    }
  }

  private void unbillBorrowed(Tenant tenant, long bytes) {
    Stripe s = stripes.current();
    s.lock();
    try {
      if (tenant != null) {
        ledger.unbill(s, tenant, bytes, true);
      }
      s.counters.borrowed(-bytes);
    } finally {
      s.unlock();
    }
  }
}
