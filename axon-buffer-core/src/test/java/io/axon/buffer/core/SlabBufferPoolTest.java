package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlabBufferPoolTest {

  @Test
  void classBoundariesAreExact() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      int[] sizes = {4096, 4097, 65536, 65537, 1 << 20, (1 << 20) + 1, 10 << 20, (10 << 20) + 1};
      PoolClass[] expected = {
        PoolClass.SMALL,
        PoolClass.MEDIUM,
        PoolClass.MEDIUM,
        PoolClass.LARGE,
        PoolClass.LARGE,
        PoolClass.HUGE,
        PoolClass.HUGE,
        PoolClass.OVERSIZE
      };
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < sizes.length; i++) {
        BufferMut m = pool.acquire(sizes[i]);
        held.add(m);
        assertEquals(expected[i], PoolClass.forCapacity(m.capacity()), "hint " + sizes[i]);
      }
      PoolSnapshot s = pool.snapshot();
      assertEquals(1, s.of(PoolClass.SMALL).leasedSlabs());
      assertEquals(2, s.of(PoolClass.MEDIUM).leasedSlabs());
      assertEquals(2, s.of(PoolClass.LARGE).leasedSlabs());
      assertEquals(2, s.of(PoolClass.HUGE).leasedSlabs());
      assertEquals(1, s.of(PoolClass.OVERSIZE).leasedSlabs());
      assertEquals((10 << 20) + 1, s.of(PoolClass.OVERSIZE).leasedBytes(), "exact size");
      assertEquals(
          4096 + 2 * 65536 + 2 * (1 << 20) + 2 * (10 << 20) + (10 << 20) + 1, s.liveBytes());
      held.forEach(BufferMut::close);
    }
  }

  @Test
  void oversizeIsNeverPooled() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      for (int i = 0; i < 3; i++) {
        pool.acquire((10 << 20) + 1).close();
      }
      PoolSnapshot s = pool.snapshot();
      assertEquals(3, s.oversizeAllocations());
      assertEquals(3, s.of(PoolClass.OVERSIZE).misses());
      assertEquals(0, s.of(PoolClass.OVERSIZE).hits());
      assertEquals(0, s.of(PoolClass.OVERSIZE).retainedSlabs());
      assertEquals(0, s.allocatedBytes());
      assertEquals(3L * ((10 << 20) + 1), s.totalAllocatedBytes());
    }
  }

  @Test
  void hitsAndMissesPerClass() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      pool.acquire(65536).close();
      pool.acquire(65536).close();
      BufferMut a = pool.acquire(65536);
      BufferMut b = pool.acquire(65536);
      PoolSnapshot s = pool.snapshot();
      assertEquals(2, s.of(PoolClass.MEDIUM).misses(), "first and fourth acquisitions missed");
      assertEquals(2, s.of(PoolClass.MEDIUM).hits());
      assertEquals(2, s.of(PoolClass.MEDIUM).leasedSlabs());
      assertEquals(2 * 65536, s.of(PoolClass.MEDIUM).leasedBytes());
      a.close();
      b.close();
      // A small miss carves a chunk: one allocation serves the next 15 acquisitions as hits.
      List<BufferMut> small = new ArrayList<>();
      for (int i = 0; i < SlabCache.SMALL_SLABS_PER_CHUNK; i++) {
        small.add(pool.acquire(1));
      }
      s = pool.snapshot();
      assertEquals(1, s.of(PoolClass.SMALL).misses());
      assertEquals(SlabCache.SMALL_SLABS_PER_CHUNK - 1, s.of(PoolClass.SMALL).hits());
      assertEquals(4096L * SlabCache.SMALL_SLABS_PER_CHUNK + 2 * 65536, s.totalAllocatedBytes());
      small.forEach(BufferMut::close);
    }
  }

  @Test
  void freeListsAreBoundedByCount() {
    try (SlabBufferPool pool = SlabBufferPool.builder().maxSlabsPerClass(4).build()) {
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(pool.acquire(65536));
      }
      held.forEach(BufferMut::close);
      PoolSnapshot s = pool.snapshot();
      assertEquals(4, s.of(PoolClass.MEDIUM).retainedSlabs());
      assertEquals(4 * 65536, s.of(PoolClass.MEDIUM).retainedBytes());
      assertEquals(4 * 65536, s.allocatedBytes(), "the other six were dropped");
      assertEquals(0, s.liveBytes());
    }
    try (SlabBufferPool none = SlabBufferPool.builder().maxSlabsPerClass(0).build()) {
      none.acquire(10).close();
      none.acquire(10).close();
      PoolSnapshot s = none.snapshot();
      assertEquals(0, s.retainedBytes());
      assertEquals(2, s.of(PoolClass.SMALL).misses(), "nothing retained, nothing hit");
      assertEquals(2 * 4096, s.totalAllocatedBytes(), "no chunk carved when nothing can be kept");
    }
  }

  @Test
  void freeListsAreBoundedByRetainedBytes() {
    try (SlabBufferPool pool = SlabBufferPool.builder().maxRetainedBytes(3 * 65536 + 100).build()) {
      List<BufferMut> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(pool.acquire(65536));
      }
      held.add(pool.acquire(1 << 20));
      held.forEach(BufferMut::close);
      PoolSnapshot s = pool.snapshot();
      assertEquals(3, s.of(PoolClass.MEDIUM).retainedSlabs());
      assertEquals(0, s.of(PoolClass.LARGE).retainedSlabs(), "a LARGE slab does not fit the bound");
      assertTrue(s.retainedBytes() <= 3 * 65536 + 100);
      assertEquals(s.retainedBytes(), s.allocatedBytes());
    }
  }

  @Test
  void directByDefaultHeapOnRequest() {
    try (SlabBufferPool direct = SlabBufferPool.create();
        SlabBufferPool heap = SlabBufferPool.builder().direct(false).build()) {
      assertTrue(direct.isDirect());
      assertFalse(heap.isDirect());
      assertTrue(direct.snapshot().direct());
      assertFalse(heap.snapshot().direct());
      for (int size : new int[] {10, 5000, 100_000, 2 << 20, (10 << 20) + 1}) {
        try (BufferMut d = direct.acquire(size);
            BufferMut h = heap.acquire(size)) {
          d.append((byte) 1);
          h.append((byte) 1);
          try (ZeroCopyBuffer dv = d.freeze();
              ZeroCopyBuffer hv = h.freeze()) {
            assertTrue(dv.asReadOnlyByteBuffer().isDirect(), "size " + size);
            assertFalse(hv.asReadOnlyByteBuffer().isDirect(), "size " + size);
          }
        }
      }
    }
  }

  @Test
  void trimHandsRetainedMemoryBack() {
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      List<BufferMut> held = new ArrayList<>();
      for (PoolClass c : PoolClass.pooled()) {
        for (int i = 0; i < 3; i++) {
          held.add(pool.acquire(c.slabBytes()));
        }
      }
      BufferMut kept = pool.acquire(100);
      held.forEach(BufferMut::close);
      PoolSnapshot before = pool.snapshot();
      assertTrue(before.retainedBytes() > 0);
      long released = pool.trim();
      PoolSnapshot after = pool.snapshot();
      assertEquals(before.retainedBytes(), released);
      assertEquals(0, after.retainedBytes());
      for (PoolClass c : PoolClass.values()) {
        assertEquals(0, after.of(c).retainedSlabs(), c.name());
      }
      assertEquals(4096, after.liveBytes(), "live memory is not touched");
      assertEquals(4096, after.allocatedBytes());
      assertEquals(0, pool.trim(), "nothing left to trim");
      kept.close();
      // The pool keeps working after a trim.
      pool.acquire(65536).close();
      assertEquals(65536, pool.snapshot().retainedBytes() - 4096);
    }
  }

  @Test
  void closeFreesWhatItRetainsAndKeepsLiveBuffersWorking() {
    SlabBufferPool pool = SlabBufferPool.builder().name("closing").build();
    pool.acquire(65536).close();
    BufferMut m = pool.acquire(10, "t");
    m.append((byte) 5);
    ZeroCopyBuffer v = m.freeze();
    pool.close();
    pool.close();
    assertTrue(pool.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.acquire(1));
    assertTrue(e.getMessage().contains("closing"), e.getMessage());
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.retainedBytes());
    assertEquals(4096, s.liveBytes());
    assertEquals(5, v.get(0), "alive buffers keep working");
    try (ZeroCopyBuffer c = v.compact()) {
      assertEquals(5, c.get(0), "compact falls back to the heap");
    }
    v.close();
    s = pool.snapshot();
    assertEquals(0, s.liveBytes());
    assertEquals(0, s.retainedBytes(), "released after close: dropped, not retained");
    assertEquals(0, s.allocatedBytes());
  }

  @Test
  void builderRefusesBadValuesNamingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SlabBufferPool.builder().maxSlabsPerClass(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SlabBufferPool.builder().maxRetainedBytes(-5));
    assertTrue(e.getMessage().contains("-5"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SlabBufferPool.builder().softLimit("a", -2));
    assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("\"a\""), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SlabBufferPool.builder().hardLimit("", 1));
    assertTrue(e.getMessage().contains("\"\""), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SlabBufferPool.builder().name(" "));
    assertTrue(e.getMessage().contains("\" \""), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LeakTracing.parse("sometimes"));
    assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
    assertEquals(LeakTracing.SAMPLED, LeakTracing.parse(" Sampled "));
  }

  @Test
  void theBuildRunsEveryTestWithLeakTracingOn() {
    // surefire and failsafe set axon.buffer.leakTracing=all, so that leak reports name their site
    // (LeakTest checks how the property and the builder choose the mode).
    assertEquals("all", System.getProperty(LeakTracing.PROPERTY));
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      assertEquals(LeakTracing.ALL, pool.leakTracing());
    }
  }
}
