package io.axon.buffer;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable picture of a {@link BufferPool}'s counters, taken by {@link BufferPool#snapshot()}.
 * Everything an operator exports (see the {@code serve} command's {@code /metrics}).
 *
 * <p>Three byte counts are kept apart on purpose, because one number that mixes them misleads:
 *
 * <ul>
 *   <li><b>live</b> (leased): capacity of the memory held by open builders and views, what tenants
 *       are billed for;
 *   <li><b>retained</b>: free slabs kept in the pool's free lists for reuse, billed to nobody;
 *   <li><b>allocated</b>: memory currently obtained from the system, live plus retained.
 * </ul>
 *
 * @param direct whether the pool hands out direct memory
 * @param classes counters per size class (every {@link PoolClass} present)
 * @param liveBytes capacity of all memory currently leased
 * @param liveBytesByTenant live bytes per tenant (tenants with 0 live bytes may be absent); memory
 *     acquired without a tenant counts only in {@code liveBytes}
 * @param retainedBytes bytes of the free slabs kept for reuse
 * @param allocatedBytes bytes currently obtained from the system (live + retained)
 * @param totalAllocatedBytes bytes obtained from the system since the pool was created
 * @param oversizeAllocations allocations larger than {@link PoolClass#HUGE}, never pooled
 * @param softLimitExceeded per tenant, how many acquisitions left it above its soft limit (every
 *     acquisition made while above counts, not only the one that crossed)
 * @param hardLimitRefusals per tenant, how many acquisitions its hard limit refused
 * @param leaksReclaimed storages whose views became unreachable without {@code close()}, reclaimed
 *     by the safety net
 * @param leakedBytes capacity of those storages
 * @param pinnedUnusedBytes bytes of live storage that slices alone keep alive without showing them
 *     (a 100-byte slice keeping a 10 MiB slab): for each live storage whose open views' lengths add
 *     up to less than its content (every view of all of it was closed), its capacity minus that
 *     sum. Overlapping slices count twice and each view's length is rounded up to 1/65536 of the
 *     capacity, so this is a lower bound; a storage with an open view of all of its content counts
 *     0 (its unused tail is not "pinned"). Reduce it with {@link ZeroCopyBuffer#compact()}
 */
public record PoolSnapshot(
    boolean direct,
    Map<PoolClass, ClassStats> classes,
    long liveBytes,
    Map<String, Long> liveBytesByTenant,
    long retainedBytes,
    long allocatedBytes,
    long totalAllocatedBytes,
    long oversizeAllocations,
    Map<String, Long> softLimitExceeded,
    Map<String, Long> hardLimitRefusals,
    long leaksReclaimed,
    long leakedBytes,
    long pinnedUnusedBytes) {

  /** Copies the maps into immutable, sorted ones. */
  public PoolSnapshot {
    classes = Map.copyOf(new EnumMap<>(classes));
    liveBytesByTenant = sortedCopy(liveBytesByTenant);
    softLimitExceeded = sortedCopy(softLimitExceeded);
    hardLimitRefusals = sortedCopy(hardLimitRefusals);
  }

  private static Map<String, Long> sortedCopy(Map<String, Long> map) {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** The live bytes billed to {@code tenant} (0 if it holds none). */
  public long liveBytes(String tenant) {
    return liveBytesByTenant.getOrDefault(tenant, 0L);
  }

  /** The counters of one size class. */
  public ClassStats of(PoolClass poolClass) {
    return classes.get(poolClass);
  }

  /**
   * Counters of one size class.
   *
   * @param hits acquisitions served from the free list
   * @param misses acquisitions that had to allocate from the system
   * @param leasedSlabs slabs currently leased
   * @param leasedBytes bytes currently leased
   * @param retainedSlabs free slabs kept for reuse
   * @param retainedBytes bytes of those free slabs
   */
  public record ClassStats(
      long hits,
      long misses,
      long leasedSlabs,
      long leasedBytes,
      long retainedSlabs,
      long retainedBytes) {}
}
