package io.axon.buffer;

import java.util.Optional;

/**
 * Hands out {@link BufferMut} builders over pooled memory, billed to one tenant (or to none).
 * Parsers and transcoders take an allocator rather than a pool, so that whoever calls them decides
 * who pays: {@code pool.forTenant("acme")}.
 *
 * <p>Thread-safe.
 */
public interface BufferAllocator {

  /**
   * A new empty builder able to hold at least {@code capacityHint} bytes before growing; the hint
   * picks the {@link PoolClass} (0 picks {@link PoolClass#SMALL}).
   *
   * @throws IllegalArgumentException if {@code capacityHint} is negative
   * @throws TenantLimitExceededException if the tenant's hard limit would be passed (nothing is
   *     allocated)
   * @throws BufferAllocationException if the system has no memory for it
   */
  BufferMut acquire(int capacityHint);

  /** The tenant this allocator bills, if any. */
  Optional<String> tenant();
}
