package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.TenantLimitExceededException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The accounting of one tenant of one pool: its limits, the bytes billed to it (pooled and
 * borrowed), and the algorithm that bills it without one contended counter.
 *
 * <h2>How billing avoids one contended counter</h2>
 *
 * {@code granted} is the tenant-wide total: its live and borrowed bytes plus the budgets threads
 * have leased from it. Far from its limits a tenant is in <em>lease mode</em>: a thread takes a
 * budget of {@value #LEASE_CHUNK} bytes or more from {@code granted} in one atomic step, then bills
 * and unbills against that budget in its own {@link TenantCell}, under its own stripe's lock, with
 * no shared write at all (a cell keeps at most {@value #MAX_CELL_BUDGET} bytes of budget and gives
 * back the rest). Since {@code granted} never passes {@code min(soft, hard)} in lease mode, the
 * billed bytes cannot pass either limit.
 *
 * <p>When a budget can no longer be leased without passing {@code min(soft, hard)}, the tenant
 * switches to <em>exact mode</em>: every thread's unused budget is revoked (each stripe locked in
 * turn) so that {@code granted} equals the billed bytes, and from then on every bill and unbill
 * changes {@code granted} directly. Hard limits are checked and soft limits counted exactly there.
 * A tenant whose smaller limit is under {@value #LEASE_MODE_MIN_LIMIT} bytes is always exact; one
 * that falls back to a quarter of its smaller limit returns to lease mode.
 *
 * <p>What it does not do: it allocates nothing and knows no slab (it works on byte counts only),
 * and it does not decide whether it may exist: admission and eviction are {@link TenantLedger}'s,
 * which marks an evicted record so that a bill against it is turned back.
 *
 * <p>Threading: {@link #bill} and {@link #unbill} run under the lock of the billing thread's
 * stripe; {@link #revokeBudgets} under the ledger's revocation lock, holding one stripe at a time;
 * figures over every cell ({@link #liveBytes}, {@link #idleFor}, ...) are exact only while every
 * stripe is locked. The cells array is copy-on-write under this object's monitor, which is also the
 * guard of the figures kept for retired stripes and of the idle clock: the innermost lock of the
 * pool.
 */
final class Tenant {

  /** Budget leased per step in lease mode. */
  static final long LEASE_CHUNK = 256 * 1024;

  /** Budget a cell keeps at most; the rest goes back to {@code granted}. */
  static final long MAX_CELL_BUDGET = 2L << 20;

  /** Tenants whose smaller limit is below this are always billed exactly. */
  static final long LEASE_MODE_MIN_LIMIT = 16L << 20;

  /** {@link #bill} outcomes. */
  static final int BILLED = 0;

  static final int NEED_EXACT = 1;
  static final int EVICTED = 2;

  final String name;
  final Optional<String> optionalName;
  final long softLimit;
  final long hardLimit;
  private final long leaseLimit;

  /** Billed bytes plus leased budgets (budgets are 0 in exact mode once revocation is over). */
  private final AtomicLong granted = new AtomicLong();

  private volatile boolean exact;
  private volatile boolean revoking;
  private volatile boolean evicted;

  private final AtomicLong softLimitExceeded = new AtomicLong();
  private final AtomicLong hardLimitRefusals = new AtomicLong();

  /** Cells by stripe index; copy-on-write under this object's monitor. */
  private volatile TenantCell[] cells = new TenantCell[0];

  // What the cells of retired stripes held and did.
  @GuardedBy("this")
  private long retiredLive;

  @GuardedBy("this")
  private long retiredBorrowed;

  @GuardedBy("this")
  private long retiredOperations;

  // The idle clock: the operations counted at the last look, and when they last changed.
  @GuardedBy("this")
  private long lastOperations;

  @GuardedBy("this")
  private long idleSince;

  /**
   * @param now the ledger's clock (nanoseconds) when the record is created: it is idle from then
   *     until it is billed
   */
  Tenant(String name, long softLimit, long hardLimit, long now) {
    this.name = name;
    this.optionalName = Optional.of(name);
    this.softLimit = softLimit;
    this.hardLimit = hardLimit;
    this.leaseLimit = Math.min(softLimit, hardLimit);
    this.exact = leaseLimit < LEASE_MODE_MIN_LIMIT;
    this.idleSince = now;
  }

  // =================================================================== billing

  /**
   * Bills {@code bytes} (pooled, or {@code borrowed}) to this tenant in stripe {@code s}.
   *
   * @return {@link #BILLED}; {@link #NEED_EXACT} if the tenant must switch to exact mode first
   *     (call {@link #revokeBudgets} with no stripe lock held, then again); {@link #EVICTED} if the
   *     ledger dropped this record (bill the tenant's new record instead). Nothing is billed unless
   *     it returns {@link #BILLED}.
   * @throws TenantLimitExceededException if the hard limit refuses (counted; nothing billed)
   */
  @GuardedBy("s")
  @SuppressWarnings("GuardedBy") // cellOf(s) is the cell whose stripe is s, which the caller holds
  int bill(Stripe s, long bytes, boolean borrowed) {
    if (evicted) {
      return EVICTED;
    }
    TenantCell cell = cellOf(s);
    if (!exact) {
      long budget = cell.budget();
      if (budget >= bytes) {
        cell.setBudget(budget - bytes);
        cell.add(bytes, borrowed);
        return BILLED;
      }
      long need = Math.max(bytes, LEASE_CHUNK) - budget;
      for (; ; ) {
        long g = granted.get();
        if (g + need > leaseLimit) {
          return NEED_EXACT;
        }
        if (granted.compareAndSet(g, g + need)) {
          cell.setBudget(budget + need - bytes);
          cell.add(bytes, borrowed);
          return BILLED;
        }
      }
    }
    if (revoking) {
      return NEED_EXACT;
    }
    for (; ; ) {
      long g = granted.get();
      if (g > hardLimit - bytes) {
        hardLimitRefusals.incrementAndGet();
        throw new TenantLimitExceededException(name, hardLimit, g, bytes);
      }
      if (granted.compareAndSet(g, g + bytes)) {
        cell.add(bytes, borrowed);
        if (g + bytes > softLimit) {
          softLimitExceeded.incrementAndGet();
        }
        if (g + bytes <= leaseLimit / 4 && leaseLimit >= LEASE_MODE_MIN_LIMIT) {
          exact = false;
        }
        return BILLED;
      }
    }
  }

  /** Unbills {@code bytes} (pooled, or {@code borrowed}) billed before, in stripe {@code s}. */
  @GuardedBy("s")
  @SuppressWarnings("GuardedBy") // cellOf(s) is the cell whose stripe is s, which the caller holds
  void unbill(Stripe s, long bytes, boolean borrowed) {
    TenantCell cell = cellOf(s);
    cell.remove(bytes, borrowed);
    if (exact) {
      granted.addAndGet(-bytes);
      return;
    }
    long budget = cell.budget() + bytes;
    if (budget > MAX_CELL_BUDGET) {
      granted.addAndGet(-(budget - LEASE_CHUNK));
      budget = LEASE_CHUNK;
    }
    cell.setBudget(budget);
  }

  /**
   * Switches to exact mode, revoking every thread's unused budget, one stripe at a time. The caller
   * holds the ledger's revocation lock (one revocation at a time) and no stripe lock.
   */
  void revokeBudgets() {
    if (exact && !revoking) {
      return;
    }
    revoking = true;
    exact = true;
    try {
      for (TenantCell cell : cells) {
        if (cell == null) {
          continue;
        }
        cell.stripe.lockAdmin();
        try {
          long budget = cell.takeBudget();
          if (budget != 0) {
            granted.addAndGet(-budget);
          }
        } finally {
          cell.stripe.unlock();
        }
      }
    } finally {
      revoking = false;
    }
  }

  /**
   * Whether {@code bytes} more would pass the hard limit now, judged from {@code granted}: exact in
   * exact mode; in lease mode unused budgets count too, so a false answer may be revised by {@link
   * #revokeBudgets}.
   */
  boolean fits(long bytes) {
    return granted.get() <= hardLimit - bytes;
  }

  boolean isExact() {
    return exact;
  }

  /** Billed bytes plus leased budgets: for tests and diagnostics. */
  long granted() {
    return granted.get();
  }

  boolean isEvicted() {
    return evicted;
  }

  /** The length of the cells array (one slot per stripe index ever used): for tests. */
  int cellSlots() {
    return cells.length;
  }

  // =================================================================== cells

  /** This tenant's cell in stripe {@code s} (created on first use). */
  @GuardedBy("s")
  private TenantCell cellOf(Stripe s) {
    TenantCell[] a = cells;
    int i = s.index;
    if (i < a.length) {
      TenantCell c = a[i];
      if (c != null) {
        return c;
      }
    }
    return createCell(s);
  }

  @GuardedBy("s")
  private synchronized TenantCell createCell(Stripe s) {
    TenantCell[] a = cells;
    int i = s.index;
    if (i < a.length && a[i] != null) {
      return a[i];
    }
    // A retired stripe's index is reused by the next thread: its slot is already there. (Doubling
    // here whenever a slot was null grew the array exponentially with thread churn.)
    TenantCell[] grown = i < a.length ? a.clone() : Arrays.copyOf(a, Math.max(i + 1, a.length * 2));
    TenantCell c = new TenantCell(this, s);
    grown[i] = c;
    cells = grown;
    s.cells.add(c);
    return c;
  }

  /**
   * Folds the cell of a retired stripe into this tenant: its figures are kept, its budget goes back
   * to {@code granted}, its slot is freed. The registry holds that stripe's lock.
   */
  @SuppressWarnings("GuardedBy") // cell.stripe is the retired stripe, which the caller holds
  void retire(TenantCell cell) {
    synchronized (this) {
      retiredLive += cell.live();
      retiredBorrowed += cell.borrowed();
      retiredOperations += cell.operations();
      TenantCell[] a = cells;
      int i = cell.stripe.index;
      if (i < a.length && a[i] == cell) {
        TenantCell[] copy = a.clone();
        copy[i] = null;
        cells = copy;
      }
    }
    long budget = cell.takeBudget();
    if (budget != 0) {
      granted.addAndGet(-budget);
    }
  }

  // =================================================================== figures (every stripe
  // locked)

  /** Pooled bytes billed now. Exact while every stripe is locked. */
  long liveBytes() {
    return billedBytes(false);
  }

  /** Borrowed bytes billed now. Exact while every stripe is locked. */
  long borrowedBytes() {
    return billedBytes(true);
  }

  @SuppressWarnings("GuardedBy") // every stripe is locked by the caller
  private synchronized long billedBytes(boolean borrowed) {
    long sum = borrowed ? retiredBorrowed : retiredLive;
    for (TenantCell c : cells) {
      if (c != null) {
        sum += borrowed ? c.borrowed() : c.live();
      }
    }
    return sum;
  }

  long softLimitExceeded() {
    return softLimitExceeded.get();
  }

  long hardLimitRefusals() {
    return hardLimitRefusals.get();
  }

  /**
   * Whether this tenant has held nothing and done nothing for at least {@code timeout} nanoseconds,
   * as far as the looks of this method tell: it is active if it holds bytes or billed or unbilled
   * anything since the last look, and idle since the look that last saw it active (or since it was
   * created). Never true before the tenant has really been idle that long. Every stripe is locked
   * by the caller.
   */
  @SuppressWarnings("GuardedBy") // every stripe is locked by the caller
  synchronized boolean idleFor(long timeout, long now) {
    long held = retiredLive + retiredBorrowed;
    long ops = retiredOperations;
    for (TenantCell c : cells) {
      if (c != null) {
        held += c.live() + c.borrowed();
        ops += c.operations();
      }
    }
    if (held != 0 || ops != lastOperations) {
      lastOperations = ops;
      idleSince = now;
      return false;
    }
    return now - idleSince >= timeout;
  }

  /**
   * Marks this record evicted (a bill against it is turned back from now on) and removes its cells
   * from their stripes. The ledger removed it from its map; every stripe is locked by the caller.
   */
  @SuppressWarnings("GuardedBy") // every stripe is locked by the caller
  void evict() {
    evicted = true;
    for (TenantCell c : cells) {
      if (c != null) {
        c.stripe.cells.remove(c);
      }
    }
  }

  @Override
  public String toString() {
    return "tenant \"" + name + "\"";
  }
}
