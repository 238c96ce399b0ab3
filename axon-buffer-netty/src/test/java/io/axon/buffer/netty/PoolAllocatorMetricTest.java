package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;

/** The pool's figures through Netty's allocator metric: "used" is allocated, "pinned" is live. */
class PoolAllocatorMetricTest {

  @Test
  void usedMemoryIsWhatThePoolHoldsFromTheSystemAndPinnedIsWhatLiveBuffersHold() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      ByteBufAllocatorMetricProvider provider = new PoolAllocatorMetric(pool);
      PoolAllocatorMetric metric = (PoolAllocatorMetric) provider.metric();
      assertSame(provider, metric);
      assertEquals(0, metric.usedDirectMemory());
      BufferMut held = pool.forTenant("a").acquire(100_000);
      BufferMut dropped = pool.forTenant("a").acquire(100_000);
      dropped.close(); // back to the free list: still allocated, no longer live
      PoolSnapshot s = pool.snapshot();
      assertTrue(s.retainedBytes() > 0, s.toString());
      assertEquals(s.allocatedBytes(), metric.usedDirectMemory(), "Netty's used = allocated");
      assertEquals(s.liveBytes(), metric.pinnedDirectMemory(), "Netty's pinned = live");
      assertTrue(metric.usedDirectMemory() > metric.pinnedDirectMemory());
      assertEquals(0, metric.usedHeapMemory());
      assertEquals(0, metric.pinnedHeapMemory());
      held.close();
      assertEquals(0, metric.pinnedDirectMemory());
    }
  }

  @Test
  void aHeapPoolReportsHeapMemory() {
    try (SlabBufferPool pool = SlabBufferPool.builder().direct(false).build()) {
      PoolAllocatorMetric metric = new PoolAllocatorMetric(pool);
      try (BufferMut held = pool.acquire(5000)) {
        assertEquals(pool.snapshot().allocatedBytes(), metric.usedHeapMemory());
        assertEquals(held.capacity(), metric.pinnedHeapMemory());
        assertEquals(0, metric.usedDirectMemory());
      }
    }
  }
}
