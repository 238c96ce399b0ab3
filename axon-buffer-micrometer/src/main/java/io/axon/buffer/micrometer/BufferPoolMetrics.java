package io.axon.buffer.micrometer;

import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.PoolSnapshot.ClassStats;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Micrometer {@link MeterBinder} for a {@link BufferPool}: the pool's {@link PoolSnapshot} as
 * meters, per size class and per tenant, under Micrometer's naming conventions (dot-separated
 * names, base unit {@code bytes}, counters as {@link FunctionCounter}s, so Prometheus shows them as
 * {@code _bytes} and {@code _total}).
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * BufferPoolMetrics.of(pool).bindTo(registry);       // pool tag = pool.name()
 * new JvmMemoryMetrics().bindTo(registry);            // and the JVM binders you want
 * String text = registry.scrape();
 * }</pre>
 *
 * <h2>Meters</h2>
 *
 * Every meter has the tag {@code pool} (the pool's {@link BufferPool#name()}, or the name given to
 * the {@link Builder}) and the builder's extra tags. In Prometheus' text the dots become
 * underscores, gauges in bytes end in {@code _bytes} and counters in {@code _total}.
 *
 * <p>The meters are named by the constants of this class, each of which says its type, unit and
 * tags; the README has them as a table with their Prometheus names.
 *
 * <p>The {@code class} tag is the {@link PoolClass} in lower case ({@code small}, {@code medium},
 * {@code large}, {@code huge}, {@code oversize}). Per-class gauges have a {@code class} segment in
 * their name because Prometheus requires every series of one name to have the same label names, so
 * they cannot share the pool totals' names.
 *
 * <h2>Tenants: a bounded tag</h2>
 *
 * Tenant names often come from requests, and each value of a tag is a new time series. At most
 * {@link Builder#maxTenantSeries(int)} tenants (default {@value #DEFAULT_MAX_TENANT_SERIES}) get
 * series of their own, first come, first served: a tenant keeps its series while the pool's
 * snapshot names it (in any per-tenant figure), and a place that frees goes to the largest waiting
 * tenant (live plus borrowed bytes, then name). The other tenants are summed into one series tagged
 * {@code tenant="}{@value #OTHER_TENANTS}{@code "} (bytes: their sum now; counters: the growth of
 * their counts while aggregated, so it never goes down), and {@value #TENANT_SERIES_AGGREGATED}
 * says how many they are. That series is always there, at 0 while nobody is aggregated. A tenant
 * whose real name is {@value #OTHER_TENANTS} is always aggregated. First come rather than the top N
 * at each scrape, so that series do not flap between scrapes and counters stay monotonic.
 *
 * <p>Series come and go with tenants: when the snapshot stops naming a tenant (the pool evicted it,
 * or it holds nothing and has no counts), its four meters are removed from the registry; a new
 * tenant's meters are registered when a snapshot first names it. The snapshot is taken by the first
 * read of a scrape, and the Prometheus registry reads a binder's pool meters before its tenant
 * meters (in the order they were registered), so there a new tenant shows in the scrape that took
 * the snapshot. A registry that reads the tenant meters first shows it at its next read; a host
 * that serves the scrape itself may call {@link #refresh()} just before it to be sure.
 *
 * <h2>One snapshot per scrape</h2>
 *
 * The meters do not each call {@link BufferPool#snapshot()}: the first read takes one and the
 * others reuse it for {@link Builder#snapshotTtl(Duration)} (default 1 s) on the {@link
 * Builder#clock(Clock)}, so the figures of one scrape agree with each other and a snapshot, which
 * walks every stripe of the pool, is taken once per scrape, even when the binder is bound to
 * several registries.
 *
 * <h2>References</h2>
 *
 * The meters hold the pool <em>strongly</em>. Micrometer's gauges and function counters keep their
 * object weakly by default, which suits an object the application keeps anyway, but a pool that
 * only the metrics reference (created for a component and handed to it) would be collected and its
 * series would read {@code NaN} or freeze. The price: a pool stays reachable while it is bound;
 * call {@link #close()} to remove the meters when the pool is discarded.
 *
 * <p>Threading: thread-safe. Binding, scraping from several threads and {@link #close()} may
 * overlap.
 */
public final class BufferPoolMetrics implements MeterBinder, AutoCloseable {

  /** Gauge, bytes: live (leased) pooled memory, {@link PoolSnapshot#liveBytes()}. */
  public static final String POOL_LIVE = "axon.buffer.pool.live";

  /** Gauge, bytes: free slabs kept for reuse, {@link PoolSnapshot#retainedBytes()}. */
  public static final String POOL_RETAINED = "axon.buffer.pool.retained";

  /**
   * Gauge, bytes: obtained from the system now (live plus retained), {@link
   * PoolSnapshot#allocatedBytes()}.
   */
  public static final String POOL_ALLOCATED = "axon.buffer.pool.allocated";

  /**
   * Gauge, bytes: adopted memory billed but not allocated by the pool, {@link
   * PoolSnapshot#borrowedBytes()}.
   */
  public static final String POOL_BORROWED = "axon.buffer.pool.borrowed";

  /**
   * Gauge, bytes: live storage that only slices keep alive, {@link
   * PoolSnapshot#pinnedUnusedBytes()}.
   */
  public static final String POOL_PINNED_UNUSED = "axon.buffer.pool.pinned.unused";

  /** Gauge: tenants holding a record in the pool, {@link PoolSnapshot#tenants()}. */
  public static final String POOL_TENANTS = "axon.buffer.pool.tenants";

  /**
   * Counter, bytes: obtained from the system since the pool was created, {@link
   * PoolSnapshot#totalAllocatedBytes()}.
   */
  public static final String POOL_SYSTEM_ALLOCATED = "axon.buffer.pool.system.allocated";

  /**
   * Counter: allocations larger than the largest pooled class, {@link
   * PoolSnapshot#oversizeAllocations()}.
   */
  public static final String POOL_OVERSIZE_ALLOCATIONS = "axon.buffer.pool.oversize.allocations";

  /** Counter: storages reclaimed by the leak safety net, {@link PoolSnapshot#leaksReclaimed()}. */
  public static final String POOL_LEAKS_RECLAIMED = "axon.buffer.pool.leaks.reclaimed";

  /**
   * Counter, bytes: capacity of the storages reclaimed as leaks, {@link
   * PoolSnapshot#leakedBytes()}.
   */
  public static final String POOL_LEAKED = "axon.buffer.pool.leaked";

  /**
   * Counter: first billings of a new tenant refused because the pool held its maximum of tenants,
   * {@link PoolSnapshot#tenantAdmissionRefusals()}.
   */
  public static final String POOL_TENANT_ADMISSION_REFUSALS =
      "axon.buffer.pool.tenant.admission.refusals";

  /**
   * Counter, tag {@code class}: acquisitions served from the class's free list, {@link
   * ClassStats#hits()}.
   */
  public static final String POOL_HITS = "axon.buffer.pool.hits";

  /**
   * Counter, tag {@code class}: acquisitions that allocated from the system, {@link
   * ClassStats#misses()}.
   */
  public static final String POOL_MISSES = "axon.buffer.pool.misses";

  /** Gauge, bytes, tag {@code class}: bytes leased, {@link ClassStats#leasedBytes()}. */
  public static final String CLASS_LEASED = "axon.buffer.pool.class.leased";

  /** Gauge, tag {@code class}: slabs leased, {@link ClassStats#leasedSlabs()}. */
  public static final String CLASS_LEASED_SLABS = "axon.buffer.pool.class.leased.slabs";

  /**
   * Gauge, bytes, tag {@code class}: bytes of the free slabs kept, {@link
   * ClassStats#retainedBytes()}.
   */
  public static final String CLASS_RETAINED = "axon.buffer.pool.class.retained";

  /** Gauge, tag {@code class}: free slabs kept, {@link ClassStats#retainedSlabs()}. */
  public static final String CLASS_RETAINED_SLABS = "axon.buffer.pool.class.retained.slabs";

  /**
   * Gauge, bytes, tag {@code tenant}: live pooled memory billed to the tenant, {@link
   * PoolSnapshot#liveBytesByTenant()}.
   */
  public static final String TENANT_LIVE = "axon.buffer.tenant.live";

  /**
   * Gauge, bytes, tag {@code tenant}: borrowed memory billed to the tenant, {@link
   * PoolSnapshot#borrowedBytesByTenant()}.
   */
  public static final String TENANT_BORROWED = "axon.buffer.tenant.borrowed";

  /**
   * Counter, tag {@code tenant}: acquisitions made while the tenant was above its soft limit,
   * {@link PoolSnapshot#softLimitExceeded()}.
   */
  public static final String TENANT_SOFT_LIMIT_EXCEEDED = "axon.buffer.tenant.soft.limit.exceeded";

  /**
   * Counter, tag {@code tenant}: acquisitions the tenant's hard limit refused, {@link
   * PoolSnapshot#hardLimitRefusals()}.
   */
  public static final String TENANT_HARD_LIMIT_REFUSALS = "axon.buffer.tenant.hard.limit.refusals";

  /** Gauge: how many tenants the {@code tenant="}{@value #OTHER_TENANTS}{@code "} series sums. */
  public static final String TENANT_SERIES_AGGREGATED = "axon.buffer.tenant.series.aggregated";

  /** The {@code tenant} tag value of the series that sums the tenants beyond the cap. */
  public static final String OTHER_TENANTS = "_other";

  /** How many tenants get series of their own unless the builder says otherwise. */
  public static final int DEFAULT_MAX_TENANT_SERIES = 100;

  /** How long one snapshot serves the meters unless the builder says otherwise. */
  public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofSeconds(1);

  /** The tag naming the pool. */
  public static final String TAG_POOL = "pool";

  /** The tag naming the size class. */
  public static final String TAG_CLASS = "class";

  /** The tag naming the tenant. */
  public static final String TAG_TENANT = "tenant";

  static final String BYTES = "bytes";

  private final Tags tags;
  private final SnapshotMemo memo;
  private final TenantSelection tenants;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();
  private boolean closed;

  private BufferPoolMetrics(Builder b) {
    this.tags = Tags.of(TAG_POOL, b.name).and(b.tags);
    this.tenants = new TenantSelection(b.maxTenantSeries);
    this.memo = new SnapshotMemo(b.pool, b.snapshotTtl.toNanos(), b.clock, this::refreshed);
  }

  /**
   * A binder for {@code pool} with the defaults: the {@code pool} tag is {@link BufferPool#name()},
   * {@value #DEFAULT_MAX_TENANT_SERIES} tenant series, snapshots reused for 1 s.
   *
   * @param pool the pool to report (held strongly while bound)
   * @return a new binder, not yet bound
   * @throws IllegalArgumentException if the pool's name is blank
   */
  public static BufferPoolMetrics of(BufferPool pool) {
    return builder(pool).build();
  }

  /**
   * A builder of a binder for {@code pool}.
   *
   * @param pool the pool to report (held strongly while bound)
   * @return a new builder
   */
  public static Builder builder(BufferPool pool) {
    return new Builder(pool);
  }

  /**
   * Registers the pool's meters in {@code registry}. The tenant meters follow the tenants from then
   * on (see the class documentation). May be called for several registries; each gets its own
   * meters, all fed by one snapshot per time to live.
   *
   * @param registry the registry to add the meters to
   * @throws IllegalStateException if this binder is closed, or {@code registry} already has the
   *     meters of a pool with the same tags (two pools need two names)
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (closed) {
      throw new IllegalStateException("BufferPoolMetrics of pool " + tags + " is closed");
    }
    if (registry.find(POOL_LIVE).tags(tags).meter() != null) {
      throw new IllegalStateException(
          "the registry already has the meters of a pool tagged "
              + tags
              + ": give each pool its own name (BufferPoolMetrics.builder(pool).name(...))");
    }
    Binding binding = new Binding(registry, new TenantMeters(registry, tags, this::refresh));
    // Pool meters first: a registry that reads meters in registration order (Prometheus) then
    // takes the snapshot before it reads the tenant meters. The binding joins the list before its
    // first sync, so a snapshot taken meanwhile by another thread's scrape reaches it either way.
    registerPoolMeters(binding);
    bindings.add(binding);
    binding.tenantMeters.sync(tenants.rows());
    refresh();
  }

  /**
   * Takes a snapshot if the memoized one is older than the time to live, and brings the tenant
   * series of every bound registry up to date with it. The meters do this themselves when read; a
   * host that serves the scrape calls it just before {@code scrape()} so that tenants that appeared
   * since the last scrape are in this one.
   */
  public void refresh() {
    memo.get();
  }

  /**
   * Removes every meter this binder registered from every registry it was bound to, so that no
   * registry holds the pool any more. Idempotent; a closed binder cannot be bound again.
   */
  @Override
  public synchronized void close() {
    closed = true;
    for (Binding b : bindings) {
      b.tenantMeters.removeAll();
      b.poolMeters.forEach(b.registry::remove);
    }
    bindings.clear();
  }

  /** The memo's listener: new rows, then every registry's tenant meters follow them. */
  private void refreshed(PoolSnapshot s) {
    tenants.update(s);
    List<TenantRow> rows = tenants.rows();
    for (Binding b : bindings) {
      b.tenantMeters.sync(rows);
    }
  }

  private void registerPoolMeters(Binding b) {
    for (MeterSpec<PoolSnapshot> spec : MeterSpec.POOL) {
      b.poolMeters.add(spec.register(b.registry, tags, memo::get));
    }
    for (PoolClass c : PoolClass.values()) {
      Tags classTags = tags.and(TAG_CLASS, c.name().toLowerCase(Locale.ROOT));
      for (MeterSpec<ClassStats> spec : MeterSpec.CLASS) {
        b.poolMeters.add(spec.register(b.registry, classTags, () -> memo.get().of(c)));
      }
    }
    MeterSpec<TenantSelection> aggregated =
        MeterSpec.gauge(
            TENANT_SERIES_AGGREGATED,
            "Tenants beyond the tenant series cap, counted in the tenant=\""
                + OTHER_TENANTS
                + "\" series.",
            false,
            TenantSelection::aggregated);
    b.poolMeters.add(
        aggregated.register(
            b.registry,
            tags,
            () -> {
              refresh();
              return tenants;
            }));
  }

  /** The meters of this binder in one registry. */
  private static final class Binding {
    final MeterRegistry registry;
    final List<Meter> poolMeters = new ArrayList<>();
    final TenantMeters tenantMeters;

    Binding(MeterRegistry registry, TenantMeters tenantMeters) {
      this.registry = registry;
      this.tenantMeters = tenantMeters;
    }
  }

  /** Configures a {@link BufferPoolMetrics}. Not thread-safe. */
  public static final class Builder {
    private final BufferPool pool;
    private String name;
    private Tags tags = Tags.empty();
    private int maxTenantSeries = DEFAULT_MAX_TENANT_SERIES;
    private Duration snapshotTtl = DEFAULT_SNAPSHOT_TTL;
    private Clock clock = Clock.SYSTEM;

    private Builder(BufferPool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The {@code pool} tag's value (default: the pool's {@link BufferPool#name()}).
     *
     * @param name a non-blank name, different for each pool bound to one registry
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder name(String name) {
      this.name = checkName(name);
      return this;
    }

    /**
     * Tags added to every meter, besides {@code pool}, {@code class} and {@code tenant}.
     *
     * @param tags the extra tags
     * @return this builder
     * @throws IllegalArgumentException if a tag uses one of the binder's own keys
     */
    public Builder tags(Iterable<Tag> tags) {
      Tags extra = Tags.of(Objects.requireNonNull(tags, "tags"));
      for (Tag t : extra) {
        if (t.getKey().equals(TAG_POOL)
            || t.getKey().equals(TAG_CLASS)
            || t.getKey().equals(TAG_TENANT)) {
          throw new IllegalArgumentException(
              "tag key \"" + t.getKey() + "\" is the binder's own; choose another");
        }
      }
      this.tags = extra;
      return this;
    }

    /**
     * How many tenants get series of their own (default {@value #DEFAULT_MAX_TENANT_SERIES}); the
     * others are summed under {@code tenant="}{@value #OTHER_TENANTS}{@code "}. 0 reports every
     * tenant in that one series.
     *
     * @param max the cap, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public Builder maxTenantSeries(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxTenantSeries must be >= 0, was " + max);
      }
      this.maxTenantSeries = max;
      return this;
    }

    /**
     * How long one snapshot serves every meter (default 1 s). Longer than a scrape takes and
     * shorter than the scrape interval; 0 takes a snapshot at every meter read.
     *
     * @param ttl the time to live, not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is negative
     */
    public Builder snapshotTtl(Duration ttl) {
      if (Objects.requireNonNull(ttl, "ttl").isNegative()) {
        throw new IllegalArgumentException("snapshotTtl must not be negative, was " + ttl);
      }
      this.snapshotTtl = ttl;
      return this;
    }

    /**
     * The clock that times the snapshot's time to live (default {@link Clock#SYSTEM}; tests pass a
     * {@code MockClock}).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The binder.
     *
     * @return a new binder, not yet bound
     * @throws IllegalArgumentException if no name was given and the pool's name is blank
     */
    public BufferPoolMetrics build() {
      if (name == null) {
        name = checkName(pool.name());
      }
      return new BufferPoolMetrics(this);
    }

    private static String checkName(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("pool name must not be blank, was \"" + name + "\"");
      }
      return name;
    }
  }
}
