package io.axon.buffer.reliability;

import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.PoolAssertions;

/**
 * The pool every fuzz target allocates from: one per JVM (a pool per input would spend the run
 * creating pools), billed to one tenant, checked after every input for live bytes, per tenant and
 * overall. Leak tracing is off for speed; the regression run's {@code LeakGuard} still finds
 * dropped buffers through the safety net.
 */
final class FuzzPools {

  static final String TENANT = "fuzz";

  static final SlabBufferPool POOL =
      SlabBufferPool.builder().name("fuzz").leakTracing(LeakTracing.OFF).build();

  private FuzzPools() {}

  /** A fresh recording allocator over the fuzz tenant. */
  static RecordingAllocator allocator() {
    return new RecordingAllocator(POOL.forTenant(TENANT));
  }

  /** Fails unless every buffer of the input went back: live bytes 0, for the tenant and overall. */
  static void assertNothingLive(String when) {
    PoolSnapshot s = POOL.snapshot();
    if (s.liveBytes() != 0 || s.liveBytes(TENANT) != 0) {
      throw new AssertionError("after " + when + ": " + PoolAssertions.describeLive(s));
    }
  }
}
