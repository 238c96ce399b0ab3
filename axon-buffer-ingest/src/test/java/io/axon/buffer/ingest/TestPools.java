package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferPool;
import io.axon.buffer.core.SlabBufferPool;

/** Real pools for the tests (core's {@link SlabBufferPool}), and the no-leak check. */
final class TestPools {

  private TestPools() {}

  static SlabBufferPool newPool() {
    return SlabBufferPool.builder().name("ingest-test").build();
  }

  static SlabBufferPool newHeapPool() {
    return SlabBufferPool.builder().name("ingest-test-heap").direct(false).build();
  }

  /** Asserts that nothing taken from {@code pool} is still alive. */
  static void assertNoLiveBytes(BufferPool pool, String when) {
    assertEquals(
        0,
        pool.snapshot().liveBytes(),
        () -> "pool live bytes after " + when + ": " + pool.snapshot());
  }
}
