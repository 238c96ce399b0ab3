package io.axon.buffer.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The accounting of one tenant of one pool.
 *
 * <h2>How billing avoids one contended counter</h2>
 *
 * {@link #granted} is the tenant-wide total: its live bytes plus the budgets threads have leased
 * from it. Far from its limits a tenant is in <em>lease mode</em>: a thread takes a budget of
 * {@link SlabBufferPool#LEASE_CHUNK} or more from {@code granted} in one atomic step, then bills
 * and unbills against that budget in its own {@link TenantCell}, under its own stripe lock, with no
 * shared write at all. Since {@code granted} never passes {@link #leaseLimit}, live bytes cannot
 * pass either limit in lease mode.
 *
 * <p>When a budget can no longer be leased without passing {@code min(soft, hard)}, the tenant
 * switches to <em>exact mode</em>: every thread's unused budget is revoked (each stripe locked in
 * turn) so that {@code granted} equals the live bytes, and from then on every acquisition and
 * release changes {@code granted} directly. Hard limits are checked and soft limits counted exactly
 * there. A tenant whose limits are small starts in exact mode; one that falls back below a quarter
 * of its limit returns to lease mode.
 */
final class Tenant {

  final String name;
  final Optional<String> optionalName;
  final long softLimit;
  final long hardLimit;
  final long leaseLimit;

  /** Live bytes plus leased budgets (budgets are 0 in exact mode once revocation is over). */
  final AtomicLong granted = new AtomicLong();

  volatile boolean exact;
  volatile boolean revoking;

  final AtomicLong softLimitExceeded = new AtomicLong();
  final AtomicLong hardLimitRefusals = new AtomicLong();

  /** Cells by stripe index; copy-on-write under this object's monitor. */
  volatile TenantCell[] cells = new TenantCell[0];

  /** Live bytes of cells whose threads ended (under the pool's admin lock). */
  long retiredLive;

  Tenant(String name, long softLimit, long hardLimit) {
    this.name = name;
    this.optionalName = Optional.of(name);
    this.softLimit = softLimit;
    this.hardLimit = hardLimit;
    this.leaseLimit = Math.min(softLimit, hardLimit);
    this.exact = leaseLimit < SlabBufferPool.LEASE_MODE_MIN_LIMIT;
  }

  /** This tenant's cell in stripe {@code s} (created on first use; caller holds s's lock). */
  TenantCell cellOf(Stripe s) {
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

  /** Removes the cell of a retired stripe (caller holds the pool's admin lock). */
  synchronized void removeCell(TenantCell c) {
    TenantCell[] a = cells;
    int i = c.stripe.index;
    if (i < a.length && a[i] == c) {
      TenantCell[] copy = a.clone();
      copy[i] = null;
      cells = copy;
    }
  }

  @Override
  public String toString() {
    return "tenant \"" + name + "\"";
  }
}
