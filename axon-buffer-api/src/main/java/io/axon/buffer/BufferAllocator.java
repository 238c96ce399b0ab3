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
   * @param capacityHint the bytes the builder holds before it grows
   * @return a new empty builder
   * @throws IllegalArgumentException if {@code capacityHint} is negative
   * @throws TenantLimitExceededException if the tenant's hard limit would be passed (nothing is
   *     allocated)
   * @throws TooManyTenantsException if this is the tenant's first billing and its pool already
   *     bills as many tenants as it admits (nothing is allocated)
   * @throws BufferAllocationException if the system has no memory for it
   */
  BufferMut acquire(int capacityHint);

  /**
   * The tenant this allocator bills.
   *
   * @return the tenant's name, or empty for an allocator that bills nobody
   */
  Optional<String> tenant();
}
