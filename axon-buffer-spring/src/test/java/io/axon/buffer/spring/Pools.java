package io.axon.buffer.spring;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.PoolAssertions;

/** Pools for the tests, and the check that a pool got every byte back. */
final class Pools {

  private Pools() {}

  /** A pool whose tenant "tiny" may hold 64 KiB at most, and every other tenant 64 MiB. */
  static SlabBufferPool newPool(String name) {
    return SlabBufferPool.builder()
        .name(name)
        .defaultHardLimit(64L << 20)
        .hardLimit("tiny", 64 << 10)
        .build();
  }

  /**
   * Waits (up to 10 s: the server releases a request's parts as its exchange ends, which may be
   * just after the client has the response) until {@code pool} has no live byte, then checks that
   * it found no leak either.
   */
  static void awaitClean(SlabBufferPool pool) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pool.snapshot().liveBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    PoolAssertions.assertClean(pool);
  }
}
