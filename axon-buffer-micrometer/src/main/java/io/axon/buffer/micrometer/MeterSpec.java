package io.axon.buffer.micrometer;

import static io.axon.buffer.micrometer.BufferPoolMetrics.CLASS_LEASED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.CLASS_LEASED_SLABS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.CLASS_RETAINED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.CLASS_RETAINED_SLABS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_ALLOCATED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_BORROWED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_HITS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_LEAKED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_LEAKS_RECLAIMED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_LIVE;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_MISSES;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_OVERSIZE_ALLOCATIONS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_PINNED_UNUSED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_RETAINED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_SYSTEM_ALLOCATED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_TENANTS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.POOL_TENANT_ADMISSION_REFUSALS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.TENANT_BORROWED;
import static io.axon.buffer.micrometer.BufferPoolMetrics.TENANT_HARD_LIMIT_REFUSALS;
import static io.axon.buffer.micrometer.BufferPoolMetrics.TENANT_LIVE;
import static io.axon.buffer.micrometer.BufferPoolMetrics.TENANT_SOFT_LIMIT_EXCEEDED;

import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.PoolSnapshot.ClassStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * One meter of the binder: its name, description, kind (gauge or counter), unit and the figure it
 * reads from a source ({@code T}: a snapshot, a class's counters, a tenant row). The lists below
 * are every meter {@link BufferPoolMetrics} registers; its javadoc and the README table follow
 * them.
 *
 * @param name the Micrometer name
 * @param help the description (Prometheus' HELP)
 * @param counter a {@link FunctionCounter} if true, else a {@link Gauge}
 * @param bytes base unit {@code bytes} if true, else none
 * @param value the figure, read from the source
 * @param <T> what the figure is read from
 */
record MeterSpec<T>(
    String name, String help, boolean counter, boolean bytes, ToLongFunction<T> value) {

  /** The pool's own figures. */
  static final List<MeterSpec<PoolSnapshot>> POOL =
      List.of(
          gauge(
              POOL_LIVE,
              "Capacity of pooled memory leased by open buffers and builders.",
              true,
              PoolSnapshot::liveBytes),
          gauge(
              POOL_RETAINED,
              "Free slabs kept by the pool for reuse.",
              true,
              PoolSnapshot::retainedBytes),
          gauge(
              POOL_ALLOCATED,
              "Memory currently obtained from the system (live + retained).",
              true,
              PoolSnapshot::allocatedBytes),
          gauge(
              POOL_BORROWED,
              "Adopted memory billed to tenants but not allocated by the pool (a host's buffers).",
              true,
              PoolSnapshot::borrowedBytes),
          gauge(
              POOL_PINNED_UNUSED,
              "Live storage that only slices keep alive without showing it (a lower bound).",
              true,
              PoolSnapshot::pinnedUnusedBytes),
          gauge(
              POOL_TENANTS,
              "Tenants holding a record (a slot) in the pool.",
              false,
              PoolSnapshot::tenants),
          counter(
              POOL_SYSTEM_ALLOCATED,
              "Memory obtained from the system since the pool was created.",
              true,
              PoolSnapshot::totalAllocatedBytes),
          counter(
              POOL_OVERSIZE_ALLOCATIONS,
              "Allocations larger than the largest pooled class, never pooled.",
              false,
              PoolSnapshot::oversizeAllocations),
          counter(
              POOL_LEAKS_RECLAIMED,
              "Storages reclaimed by the safety net after their views were dropped unclosed.",
              false,
              PoolSnapshot::leaksReclaimed),
          counter(
              POOL_LEAKED,
              "Capacity of the storages reclaimed as leaks.",
              true,
              PoolSnapshot::leakedBytes),
          counter(
              POOL_TENANT_ADMISSION_REFUSALS,
              "First billings of a new tenant refused because the pool held its maximum of"
                  + " tenants.",
              false,
              PoolSnapshot::tenantAdmissionRefusals));

  /** One size class's figures (tag {@code class}). */
  static final List<MeterSpec<ClassStats>> CLASS =
      List.of(
          counter(
              POOL_HITS,
              "Acquisitions served from the size class's free list.",
              false,
              ClassStats::hits),
          counter(
              POOL_MISSES,
              "Acquisitions of the size class that allocated from the system.",
              false,
              ClassStats::misses),
          gauge(CLASS_LEASED, "Bytes leased from the size class.", true, ClassStats::leasedBytes),
          gauge(
              CLASS_LEASED_SLABS,
              "Slabs leased from the size class.",
              false,
              ClassStats::leasedSlabs),
          gauge(
              CLASS_RETAINED,
              "Bytes of the free slabs the size class keeps.",
              true,
              ClassStats::retainedBytes),
          gauge(
              CLASS_RETAINED_SLABS,
              "Free slabs the size class keeps.",
              false,
              ClassStats::retainedSlabs));

  /** One tenant's figures, or the aggregate's (tag {@code tenant}). */
  static final List<MeterSpec<TenantRow>> TENANT =
      List.of(
          gauge(
              TENANT_LIVE,
              "Pooled memory billed to the tenant: capacity of its open buffers and builders.",
              true,
              r -> r.liveBytes),
          gauge(
              TENANT_BORROWED,
              "Adopted (borrowed) memory billed to the tenant, not allocated by the pool.",
              true,
              r -> r.borrowedBytes),
          counter(
              TENANT_SOFT_LIMIT_EXCEEDED,
              "Acquisitions made while the tenant was above its soft limit.",
              false,
              r -> r.softLimitExceeded),
          counter(
              TENANT_HARD_LIMIT_REFUSALS,
              "Acquisitions the tenant's hard limit refused (nothing was allocated).",
              false,
              r -> r.hardLimitRefusals));

  static <T> MeterSpec<T> gauge(String name, String help, boolean bytes, ToLongFunction<T> value) {
    return new MeterSpec<>(name, help, false, bytes, value);
  }

  static <T> MeterSpec<T> counter(
      String name, String help, boolean bytes, ToLongFunction<T> value) {
    return new MeterSpec<>(name, help, true, bytes, value);
  }

  /**
   * Registers this meter in {@code registry}, reading {@code source} at each read. The meter holds
   * {@code source} strongly: the function that reads it captures it (Micrometer keeps a meter's
   * object weakly unless told otherwise, and a function counter cannot be told).
   *
   * @return the registered meter (or the registry's existing one with the same id)
   */
  Meter register(MeterRegistry registry, Tags tags, Supplier<? extends T> source) {
    ToDoubleFunction<Object> read = ignored -> value.applyAsLong(source.get());
    if (counter) {
      return FunctionCounter.builder(name, source, read)
          .description(help)
          .baseUnit(bytes ? BufferPoolMetrics.BYTES : null)
          .tags(tags)
          .register(registry);
    }
    return Gauge.builder(name, source, read)
        .strongReference(true)
        .description(help)
        .baseUnit(bytes ? BufferPoolMetrics.BYTES : null)
        .tags(tags)
        .register(registry);
  }
}
