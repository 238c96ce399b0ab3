package io.axon.buffer.core;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The allocator {@link SlabBufferPool#forTenant} hands out: it bills one tenant of one pool. Cheap
 * to create (it checks the name and holds it): the tenant takes a slot in the pool only when memory
 * is first billed to it, and the allocator then keeps the tenant's record, asking the pool for the
 * new one if the old was evicted while idle.
 *
 * <p>What it does not do: it holds no memory and no budget; the pool bills and leases.
 *
 * <p>Threading: thread-safe; the cached record is a benign race (every thread finds the same live
 * record, or admits it again).
 */
final class TenantAllocator implements BufferAllocator {

  final SlabBufferPool pool;
  final String name;
  private final Optional<String> optionalName;
  private volatile Tenant record;

  /**
   * @throws IllegalArgumentException if {@code name} is not a valid tenant name
   */
  TenantAllocator(SlabBufferPool pool, String name) {
    TenantLedger.checkName(name);
    this.pool = pool;
    this.name = name;
    this.optionalName = Optional.of(name);
  }

  /**
   * The tenant's live record, admitting the tenant if it has none.
   *
   * @throws io.axon.buffer.TooManyTenantsException if it has none and the pool admits no more
   */
  Tenant record() {
    Tenant t = record;
    if (t == null || t.isEvicted()) {
      t = pool.admit(name);
      record = t;
    }
    return t;
  }

  @Override
  public BufferMut acquire(int capacityHint) {
    return pool.acquireFor(capacityHint, this);
  }

  @Override
  public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {
    return Buffers.adopt(kind, pieces, release, bytes -> pool.borrowing(this, bytes));
  }

  @Override
  public Optional<String> tenant() {
    return optionalName;
  }

  @Override
  public String toString() {
    return "BufferAllocator[pool=" + pool.name() + ", tenant=" + name + "]";
  }
}
