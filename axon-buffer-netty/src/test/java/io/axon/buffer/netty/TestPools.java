package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferPool;
import io.axon.buffer.core.SlabBufferPool;

/** Real pools for the tests, and the check that their memory came back. */
final class TestPools {

  private TestPools() {}

  static SlabBufferPool newPool() {
    return SlabBufferPool.builder().name("netty-test").build();
  }

  /**
   * Waits (up to 10 s: parts and messages may be closed by other threads, connections close
   * asynchronously) until nothing taken from {@code pool} is live or borrowed, then asserts it.
   */
  static void awaitNoLiveBytes(BufferPool pool, String when) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline
        && (pool.snapshot().liveBytes() != 0 || pool.snapshot().borrowedBytes() != 0)) {
      Thread.sleep(10);
    }
    assertEquals(
        0, pool.snapshot().liveBytes(), () -> "live bytes after " + when + ": " + pool.snapshot());
    assertEquals(
        0,
        pool.snapshot().borrowedBytes(),
        () -> "borrowed bytes after " + when + ": " + pool.snapshot());
  }
}
