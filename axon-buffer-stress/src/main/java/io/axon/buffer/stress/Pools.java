package io.axon.buffer.stress;

import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;

/**
 * The pools the proofs run against, one per configuration, shared by every state of a test (a pool
 * per state would measure pool creation, not the races).
 */
final class Pools {

  private Pools() {}

  /** The default configuration: direct memory, per-thread magazines in front of shared lists. */
  static final SlabBufferPool DEFAULT =
      SlabBufferPool.builder().name("stress-default").leakTracing(LeakTracing.OFF).build();

  /**
   * No magazines: one free slab per class at most, in the shared list, so every release and every
   * acquisition goes through it and a slab released by one thread is the next one another thread
   * takes.
   */
  static final SlabBufferPool SHARED_LIST_ONLY =
      SlabBufferPool.builder()
          .name("stress-shared-list")
          .maxSlabsPerClass(1)
          .leakTracing(LeakTracing.OFF)
          .build();

  /** Heap memory (array-backed reads take other code paths than direct ones). */
  static final SlabBufferPool HEAP =
      SlabBufferPool.builder()
          .name("stress-heap")
          .direct(false)
          .leakTracing(LeakTracing.OFF)
          .build();
}
