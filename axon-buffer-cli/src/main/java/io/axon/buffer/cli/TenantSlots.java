package io.axon.buffer.cli;

import io.axon.buffer.TooManyTenantsException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The tenants {@code serve} bills at once, at most {@code maxTenants}. A tenant takes a slot when
 * an upload of it first stores body bytes ({@link #take}); a request refused before that (bad
 * header, over-limit announcement, no body) takes none. A tenant with no upload in progress and no
 * live bytes gives its slot back once idle for {@code idleNanos} ({@link #sweep}), so names
 * invented by a client cannot lock new tenants out for good; its {@code /metrics} series go with
 * it.
 *
 * <p>The pool will own admission (DECISIONS D2: {@code maxTenants}, {@code tenantIdleTimeout},
 * {@code wouldAdmit}); this class is serve's until then, with the same rules.
 *
 * <p>Threading: every method is safe from any thread (one lock; each call is a map operation).
 */
final class TenantSlots {

  private final int maxTenants;
  private final long idleNanos;
  private final Map<String, Slot> slots = new HashMap<>();

  private static final class Slot {
    int uploads;
    long idleSince;
  }

  TenantSlots(int maxTenants, long idleNanos) {
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants must be at least 1, was " + maxTenants);
    }
    this.maxTenants = maxTenants;
    this.idleNanos = idleNanos;
  }

  int maxTenants() {
    return maxTenants;
  }

  /**
   * True if {@code tenant} holds a slot or one is free: what a request is checked against early.
   */
  synchronized boolean wouldAdmit(String tenant) {
    return slots.containsKey(tenant) || slots.size() < maxTenants;
  }

  /**
   * Counts one more upload of {@code tenant} in progress, taking a slot if it has none.
   *
   * @throws TooManyTenantsException if it has none and {@code maxTenants} are taken
   */
  synchronized void take(String tenant) {
    Slot slot = slots.get(tenant);
    if (slot == null) {
      if (slots.size() >= maxTenants) {
        throw new TooManyTenantsException(tenant, maxTenants);
      }
      slot = new Slot();
      slots.put(tenant, slot);
    }
    slot.uploads++;
  }

  /** One upload of {@code tenant} ended (it {@link #take took} a slot before). */
  synchronized void done(String tenant, long nowNanos) {
    Slot slot = slots.get(tenant);
    if (slot != null && --slot.uploads == 0) {
      slot.idleSince = nowNanos;
    }
  }

  /**
   * Frees the slots of tenants with no upload in progress, no live bytes, idle for {@code
   * idleNanos} or more.
   *
   * @param liveBytes a tenant's live bytes in the pool now
   * @return how many slots were freed
   */
  synchronized int sweep(long nowNanos, ToLongFunction<String> liveBytes) {
    int before = slots.size();
    slots
        .entrySet()
        .removeIf(
            e ->
                e.getValue().uploads == 0
                    && nowNanos - e.getValue().idleSince >= idleNanos
                    && liveBytes.applyAsLong(e.getKey()) == 0);
    return before - slots.size();
  }

  /** The tenants holding a slot now, in name order. */
  synchronized Set<String> tenants() {
    return new TreeSet<>(slots.keySet());
  }
}
