package io.axon.buffer.core;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.TooManyTenantsException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The size-class slab pool of axon-buffer: pooled memory behind every {@link BufferMut} and {@link
 * ZeroCopyBuffer} it hands out, billed per tenant.
 *
 * <pre>{@code
 * SlabBufferPool pool = SlabBufferPool.builder()
 *     .softLimit("acme", 64L << 20)
 *     .hardLimit("acme", 128L << 20)
 *     .build();
 * BufferAllocator acme = pool.forTenant("acme");
 * try (BufferMut b = acme.acquire(8192)) {
 *   while (b.readFrom(channel) >= 0) {}
 *   try (ZeroCopyBuffer body = b.freeze(BufferKind.of("jpeg"))) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <h2>Classes and free lists</h2>
 *
 * A request is served from the smallest {@link PoolClass} whose slab holds it ({@link
 * PoolClass#forCapacity}); {@link PoolClass#OVERSIZE} requests are allocated at their exact size
 * and never pooled. Each pooled class retains at most {@code maxSlabsPerClass} free slabs (default
 * {@value #DEFAULT_MAX_SLABS_PER_CLASS}), and the pool at most {@code maxRetainedBytes} (default
 * {@value #DEFAULT_MAX_RETAINED_BYTES} bytes) across classes; a released slab beyond either bound
 * is dropped. Every thread keeps a small magazine of free slabs of each class in front of the
 * shared free list (at most half of each bound across all threads, counted in it), so that an
 * acquisition and a release on one thread touch nothing another thread writes. Small slabs are
 * carved up to 16 at a time (as many as the pool can retain) out of one larger allocation.
 *
 * <p>Memory is direct by default (a socket read into heap memory costs the JDK an extra copy); heap
 * on request. Direct memory that the pool drops ({@link #trim()}, bounds, {@link #close()}) is
 * returned to the system when the garbage collector reclaims its last {@link ByteBuffer}: the pool
 * never frees memory explicitly, so a {@code ByteBuffer} kept past its view's {@code close()} can
 * show wrong bytes but never touches freed memory.
 *
 * <h2>Tenants</h2>
 *
 * Memory is billed, by the capacity held, to the tenant named at acquisition ({@link #acquire(int,
 * String)}, {@link #forTenant}); views inherit the tag; growth bills the new slab before releasing
 * the old one. A soft limit per tenant (default {@value #DEFAULT_SOFT_LIMIT} bytes) never refuses:
 * each acquisition that leaves the tenant above it is counted in {@link
 * PoolSnapshot#softLimitExceeded()}. A hard limit (none by default) refuses an acquisition that
 * would pass it with {@link TenantLimitExceededException}, before anything is allocated. Both are
 * exact; billing is nevertheless free of shared writes far from the limits (see {@code Tenant}).
 * Acquisitions without a tenant are billed to nobody and count only in {@link
 * PoolSnapshot#liveBytes()}.
 *
 * <p>Admission: a tenant takes a slot in the pool when memory is first billed to it ({@link
 * #forTenant} takes none). With {@link Builder#maxTenants} set, a new tenant's first billing past
 * the cap throws {@link TooManyTenantsException}, allocating nothing; with {@link
 * Builder#tenantIdleTimeout} set, a tenant that held nothing and billed nothing for that long gives
 * its slot back and its figures leave the snapshot. {@link #wouldAdmit} asks both questions, and
 * the hard limit's, without billing: a host can refuse a request before reading its body.
 *
 * <h2>Leaks</h2>
 *
 * A pooled storage whose views (or whose builder) all became unreachable without {@code close()} is
 * found by a {@link java.lang.ref.Cleaner} registration whose action holds the slab and the tenant
 * but never a view; the memory goes back to the pool and the leak is counted ({@link
 * PoolSnapshot#leaksReclaimed()}, {@link PoolSnapshot#leakedBytes()}), logged and kept in {@link
 * #leakReports()}, with the allocation site when {@link LeakTracing} recorded it. Registering costs
 * more than the rest of an acquisition at {@link PoolClass#SMALL} and as much at {@link
 * PoolClass#MEDIUM}, so by default one small storage in 64 and one medium storage in 16 per thread
 * are registered (every one when tracing is {@link LeakTracing#ALL}, when the storage is traced, or
 * with {@link Builder#fullLeakReclamation}); every larger storage is registered. <b>A storage that
 * leaks without having been registered is never reclaimed:</b> its slab never returns to the pool
 * and its bytes stay billed to its tenant (they show as live bytes that never return to 0).
 *
 * <h2>Threads and cost</h2>
 *
 * Thread-safe. An acquisition costs one uncontended compare-and-set on the thread's own stripe, the
 * builder object, and a magazine pop; freezing costs the view object; closing the view that {@code
 * freeze()} made costs two atomic instructions (one on the storage, one on the stripe) and a
 * magazine push; a derived view costs one atomic instruction to create and two to close. {@link
 * #snapshot()}, {@link #trim()} and {@link #close()} briefly stop every thread's pool operations to
 * read or empty their stripes.
 *
 * <p>Each thread that uses the pool gets a stripe (its magazines, counters and tenant cells, a few
 * hundred bytes plus the free slabs it caches), retired when the thread ends and the garbage
 * collector notices: fine for thread pools; with very many short-lived threads (one virtual thread
 * per request) the stripes come and go with them.
 *
 * <h2>Structure and locking</h2>
 *
 * This class is the facade; each job is a package-private class that owns its state, and the locks
 * of all of them and their order are listed in the package's documentation.
 */
public final class SlabBufferPool implements BufferPool {

  /** Default bound on free slabs retained per class. */
  public static final int DEFAULT_MAX_SLABS_PER_CLASS = 64;

  /** Default bound on bytes retained across classes: 128 MiB. */
  public static final long DEFAULT_MAX_RETAINED_BYTES = 128L << 20;

  /** Default soft limit per tenant: 256 MiB. */
  public static final long DEFAULT_SOFT_LIMIT = 256L << 20;

  /** The largest buffer: the largest array the JVM allocates. */
  public static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final String name;
  private final SlabCache cache;
  private final TenantLedger ledger;
  private final StripeRegistry stripes;
  private final LeakDetector leaks;
  private final Leases leases;
  private final Set<PinnedRef> pinned = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private SlabBufferPool(Builder b) {
    this.name = b.name != null ? b.name : "pool-" + POOL_NUMBER.incrementAndGet();
    this.cache = new SlabCache(b.direct, b.maxSlabsPerClass, b.maxRetainedBytes);
    this.ledger =
        new TenantLedger(
            b.defaultSoftLimit,
            b.defaultHardLimit,
            b.softLimits,
            b.hardLimits,
            b.maxTenants,
            b.tenantIdleTimeoutNanos,
            System::nanoTime);
    this.stripes = new StripeRegistry(cache, ledger);
    LeakTracing tracing = b.leakTracing != null ? b.leakTracing : LeakTracing.fromSystemProperty();
    this.leaks = new LeakDetector(name, tracing, b.fullLeakReclamation);
    this.leases = new Leases(this, cache, ledger, stripes, leaks);
  }

  /**
   * A pool with the defaults: direct memory, {@value #DEFAULT_MAX_SLABS_PER_CLASS} slabs per class,
   * {@value #DEFAULT_MAX_RETAINED_BYTES} retained bytes, a soft limit of {@value
   * #DEFAULT_SOFT_LIMIT} bytes per tenant, no hard limit, no cap on tenants, leak tracing from
   * {@value LeakTracing#PROPERTY}.
   *
   * @return a new pool
   */
  public static SlabBufferPool create() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // =================================================================== BufferPool

  @Override
  public BufferMut acquire(int capacityHint) {
    checkAcquisition(capacityHint);
    return leases.builder(capacityHint, null);
  }

  @Override
  public BufferMut acquire(int capacityHint, String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    checkAcquisition(capacityHint);
    SlabBufferMut m;
    do {
      m = leases.builder(capacityHint, admit(tenant));
    } while (m == null);
    return m;
  }

  /** {@link TenantAllocator#acquire}: bills the allocator's tenant. */
  BufferMut acquireFor(int capacityHint, TenantAllocator allocator) {
    checkAcquisition(capacityHint);
    SlabBufferMut m;
    do {
      m = leases.builder(capacityHint, allocator.record());
    } while (m == null);
    return m;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Checks the name and holds it: the tenant takes a slot in this pool only when memory is first
   * billed to it. Tenant names taken from untrusted input (a request header) are safe to pass once
   * {@link Builder#maxTenants} caps how many the pool admits.
   */
  @Override
  public BufferAllocator forTenant(String tenant) {
    return new TenantAllocator(this, Objects.requireNonNull(tenant, "tenant"));
  }

  @Override
  public Optional<String> tenant() {
    return Optional.empty();
  }

  @Override
  public boolean isDirect() {
    return cache.isDirect();
  }

  /**
   * The name given to the builder, or {@code pool-N}.
   *
   * @return the pool's name, as in its leak reports and metrics
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * The leak tracing mode of this pool.
   *
   * @return the mode set on the builder, or the one the system property named
   */
  public LeakTracing leakTracing() {
    return leaks.tracing();
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * The most recent leaks this pool found (at most 256, oldest first). Leaks are found when the
   * garbage collector notices the unreachable storage, so a leak shows up some time after it
   * happened, never before.
   *
   * @return an immutable list
   */
  public List<LeakReport> leakReports() {
    return leaks.reports();
  }

  /**
   * Checks a tenant name against the rule {@link #forTenant} applies: 1 to 128 printable ASCII
   * characters (U+0020 to U+007E). For callers that take names from untrusted input and want to
   * refuse a bad one before anything else happens; costs one pass over the name.
   *
   * @param name the name to check
   * @throws IllegalArgumentException quoting the name and the offending character or length
   * @throws NullPointerException if {@code name} is null
   */
  public static void checkTenantName(String name) {
    TenantLedger.checkName(name);
  }

  /**
   * Whether billing {@code bytes} to {@code tenant} now would succeed as far as the tenant's hard
   * limit and the pool's admission go: false if the hard limit would refuse them, or if the tenant
   * holds no slot and none is free (after looking for idle tenants to evict, as a real acquisition
   * would). Bills nothing, takes no slot and counts no refusal. For hosts that refuse a request
   * before reading its body (an HTTP 429 instead of {@code 100 Continue}); the answer holds for
   * this instant only, other threads may bill the tenant next.
   *
   * <p>Pass the bytes the request will be billed: a body read into pooled memory is billed by the
   * capacity of the slabs it fills, at least its length. Costs a map lookup, and near the hard
   * limit a switch of the tenant to exact billing (once).
   *
   * @param tenant the tenant's name
   * @param bytes the bytes the request would bill
   * @return true if neither the hard limit nor admission would refuse them now
   * @throws IllegalArgumentException if {@code tenant} is not a valid name or {@code bytes} is
   *     negative
   * @throws IllegalStateException if the pool is closed
   */
  public boolean wouldAdmit(String tenant, long bytes) {
    Objects.requireNonNull(tenant, "tenant");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    ensureOpen();
    return leases.wouldAdmit(tenant, bytes);
  }

  // =================================================================== acquisition

  private void checkAcquisition(int capacityHint) {
    if (capacityHint < 0) {
      throw new IllegalArgumentException("capacityHint must be >= 0, was " + capacityHint);
    }
    if (capacityHint > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacityHint must be <= " + MAX_CAPACITY + ", was " + capacityHint);
    }
    ensureOpen();
  }

  /** See {@link Leases#admit}. */
  Tenant admit(String name) {
    return leases.admit(name);
  }

  /** A copy of {@code src} in one buffer of this pool, billed to {@code tenant} (compact). */
  ZeroCopyBuffer compactCopy(ZeroCopyBuffer src, Tenant tenant) {
    checkAcquisition(src.length());
    return leases.compactCopy(src, tenant);
  }

  // =================================================================== borrowed memory (D3)

  /**
   * {@inheritDoc}
   *
   * <p>Billed to no tenant: counted only in {@link PoolSnapshot#borrowedBytes()}.
   */
  @Override
  public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {
    return Buffers.adopt(kind, pieces, release, bytes -> borrowing(null, bytes));
  }

  /**
   * Bills {@code bytes} borrowed by {@code allocator} (null: nobody) and returns what unbills them;
   * see {@link Leases#borrowing}.
   */
  Borrowing borrowing(TenantAllocator allocator, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    ensureOpen();
    return leases.borrowing(allocator, bytes);
  }

  // =================================================================== release, growth, pinning

  /** Returns the memory of a storage whose last view closed, or of an aborted builder. */
  void releaseStorage(SlabBufferMut m) {
    leases.release(m);
  }

  /** Moves a builder to a slab that holds {@code required} bytes (one copy). */
  void grow(SlabBufferMut m, int required) {
    ensureOpen();
    leases.grow(m, required);
  }

  void pin(PinnedRef ref) {
    pinned.add(ref);
  }

  void unpin(PinnedRef ref) {
    pinned.remove(ref);
  }

  // =================================================================== snapshot, trim, close

  @Override
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // pinned is a concurrent set
  public PoolSnapshot snapshot() {
    long pinnedUnused = 0;
    for (PinnedRef ref : pinned) {
      long p = ref.pinnedUnusedBytes();
      if (ref.get() == null) {
        pinned.remove(ref);
      }
      pinnedUnused += p;
    }
    PoolSnapshot.Builder b =
        PoolSnapshot.builder().direct(cache.isDirect()).pinnedUnusedBytes(pinnedUnused);
    stripes.withEveryStripeLocked(
        all -> {
          ledger.evictIdle();
          cache.describe(b, all.stripes, all.counters);
          ledger.describe(b);
          b.borrowedBytes(all.counters.borrowedBytes());
          // Counted before the reclaimed slab's release takes a stripe's lock: a leak being
          // reclaimed right now may show here while its bytes still count as live, never the
          // other way round.
          leaks.describe(b);
          return null;
        });
    return b.build();
  }

  @Override
  public long trim() {
    return stripes.withStripes(cache::dropRetained);
  }

  /**
   * Frees what the pool retains and stops retaining; later acquisitions throw {@link
   * IllegalStateException}. Buffers still alive keep working (a builder still open cannot grow any
   * more); their memory is dropped when they are closed. Those still alive are logged (count and
   * bytes, and their allocation sites when leak tracing recorded them). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cache.stopRetaining();
    trim();
    leaks.reportAliveOnClose(snapshot());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("pool " + name + " is closed");
    }
  }

  @Override
  public String toString() {
    return "SlabBufferPool["
        + name
        + ", "
        + (cache.isDirect() ? "direct" : "heap")
        + (closed ? ", closed" : "")
        + "]";
  }

  // =================================================================== builder

  /**
   * Configures a {@link SlabBufferPool}. Every setter fails fast on a bad value, naming it. Not
   * thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private String name;
    private boolean direct = true;
    private int maxSlabsPerClass = DEFAULT_MAX_SLABS_PER_CLASS;
    private long maxRetainedBytes = DEFAULT_MAX_RETAINED_BYTES;
    private long defaultSoftLimit = DEFAULT_SOFT_LIMIT;
    private long defaultHardLimit = Long.MAX_VALUE;
    private final Map<String, Long> softLimits = new LinkedHashMap<>();
    private final Map<String, Long> hardLimits = new LinkedHashMap<>();
    private int maxTenants = TenantLedger.UNLIMITED;
    private long tenantIdleTimeoutNanos = TenantLedger.NEVER;
    private LeakTracing leakTracing;
    private boolean fullLeakReclamation;

    private Builder() {}

    /** A name for logs and leak reports (default {@code pool-N}). */
    public Builder name(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was \"" + name + "\"");
      }
      this.name = name;
      return this;
    }

    /** Direct (off-heap, the default) or heap memory. */
    public Builder direct(boolean direct) {
      this.direct = direct;
      return this;
    }

    /** At most this many free slabs retained per class (default 64; 0 retains none). */
    public Builder maxSlabsPerClass(int slabs) {
      if (slabs < 0) {
        throw new IllegalArgumentException("maxSlabsPerClass must be >= 0, was " + slabs);
      }
      this.maxSlabsPerClass = slabs;
      return this;
    }

    /** At most this many bytes of free slabs retained across classes (default 128 MiB). */
    public Builder maxRetainedBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxRetainedBytes must be >= 0, was " + bytes);
      }
      this.maxRetainedBytes = bytes;
      return this;
    }

    /** The soft limit of every tenant without its own (default 256 MiB). */
    public Builder defaultSoftLimit(long bytes) {
      this.defaultSoftLimit = checkLimit("defaultSoftLimit", bytes);
      return this;
    }

    /** The soft limit of one tenant. */
    public Builder softLimit(String tenant, long bytes) {
      checkTenantName(Objects.requireNonNull(tenant, "tenant"));
      softLimits.put(tenant, checkLimit("soft limit of \"" + tenant + "\"", bytes));
      return this;
    }

    /** The hard limit of every tenant without its own (default: none). */
    public Builder defaultHardLimit(long bytes) {
      this.defaultHardLimit = checkLimit("defaultHardLimit", bytes);
      return this;
    }

    /** The hard limit of one tenant. */
    public Builder hardLimit(String tenant, long bytes) {
      checkTenantName(Objects.requireNonNull(tenant, "tenant"));
      hardLimits.put(tenant, checkLimit("hard limit of \"" + tenant + "\"", bytes));
      return this;
    }

    /**
     * At most this many tenants hold a slot in the pool at once (default: no cap). A tenant takes a
     * slot when memory is first billed to it; past the cap, a new tenant's first billing throws
     * {@link TooManyTenantsException} and allocates nothing. Slots come back only through {@link
     * #tenantIdleTimeout}.
     */
    public Builder maxTenants(int tenants) {
      if (tenants < 1) {
        throw new IllegalArgumentException("maxTenants must be >= 1, was " + tenants);
      }
      this.maxTenants = tenants;
      return this;
    }

    /**
     * How long a tenant that holds nothing (0 live, 0 borrowed bytes) and bills nothing keeps its
     * slot (default: forever). After that its record is dropped: its slot is free for another
     * tenant and its figures (soft-limit and hard-limit counters) leave the snapshot. Idle tenants
     * are looked for at each {@link #snapshot()} and, at most once per {@code min(timeout, 1 s)},
     * when a new tenant finds every slot taken; a tenant is never dropped before it has been idle
     * for the timeout, possibly some time after.
     */
    public Builder tenantIdleTimeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
        throw new IllegalArgumentException("tenantIdleTimeout must be >= 0, was " + timeout);
      }
      long nanos;
      try {
        nanos = timeout.toNanos();
      } catch (ArithmeticException tooLong) {
        nanos = TenantLedger.NEVER;
      }
      this.tenantIdleTimeoutNanos = nanos;
      return this;
    }

    /** Leak tracing (default: the system property {@value LeakTracing#PROPERTY}, else off). */
    public Builder leakTracing(LeakTracing mode) {
      this.leakTracing = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Registers the leak safety net for every storage (default: off). Off, every storage larger
     * than {@link PoolClass#MEDIUM} and every traced one is registered, but only one {@code SMALL}
     * storage in 64 and one {@code MEDIUM} storage in 16 per thread, because registering roughly
     * doubles the cost of those acquisitions (measured in the benchmarks' RESULTS.md); a storage
     * left unregistered that leaks is never reclaimed and stays billed to its tenant. On, every
     * leak is found, reclaimed and reported.
     */
    public Builder fullLeakReclamation(boolean on) {
      this.fullLeakReclamation = on;
      return this;
    }

    private static long checkLimit(String what, long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(what + " must be >= 0 bytes, was " + bytes);
      }
      return bytes;
    }

    /**
     * The pool.
     *
     * @throws IllegalArgumentException if {@value LeakTracing#PROPERTY} is set to an unknown value
     *     and no mode was given here
     */
    public SlabBufferPool build() {
      return new SlabBufferPool(this);
    }
  }
}
