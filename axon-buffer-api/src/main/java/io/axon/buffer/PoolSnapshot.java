package io.axon.buffer;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable picture of a {@link BufferPool}'s counters, taken by {@link BufferPool#snapshot()}.
 * Everything an operator exports (see the {@code serve} command's {@code /metrics}).
 *
 * <p>Three byte counts of pooled memory are kept apart on purpose, because one number that mixes
 * them misleads:
 *
 * <ul>
 *   <li><b>live</b> (leased): capacity of the pooled memory held by open builders and views, what
 *       tenants are billed for;
 *   <li><b>retained</b>: free slabs kept in the pool's free lists for reuse, billed to nobody;
 *   <li><b>allocated</b>: memory currently obtained from the system, live plus retained.
 * </ul>
 *
 * A fourth, <b>borrowed</b>, is memory the pool did not allocate (a host's buffer adopted without a
 * copy): billed to its tenant and counted against the tenant's limits like live bytes, but neither
 * live, retained nor allocated.
 *
 * <p>Per-tenant figures are {@link SortedMap}s in tenant name order, per-class figures are in
 * {@link PoolClass} order; all are unmodifiable. New figures are added as new accessors, so code
 * written against this class keeps compiling. Instances are built by pool implementations through
 * {@link #builder()}; equal snapshots have equal figures.
 */
public final class PoolSnapshot {

  private final boolean direct;
  private final Map<PoolClass, ClassStats> classes;
  private final long liveBytes;
  private final SortedMap<String, Long> liveBytesByTenant;
  private final long borrowedBytes;
  private final SortedMap<String, Long> borrowedBytesByTenant;
  private final long retainedBytes;
  private final long allocatedBytes;
  private final long totalAllocatedBytes;
  private final long oversizeAllocations;
  private final SortedMap<String, Long> softLimitExceeded;
  private final SortedMap<String, Long> hardLimitRefusals;
  private final int tenants;
  private final long tenantAdmissionRefusals;
  private final long leaksReclaimed;
  private final long leakedBytes;
  private final long pinnedUnusedBytes;

  private PoolSnapshot(Builder b) {
    Map<PoolClass, ClassStats> c = new EnumMap<>(PoolClass.class);
    for (PoolClass pc : PoolClass.values()) {
      c.put(pc, b.classes.getOrDefault(pc, ClassStats.EMPTY));
    }
    this.direct = b.direct;
    this.classes = Collections.unmodifiableMap(c);
    this.liveBytes = b.liveBytes;
    this.liveBytesByTenant = sortedCopy(b.liveBytesByTenant);
    this.borrowedBytes = b.borrowedBytes;
    this.borrowedBytesByTenant = sortedCopy(b.borrowedBytesByTenant);
    this.retainedBytes = b.retainedBytes;
    this.allocatedBytes = b.allocatedBytes;
    this.totalAllocatedBytes = b.totalAllocatedBytes;
    this.oversizeAllocations = b.oversizeAllocations;
    this.softLimitExceeded = sortedCopy(b.softLimitExceeded);
    this.hardLimitRefusals = sortedCopy(b.hardLimitRefusals);
    this.tenants = b.tenants;
    this.tenantAdmissionRefusals = b.tenantAdmissionRefusals;
    this.leaksReclaimed = b.leaksReclaimed;
    this.leakedBytes = b.leakedBytes;
    this.pinnedUnusedBytes = b.pinnedUnusedBytes;
  }

  private static SortedMap<String, Long> sortedCopy(Map<String, Long> map) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  /**
   * A builder of snapshots, for {@link BufferPool} implementations (applications read snapshots,
   * they do not make them). Every figure starts at 0 or empty; every size class left unset gets
   * zero counters. Not thread-safe.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the pool hands out direct memory.
   *
   * @return true for direct (off-heap) memory, false for heap memory
   */
  public boolean direct() {
    return direct;
  }

  /**
   * Counters per size class: every {@link PoolClass} is present, in {@link PoolClass} order.
   *
   * @return an unmodifiable map
   */
  public Map<PoolClass, ClassStats> classes() {
    return classes;
  }

  /**
   * Capacity of all pooled memory currently leased, billed to a tenant or not.
   *
   * @return bytes
   */
  public long liveBytes() {
    return liveBytes;
  }

  /**
   * Live bytes per tenant, in tenant name order: every tenant the pool keeps a record of, at 0 when
   * it holds nothing (for a pool that admits tenants, each tenant holding a slot, so that a tenant
   * is listed exactly as long as its slot lasts); a tenant that was never billed is absent. Memory
   * acquired without a tenant counts only in {@link #liveBytes()}.
   *
   * @return an unmodifiable sorted map
   */
  public SortedMap<String, Long> liveBytesByTenant() {
    return liveBytesByTenant;
  }

  /**
   * The live bytes billed to one tenant.
   *
   * @param tenant the tenant's name
   * @return its live bytes, 0 if it holds none
   */
  public long liveBytes(String tenant) {
    return liveBytesByTenant.getOrDefault(tenant, 0L);
  }

  /**
   * Bytes of adopted memory (a host's buffers taken over without a copy) whose views are still
   * open, billed to a tenant or not. Not part of {@link #liveBytes()}, {@link #allocatedBytes()} or
   * any size class: the pool did not allocate them.
   *
   * @return bytes
   */
  public long borrowedBytes() {
    return borrowedBytes;
  }

  /**
   * Borrowed bytes per tenant, in tenant name order (tenants with none are absent). They count
   * toward the tenant's soft and hard limits together with its live bytes.
   *
   * @return an unmodifiable sorted map
   */
  public SortedMap<String, Long> borrowedBytesByTenant() {
    return borrowedBytesByTenant;
  }

  /**
   * Bytes of the free slabs kept for reuse.
   *
   * @return bytes
   */
  public long retainedBytes() {
    return retainedBytes;
  }

  /**
   * Bytes currently obtained from the system: live plus retained.
   *
   * @return bytes
   */
  public long allocatedBytes() {
    return allocatedBytes;
  }

  /**
   * Bytes obtained from the system since the pool was created.
   *
   * @return bytes
   */
  public long totalAllocatedBytes() {
    return totalAllocatedBytes;
  }

  /**
   * Allocations larger than {@link PoolClass#HUGE}, never pooled.
   *
   * @return a count
   */
  public long oversizeAllocations() {
    return oversizeAllocations;
  }

  /**
   * Per tenant, how many acquisitions left it above its soft limit (every acquisition made while
   * above counts, not only the one that crossed); tenants with none are absent.
   *
   * @return an unmodifiable sorted map
   */
  public SortedMap<String, Long> softLimitExceeded() {
    return softLimitExceeded;
  }

  /**
   * Per tenant, how many acquisitions its hard limit refused; tenants with none are absent.
   *
   * @return an unmodifiable sorted map
   */
  public SortedMap<String, Long> hardLimitRefusals() {
    return hardLimitRefusals;
  }

  /**
   * How many tenants hold a record in the pool (each took a slot when memory was first billed to
   * it, and keeps it until it has been idle, holding nothing, for the pool's idle timeout).
   *
   * @return a count
   */
  public int tenants() {
    return tenants;
  }

  /**
   * How many first billings of a new tenant were refused because the pool already held its maximum
   * of tenants ({@link TooManyTenantsException}).
   *
   * @return a count
   */
  public long tenantAdmissionRefusals() {
    return tenantAdmissionRefusals;
  }

  /**
   * Storages whose views became unreachable without {@code close()}, reclaimed by the safety net.
   *
   * @return a count
   */
  public long leaksReclaimed() {
    return leaksReclaimed;
  }

  /**
   * Capacity of the storages counted in {@link #leaksReclaimed()}.
   *
   * @return bytes
   */
  public long leakedBytes() {
    return leakedBytes;
  }

  /**
   * Bytes of live storage that slices alone keep alive without showing them (a 100-byte slice
   * keeping a 10 MiB slab): for each live storage whose open views' lengths add up to less than its
   * content (every view of all of it was closed), its capacity minus that sum. Overlapping slices
   * count twice and each view's length is rounded up to 1/65536 of the capacity, so this is a lower
   * bound; a storage with an open view of all of its content counts 0 (its unused tail is not
   * "pinned"). Reduce it with {@link ZeroCopyBuffer#compact()}.
   *
   * @return bytes
   */
  public long pinnedUnusedBytes() {
    return pinnedUnusedBytes;
  }

  /**
   * The counters of one size class.
   *
   * @param poolClass the class
   * @return its counters
   */
  public ClassStats of(PoolClass poolClass) {
    return classes.get(poolClass);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PoolSnapshot)) {
      return false;
    }
    PoolSnapshot s = (PoolSnapshot) o;
    return direct == s.direct
        && liveBytes == s.liveBytes
        && borrowedBytes == s.borrowedBytes
        && retainedBytes == s.retainedBytes
        && allocatedBytes == s.allocatedBytes
        && totalAllocatedBytes == s.totalAllocatedBytes
        && oversizeAllocations == s.oversizeAllocations
        && tenants == s.tenants
        && tenantAdmissionRefusals == s.tenantAdmissionRefusals
        && leaksReclaimed == s.leaksReclaimed
        && leakedBytes == s.leakedBytes
        && pinnedUnusedBytes == s.pinnedUnusedBytes
        && classes.equals(s.classes)
        && liveBytesByTenant.equals(s.liveBytesByTenant)
        && borrowedBytesByTenant.equals(s.borrowedBytesByTenant)
        && softLimitExceeded.equals(s.softLimitExceeded)
        && hardLimitRefusals.equals(s.hardLimitRefusals);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        direct,
        classes,
        liveBytes,
        liveBytesByTenant,
        borrowedBytes,
        borrowedBytesByTenant,
        retainedBytes,
        allocatedBytes,
        totalAllocatedBytes,
        oversizeAllocations,
        softLimitExceeded,
        hardLimitRefusals,
        tenants,
        tenantAdmissionRefusals,
        leaksReclaimed,
        leakedBytes,
        pinnedUnusedBytes);
  }

  @Override
  public String toString() {
    return "PoolSnapshot[direct="
        + direct
        + ", liveBytes="
        + liveBytes
        + ", liveBytesByTenant="
        + liveBytesByTenant
        + ", borrowedBytes="
        + borrowedBytes
        + ", borrowedBytesByTenant="
        + borrowedBytesByTenant
        + ", retainedBytes="
        + retainedBytes
        + ", allocatedBytes="
        + allocatedBytes
        + ", totalAllocatedBytes="
        + totalAllocatedBytes
        + ", oversizeAllocations="
        + oversizeAllocations
        + ", softLimitExceeded="
        + softLimitExceeded
        + ", hardLimitRefusals="
        + hardLimitRefusals
        + ", tenants="
        + tenants
        + ", tenantAdmissionRefusals="
        + tenantAdmissionRefusals
        + ", leaksReclaimed="
        + leaksReclaimed
        + ", leakedBytes="
        + leakedBytes
        + ", pinnedUnusedBytes="
        + pinnedUnusedBytes
        + ", classes="
        + classes
        + "]";
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
      long retainedBytes) {

    static final ClassStats EMPTY = new ClassStats(0, 0, 0, 0, 0, 0);
  }

  /**
   * Collects the figures of a {@link PoolSnapshot}; for {@link BufferPool} implementations. Each
   * setter replaces what was set before; maps are copied when the snapshot is built. Not
   * thread-safe.
   */
  public static final class Builder {
    private boolean direct;
    private final Map<PoolClass, ClassStats> classes = new EnumMap<>(PoolClass.class);
    private long liveBytes;
    private Map<String, Long> liveBytesByTenant = Map.of();
    private long borrowedBytes;
    private Map<String, Long> borrowedBytesByTenant = Map.of();
    private long retainedBytes;
    private long allocatedBytes;
    private long totalAllocatedBytes;
    private long oversizeAllocations;
    private Map<String, Long> softLimitExceeded = Map.of();
    private Map<String, Long> hardLimitRefusals = Map.of();
    private int tenants;
    private long tenantAdmissionRefusals;
    private long leaksReclaimed;
    private long leakedBytes;
    private long pinnedUnusedBytes;

    private Builder() {}

    /**
     * See {@link PoolSnapshot#direct()}.
     *
     * @param direct whether the pool hands out direct memory
     * @return this builder
     */
    public Builder direct(boolean direct) {
      this.direct = direct;
      return this;
    }

    /**
     * See {@link PoolSnapshot#classes()}.
     *
     * @param poolClass the class
     * @param stats its counters
     * @return this builder
     */
    public Builder classStats(PoolClass poolClass, ClassStats stats) {
      classes.put(
          Objects.requireNonNull(poolClass, "poolClass"), Objects.requireNonNull(stats, "stats"));
      return this;
    }

    /**
     * See {@link PoolSnapshot#liveBytes()}.
     *
     * @param bytes live bytes
     * @return this builder
     */
    public Builder liveBytes(long bytes) {
      this.liveBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#liveBytesByTenant()}.
     *
     * @param byTenant live bytes per tenant
     * @return this builder
     */
    public Builder liveBytesByTenant(Map<String, Long> byTenant) {
      this.liveBytesByTenant = Objects.requireNonNull(byTenant, "byTenant");
      return this;
    }

    /**
     * See {@link PoolSnapshot#borrowedBytes()}.
     *
     * @param bytes borrowed bytes
     * @return this builder
     */
    public Builder borrowedBytes(long bytes) {
      this.borrowedBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#borrowedBytesByTenant()}.
     *
     * @param byTenant borrowed bytes per tenant
     * @return this builder
     */
    public Builder borrowedBytesByTenant(Map<String, Long> byTenant) {
      this.borrowedBytesByTenant = Objects.requireNonNull(byTenant, "byTenant");
      return this;
    }

    /**
     * See {@link PoolSnapshot#retainedBytes()}.
     *
     * @param bytes retained bytes
     * @return this builder
     */
    public Builder retainedBytes(long bytes) {
      this.retainedBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#allocatedBytes()}.
     *
     * @param bytes allocated bytes
     * @return this builder
     */
    public Builder allocatedBytes(long bytes) {
      this.allocatedBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#totalAllocatedBytes()}.
     *
     * @param bytes bytes obtained from the system since the pool was created
     * @return this builder
     */
    public Builder totalAllocatedBytes(long bytes) {
      this.totalAllocatedBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#oversizeAllocations()}.
     *
     * @param count oversize allocations
     * @return this builder
     */
    public Builder oversizeAllocations(long count) {
      this.oversizeAllocations = count;
      return this;
    }

    /**
     * See {@link PoolSnapshot#softLimitExceeded()}.
     *
     * @param byTenant counts per tenant
     * @return this builder
     */
    public Builder softLimitExceeded(Map<String, Long> byTenant) {
      this.softLimitExceeded = Objects.requireNonNull(byTenant, "byTenant");
      return this;
    }

    /**
     * See {@link PoolSnapshot#hardLimitRefusals()}.
     *
     * @param byTenant counts per tenant
     * @return this builder
     */
    public Builder hardLimitRefusals(Map<String, Long> byTenant) {
      this.hardLimitRefusals = Objects.requireNonNull(byTenant, "byTenant");
      return this;
    }

    /**
     * See {@link PoolSnapshot#tenants()}.
     *
     * @param count tenants holding a record
     * @return this builder
     */
    public Builder tenants(int count) {
      this.tenants = count;
      return this;
    }

    /**
     * See {@link PoolSnapshot#tenantAdmissionRefusals()}.
     *
     * @param count refused first billings
     * @return this builder
     */
    public Builder tenantAdmissionRefusals(long count) {
      this.tenantAdmissionRefusals = count;
      return this;
    }

    /**
     * See {@link PoolSnapshot#leaksReclaimed()}.
     *
     * @param count leaks reclaimed
     * @return this builder
     */
    public Builder leaksReclaimed(long count) {
      this.leaksReclaimed = count;
      return this;
    }

    /**
     * See {@link PoolSnapshot#leakedBytes()}.
     *
     * @param bytes leaked bytes
     * @return this builder
     */
    public Builder leakedBytes(long bytes) {
      this.leakedBytes = bytes;
      return this;
    }

    /**
     * See {@link PoolSnapshot#pinnedUnusedBytes()}.
     *
     * @param bytes pinned unused bytes
     * @return this builder
     */
    public Builder pinnedUnusedBytes(long bytes) {
      this.pinnedUnusedBytes = bytes;
      return this;
    }

    /**
     * The snapshot of the figures set so far.
     *
     * @return a new immutable snapshot
     */
    public PoolSnapshot build() {
      return new PoolSnapshot(this);
    }
  }
}
