package io.axon.buffer.netty;

import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolSnapshot;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.Objects;

/**
 * A pool's memory figures where Netty users look for an allocator's: Netty's {@link
 * ByteBufAllocatorMetric}, through {@link ByteBufAllocatorMetricProvider} (the interface that
 * Micrometer's {@code NettyAllocatorMetrics} and Reactor Netty's allocator metrics read).
 *
 * <h2>The mapping</h2>
 *
 * Netty's "used memory" of a pooled allocator is what its arenas hold from the system (the sum of
 * their chunks, free space in them included), not what live buffers hold. The honest counterpart in
 * a {@link PoolSnapshot} is therefore {@link PoolSnapshot#allocatedBytes()} (live plus retained),
 * not {@link PoolSnapshot#liveBytes()}:
 *
 * <table class="striped">
 *   <caption>Netty's figures and the snapshot's</caption>
 *   <thead><tr><th>Netty</th><th>here</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code usedDirectMemory()}</td>
 *         <td>{@code allocatedBytes()} of a direct pool; 0 for a heap pool</td></tr>
 *     <tr><td>{@code usedHeapMemory()}</td>
 *         <td>{@code allocatedBytes()} of a heap pool; 0 for a direct pool</td></tr>
 *     <tr><td>{@code PooledByteBufAllocator.pinnedDirectMemory()} / {@code pinnedHeapMemory()}
 *             (live buffers)</td>
 *         <td>{@link #pinnedDirectMemory()} / {@link #pinnedHeapMemory()}: {@code
 *             liveBytes()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Borrowed bytes (a Netty buffer adopted as a view) are in neither: that memory is Netty's, and
 * Netty's own allocator reports it. Per-tenant figures have no Netty counterpart: read them from
 * {@link #snapshot()}.
 *
 * <p>Cost: every figure takes a {@link BufferPool#snapshot()}, which briefly stops the pool's
 * threads; a scrape that reads several figures should read them from one {@link #snapshot()}.
 * Thread-safe.
 */
public final class PoolAllocatorMetric
    implements ByteBufAllocatorMetric, ByteBufAllocatorMetricProvider {

  private final BufferPool pool;

  /**
   * The figures of {@code pool}.
   *
   * @param pool the pool to report
   */
  public PoolAllocatorMetric(BufferPool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  /** {@return this object: it is its own metric} */
  @Override
  public ByteBufAllocatorMetric metric() {
    return this;
  }

  /** {@return a snapshot of the pool's figures, all taken at once} */
  public PoolSnapshot snapshot() {
    return pool.snapshot();
  }

  /** {@return the heap memory the pool holds from the system (0 for a direct pool)} */
  @Override
  public long usedHeapMemory() {
    PoolSnapshot s = pool.snapshot();
    return s.direct() ? 0 : s.allocatedBytes();
  }

  /** {@return the direct memory the pool holds from the system (0 for a heap pool)} */
  @Override
  public long usedDirectMemory() {
    PoolSnapshot s = pool.snapshot();
    return s.direct() ? s.allocatedBytes() : 0;
  }

  /** {@return the heap memory held by live buffers and views (0 for a direct pool)} */
  public long pinnedHeapMemory() {
    PoolSnapshot s = pool.snapshot();
    return s.direct() ? 0 : s.liveBytes();
  }

  /** {@return the direct memory held by live buffers and views (0 for a heap pool)} */
  public long pinnedDirectMemory() {
    PoolSnapshot s = pool.snapshot();
    return s.direct() ? s.liveBytes() : 0;
  }

  @Override
  public String toString() {
    PoolSnapshot s = pool.snapshot();
    return "PoolAllocatorMetric(direct: "
        + s.direct()
        + "; usedMemory: "
        + s.allocatedBytes()
        + "; pinnedMemory: "
        + s.liveBytes()
        + "; borrowed: "
        + s.borrowedBytes()
        + "; tenants: "
        + s.tenants()
        + ")";
  }
}
