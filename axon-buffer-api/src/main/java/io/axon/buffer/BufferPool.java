package io.axon.buffer;

/**
 * A size-class slab pool with per-tenant accounting: the memory behind every {@link BufferMut} and
 * {@link ZeroCopyBuffer} of the library.
 *
 * <p>Requests are served from the {@link PoolClass} that fits them; each pooled class keeps a
 * bounded free list. Memory is billed to the tenant named at acquisition, and views inherit the
 * tag. Soft limits per tenant never block (they count {@link PoolSnapshot#softLimitExceeded()});
 * hard limits refuse with {@link TenantLimitExceededException} and allocate nothing. A pool may cap
 * how many tenants it bills at once ({@link TooManyTenantsException}). Memory the pool did not
 * allocate but bills (a host's buffer adopted without a copy) is reported apart, as {@link
 * PoolSnapshot#borrowedBytes()}.
 *
 * <p>The acquiring methods of {@link BufferAllocator} bill no tenant. Thread-safe.
 */
public interface BufferPool extends BufferAllocator, AutoCloseable {

  /**
   * The pool's name, for logs, leak reports and metrics (the {@code pool} tag of {@code
   * axon-buffer-micrometer}'s meters): what its user called it, or a name the implementation gave
   * it. Two pools reported side by side need different names.
   *
   * <p>The default returns the implementation's class name; implementations that are built with a
   * name return that name ({@code SlabBufferPool} does: the builder's name, or {@code pool-N}).
   *
   * @return a non-blank name
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * As {@link #acquire(int)}, billed to {@code tenant}.
   *
   * @param capacityHint the bytes the builder holds before it grows
   * @param tenant the tenant billed
   * @return a new empty builder
   * @throws IllegalArgumentException if {@code tenant} is not a valid tenant name (1-128 printable
   *     ASCII characters), or {@code capacityHint} is negative
   * @throws TenantLimitExceededException if the tenant's hard limit would be passed
   * @throws TooManyTenantsException if this is the tenant's first billing and the pool already
   *     bills as many tenants as it admits
   * @throws BufferAllocationException if the system has no memory for it
   */
  BufferMut acquire(int capacityHint, String tenant);

  /**
   * An allocator over this pool that bills {@code tenant}. Cheap: it bills nothing and takes no
   * tenant slot until it acquires; may be cached by the caller.
   *
   * @param tenant the tenant billed
   * @return an allocator for that tenant
   * @throws IllegalArgumentException if {@code tenant} is not a valid tenant name
   */
  BufferAllocator forTenant(String tenant);

  /**
   * Whether the pool hands out direct memory.
   *
   * @return true for direct (off-heap) memory, false for heap memory
   */
  boolean isDirect();

  /**
   * An immutable picture of the pool's counters, safe to take while other threads allocate. The
   * byte, slab and event counters (live and borrowed overall, per class and per tenant, retained,
   * allocated, hits, misses, limits, tenants) are read at one moment, so they agree with each
   * other: live plus retained is allocated, and the per-class and per-tenant figures add up. Two
   * figures are read beside that moment: {@link PoolSnapshot#pinnedUnusedBytes()}, a lower bound
   * walked just before it, and the leak counters, of which a leak being reclaimed at that instant
   * may already be counted while its bytes still count as live.
   *
   * @return the pool's figures now
   */
  PoolSnapshot snapshot();

  /**
   * Hands every retained (free, pooled) slab back to the system. Live and borrowed memory is not
   * touched.
   *
   * @return the bytes released
   */
  long trim();

  /**
   * Frees what the pool retains and stops retaining. Buffers still alive keep working and are
   * reported (count and bytes, with their allocation sites when leak tracing is on); their memory
   * is freed when they are closed. Idempotent.
   */
  @Override
  void close();
}
