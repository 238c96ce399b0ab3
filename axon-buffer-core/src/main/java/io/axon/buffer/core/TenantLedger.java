package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TooManyTenantsException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The tenants of one pool and what each may hold: the tenant records ({@link Tenant}, which bills
 * and holds the lease/exact algorithm), their soft and hard limits, the rule for names, and
 * admission: at most {@code maxTenants} records at once, a record created (a slot taken) only when
 * memory is first billed to its tenant, and given back once the tenant held nothing and did nothing
 * for the idle timeout.
 *
 * <p>What it does not do: it allocates nothing and never sees memory, only byte counts; it does not
 * lock stripes for pool-wide looks ({@link StripeRegistry} does, then calls {@link #evictIdle} and
 * {@link #describe}); it does not decide when to look for idle tenants (the pool does: at each
 * snapshot, and when admission finds no free slot).
 *
 * <p>Threading: thread-safe. Admission is lock-free (a concurrent map and an atomic slot count);
 * {@link #bill} and {@link #unbill} run under the lock of the billing thread's stripe; a tenant's
 * switch to exact mode holds {@link #revocation} and then one stripe at a time, never with a stripe
 * of its own held (the billing thread lets go of its stripe first).
 */
final class TenantLedger {

  /** {@code maxTenants} meaning no cap. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  /** {@code idleTimeoutNanos} meaning tenants are never evicted. */
  static final long NEVER = Long.MAX_VALUE;

  /** Pressure sweeps (admission finding no slot) run at most this often. */
  private static final long MAX_SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  private final long defaultSoftLimit;
  private final long defaultHardLimit;
  private final Map<String, Long> softLimits;
  private final Map<String, Long> hardLimits;
  private final int maxTenants;
  private final long idleTimeoutNanos;
  private final LongSupplier clock;

  private final ConcurrentHashMap<String, Tenant> tenants = new ConcurrentHashMap<>();
  private final AtomicInteger slots = new AtomicInteger();
  private final AtomicLong admissionRefusals = new AtomicLong();
  private final AtomicLong lastPressureSweep;

  /** One tenant switches to exact mode at a time. */
  private final ReentrantLock revocation = new ReentrantLock();

  /**
   * @param softLimits per-tenant soft limits (others get {@code defaultSoftLimit})
   * @param hardLimits per-tenant hard limits (others get {@code defaultHardLimit}; {@link
   *     Long#MAX_VALUE} is none)
   * @param maxTenants records held at once, or {@link #UNLIMITED}
   * @param idleTimeoutNanos how long a tenant holding nothing stays idle before its record is
   *     dropped, or {@link #NEVER}
   * @param clock a nanosecond clock ({@code System::nanoTime}; tests pass their own)
   */
  TenantLedger(
      long defaultSoftLimit,
      long defaultHardLimit,
      Map<String, Long> softLimits,
      Map<String, Long> hardLimits,
      int maxTenants,
      long idleTimeoutNanos,
      LongSupplier clock) {
    this.defaultSoftLimit = defaultSoftLimit;
    this.defaultHardLimit = defaultHardLimit;
    this.softLimits = Map.copyOf(softLimits);
    this.hardLimits = Map.copyOf(hardLimits);
    this.maxTenants = maxTenants;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.clock = clock;
    this.lastPressureSweep = new AtomicLong(clock.getAsLong() - MAX_SWEEP_INTERVAL_NANOS);
  }

  /**
   * Checks a tenant name: 1 to 128 printable ASCII characters (U+0020 to U+007E).
   *
   * @throws IllegalArgumentException quoting the name and the offending character or length
   * @throws NullPointerException if {@code name} is null
   */
  static void checkName(String name) {
    if (name.isEmpty() || name.length() > 128) {
      throw new IllegalArgumentException(
          "tenant name must be 1-128 printable ASCII characters, was \""
              + name
              + "\" ("
              + name.length()
              + " characters)");
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch < 0x20 || ch > 0x7e) {
        throw new IllegalArgumentException(
            "tenant name must be 1-128 printable ASCII characters, was \""
                + name
                + "\" (character "
                + i
                + " is U+"
                + String.format("%04X", (int) ch)
                + ")");
      }
    }
  }

  // =================================================================== admission

  /**
   * The record of tenant {@code name}, created if it has none and a slot is free.
   *
   * @return the record (possibly being evicted at this very moment: {@link #bill} tells), or null
   *     if the tenant has no record and every slot is taken
   * @throws IllegalArgumentException if the name is not valid
   */
  Tenant admit(String name) {
    Tenant t = tenants.get(name);
    if (t != null) {
      if (!t.isEvicted()) {
        return t;
      }
      tenants.remove(name, t); // evicted, its slot already given back: help the sweep drop it
    }
    checkName(name);
    for (; ; ) {
      int n = slots.get();
      if (n >= maxTenants) {
        return tenants.get(name); // created by another thread meanwhile, or null
      }
      if (slots.compareAndSet(n, n + 1)) {
        break;
      }
    }
    Tenant created =
        new Tenant(
            name,
            softLimits.getOrDefault(name, defaultSoftLimit),
            hardLimits.getOrDefault(name, defaultHardLimit),
            clock.getAsLong());
    Tenant existing = tenants.putIfAbsent(name, created);
    if (existing != null) {
      slots.decrementAndGet();
      return existing;
    }
    return created;
  }

  /** Counts a refused admission and describes it. */
  TooManyTenantsException refuse(String name) {
    admissionRefusals.incrementAndGet();
    return new TooManyTenantsException(name, maxTenants);
  }

  /**
   * True if {@code name} has no live record and every slot is taken (admitting it needs a sweep).
   */
  boolean isFullFor(String name) {
    Tenant t = tenants.get(name);
    return (t == null || t.isEvicted()) && slots.get() >= maxTenants;
  }

  /**
   * True if a sweep for idle tenants may free a slot now: eviction is on, and the last sweep made
   * for admission is at least {@code min(idle timeout, 1 s)} old (so that a stream of refused
   * tenants does not stop the pool's threads at each refusal).
   */
  boolean mayRelievePressure() {
    if (idleTimeoutNanos == NEVER) {
      return false;
    }
    long now = clock.getAsLong();
    if (now - lastPressureSweep.get() < Math.min(idleTimeoutNanos, MAX_SWEEP_INTERVAL_NANOS)) {
      return false;
    }
    // Threads under pressure at the same instant may each sweep once (sweeps wait for each other
    // on the registry's admin lock); none is refused because another one got to sweep first.
    lastPressureSweep.set(now);
    return true;
  }

  /**
   * Whether billing {@code bytes} to {@code name} now would be refused by its hard limit or by
   * admission; bills nothing, counts nothing. A tenant in lease mode near its hard limit is
   * switched to exact mode first, so that the answer is exact at this instant. No stripe lock may
   * be held.
   */
  boolean wouldAdmit(String name, long bytes) {
    Tenant t = tenants.get(name);
    if (t == null || t.isEvicted()) {
      checkName(name);
      return bytes <= hardLimits.getOrDefault(name, defaultHardLimit) && slots.get() < maxTenants;
    }
    if (t.fits(bytes)) {
      return true;
    }
    if (t.isExact()) {
      return false;
    }
    revoke(t);
    return t.fits(bytes);
  }

  // =================================================================== billing

  /**
   * Bills {@code bytes} (pooled, or {@code borrowed}) to {@code t} in stripe {@code s}, switching
   * the tenant to exact mode when its budgets run out near a limit; for that it lets go of {@code
   * s}'s lock and takes it again (other threads may use the stripe meanwhile: the caller must not
   * rely on what it read under the lock before this call).
   *
   * @return true once billed; false if {@code t} was evicted (nothing billed: admit again)
   * @throws io.axon.buffer.TenantLimitExceededException if the hard limit refuses (nothing billed)
   */
  @GuardedBy("s")
  boolean bill(Stripe s, Tenant t, long bytes, boolean borrowed) {
    for (; ; ) {
      int r = t.bill(s, bytes, borrowed);
      if (r != Tenant.NEED_EXACT) {
        return r == Tenant.BILLED;
      }
      s.unlock(); // never wait for the revocation lock while holding a stripe
      try {
        revoke(t);
      } finally {
        s.lock();
      }
    }
  }

  /** Unbills {@code bytes} billed to {@code t} before, in stripe {@code s}. */
  @GuardedBy("s")
  void unbill(Stripe s, Tenant t, long bytes, boolean borrowed) {
    t.unbill(s, bytes, borrowed);
  }

  private void revoke(Tenant t) {
    revocation.lock();
    try {
      t.revokeBudgets();
    } finally {
      revocation.unlock();
    }
  }

  // =================================================================== pool-wide (stripes locked)

  /** Folds the cells of a retired stripe into their tenants (the registry holds its lock). */
  @GuardedBy("s")
  void retire(Stripe s) {
    for (TenantCell cell : s.cells) {
      cell.tenant.retire(cell);
    }
    s.cells.clear();
  }

  /**
   * Drops the records of tenants that held nothing and did nothing for the idle timeout (their
   * slots free, their figures gone from snapshots). Every stripe is locked by the caller, so that
   * no tenant is billed meanwhile.
   */
  void evictIdle() {
    if (idleTimeoutNanos == NEVER) {
      return;
    }
    long now = clock.getAsLong();
    for (Tenant t : tenants.values()) {
      if (t.idleFor(idleTimeoutNanos, now)) {
        // Marked first, so that a bill against it is turned back once the stripes are unlocked;
        // the slot freed before the record leaves the map, so that no admission in between is
        // refused for a slot that is already free (admit drops an evicted record it finds).
        t.evict();
        slots.decrementAndGet();
        tenants.remove(t.name, t);
      }
    }
  }

  /**
   * Writes the per-tenant figures into {@code b}. Every tenant holding a slot is listed in the live
   * bytes, at 0 when it holds nothing, so that a reader (a metrics binder) sees a tenant for
   * exactly as long as its slot lasts; the other maps list non-zero figures only. Every stripe is
   * locked by the caller.
   */
  void describe(PoolSnapshot.Builder b) {
    Map<String, Long> live = new HashMap<>();
    Map<String, Long> borrowed = new HashMap<>();
    Map<String, Long> soft = new HashMap<>();
    Map<String, Long> hard = new HashMap<>();
    for (Tenant t : tenants.values()) {
      live.put(t.name, t.liveBytes());
      putIfNotZero(borrowed, t.name, t.borrowedBytes());
      putIfNotZero(soft, t.name, t.softLimitExceeded());
      putIfNotZero(hard, t.name, t.hardLimitRefusals());
    }
    b.liveBytesByTenant(live)
        .borrowedBytesByTenant(borrowed)
        .softLimitExceeded(soft)
        .hardLimitRefusals(hard)
        .tenants(slots.get())
        .tenantAdmissionRefusals(admissionRefusals.get());
  }

  private static void putIfNotZero(Map<String, Long> map, String key, long value) {
    if (value != 0) {
      map.put(key, value);
    }
  }

  /** The record of {@code name}, or null: for tests and diagnostics (never admits). */
  Tenant find(String name) {
    return tenants.get(name);
  }
}
