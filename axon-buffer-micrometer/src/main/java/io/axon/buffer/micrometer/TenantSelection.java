package io.axon.buffer.micrometer;

import io.axon.buffer.PoolSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Decides which tenants of a pool get series of their own and computes the figures of every row: at
 * most {@code cap} tenants have their own {@code tenant} tag value; the others are summed into one
 * row tagged {@link BufferPoolMetrics#OTHER_TENANTS}. Works on snapshots only: it registers no
 * meter ({@link TenantMeters} does, from {@link #rows()}).
 *
 * <p>The rule, first come, first served, and sticky:
 *
 * <ul>
 *   <li>A tenant is <em>present</em> while the snapshot names it in any per-tenant figure (live or
 *       borrowed bytes, soft-limit or hard-limit counts).
 *   <li>A tenant that has a row keeps it until it is no longer present (the pool evicted it, or it
 *       holds nothing and has no counts), so its series never move and its counters never jump.
 *   <li>Free places go to new tenants, largest first (live plus borrowed bytes), then by name: the
 *       choice is deterministic for a given sequence of snapshots.
 *   <li>The rest, and a real tenant whose name is {@link BufferPoolMetrics#OTHER_TENANTS}, are
 *       aggregated. The aggregate's bytes are the sum of theirs at this snapshot; its counters add
 *       up how much each aggregated tenant's counts grew since the previous snapshot (a tenant seen
 *       for the first time adds all of its count; a count that went down, because the pool forgot
 *       and re-admitted the tenant, adds its new value), so the aggregate's counters never go down
 *       while tenants move in and out of it.
 *   <li>The aggregate row is always there, at 0 while nobody is aggregated, so its series exists
 *       from the first scrape (an alert on it needs no special case) and its counters never reset.
 * </ul>
 *
 * Why not the top N by live bytes at each scrape: tenants would swap places at every scrape, their
 * series would flap, and the aggregate's counters would go up and down with its membership, which
 * Prometheus reads as counter resets.
 *
 * <p>Cost: one pass over the snapshot's tenants per snapshot, and one small entry per aggregated
 * tenant (its last counts), so memory follows the pool's own tenant records.
 *
 * <p>Threading: {@link #update} and the readers are synchronized; rows' figures are volatile.
 */
final class TenantSelection {

  private final int cap;
  private final Map<String, TenantRow> own = new LinkedHashMap<>();
  private final Map<String, long[]> aggregatedCounts = new HashMap<>();
  private final TenantRow other = new TenantRow(BufferPoolMetrics.OTHER_TENANTS);
  private int aggregated;

  /**
   * @param cap how many tenants get a row of their own, {@code >= 0}
   */
  TenantSelection(int cap) {
    this.cap = cap;
  }

  /** Brings the rows and their figures up to {@code s}. */
  synchronized void update(PoolSnapshot s) {
    SortedSet<String> present = new TreeSet<>();
    present.addAll(s.liveBytesByTenant().keySet());
    present.addAll(s.borrowedBytesByTenant().keySet());
    present.addAll(s.softLimitExceeded().keySet());
    present.addAll(s.hardLimitRefusals().keySet());

    own.keySet().retainAll(present);

    List<String> rest = new ArrayList<>();
    for (String tenant : present) {
      if (!own.containsKey(tenant)) {
        rest.add(tenant);
      }
    }
    // Largest first, then by name (the list is already in name order and the sort is stable).
    rest.sort(Comparator.comparingLong((String t) -> bytes(s, t)).reversed());
    List<String> aggregatedNow = new ArrayList<>();
    for (String tenant : rest) {
      if (own.size() < cap && !tenant.equals(BufferPoolMetrics.OTHER_TENANTS)) {
        own.put(tenant, new TenantRow(tenant));
      } else {
        aggregatedNow.add(tenant);
      }
    }

    for (TenantRow row : own.values()) {
      row.liveBytes = s.liveBytesByTenant().getOrDefault(row.tag, 0L);
      row.borrowedBytes = s.borrowedBytesByTenant().getOrDefault(row.tag, 0L);
      row.softLimitExceeded = s.softLimitExceeded().getOrDefault(row.tag, 0L);
      row.hardLimitRefusals = s.hardLimitRefusals().getOrDefault(row.tag, 0L);
    }
    aggregate(s, aggregatedNow);
  }

  private void aggregate(PoolSnapshot s, List<String> tenants) {
    aggregated = tenants.size();
    aggregatedCounts.keySet().retainAll(tenants);
    long live = 0;
    long borrowed = 0;
    long soft = other.softLimitExceeded;
    long hard = other.hardLimitRefusals;
    for (String tenant : tenants) {
      live += s.liveBytesByTenant().getOrDefault(tenant, 0L);
      borrowed += s.borrowedBytesByTenant().getOrDefault(tenant, 0L);
      long softNow = s.softLimitExceeded().getOrDefault(tenant, 0L);
      long hardNow = s.hardLimitRefusals().getOrDefault(tenant, 0L);
      long[] before = aggregatedCounts.get(tenant);
      if (before == null) {
        soft += softNow;
        hard += hardNow;
        aggregatedCounts.put(tenant, new long[] {softNow, hardNow});
      } else {
        soft += growth(before[0], softNow);
        hard += growth(before[1], hardNow);
        before[0] = softNow;
        before[1] = hardNow;
      }
    }
    other.liveBytes = live;
    other.borrowedBytes = borrowed;
    other.softLimitExceeded = soft;
    other.hardLimitRefusals = hard;
  }

  /** How much a count grew; a count that went down was reset, so all of it is new. */
  private static long growth(long before, long now) {
    return now >= before ? now - before : now;
  }

  private static long bytes(PoolSnapshot s, String tenant) {
    return s.liveBytesByTenant().getOrDefault(tenant, 0L)
        + s.borrowedBytesByTenant().getOrDefault(tenant, 0L);
  }

  /** The current rows: the tenants with their own, in the order they got it, then the aggregate. */
  synchronized List<TenantRow> rows() {
    List<TenantRow> rows = new ArrayList<>(own.size() + 1);
    rows.addAll(own.values());
    rows.add(other);
    return rows;
  }

  /** How many tenants the aggregate row holds at the last snapshot. */
  synchronized int aggregated() {
    return aggregated;
  }
}
