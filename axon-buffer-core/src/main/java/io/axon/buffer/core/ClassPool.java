package io.axon.buffer.core;

import io.axon.buffer.PoolClass;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared part of one size class: the free list every thread falls back on when its magazine is
 * empty or full, the permits that bound what the class retains, and the class's allocation
 * counters. All fields are guarded by {@link #lock}.
 *
 * <p>Bounds: a retained slab always holds a permit, both of the class ({@code maxSlabsPerClass})
 * and of the pool's retained bytes ({@code maxRetainedBytes}). A slab in the shared list holds its
 * own; a thread's magazine reserves permits for its slots in advance ("credit", at most half of
 * each bound across all magazines, so the shared list always has room to move slabs between
 * threads), which is what lets a thread push and pop without touching anything shared.
 */
final class ClassPool {

  final int ordinal;
  final int slabBytes;
  final int magazineSize;
  final ReentrantLock lock = new ReentrantLock();

  Slab[] free = new Slab[0];
  int freeCount;

  /** Slab permits held by nobody. */
  int freePermits;

  /** Slab permits reserved by magazines (at most half of the bound). */
  int magazineCredit;

  final int maxMagazineCredit;

  /** Bytes of the slabs of this class leased or retained (exact sizes for OVERSIZE). */
  long allocatedBytes;

  /** Bytes obtained from the system for this class since the pool was created. */
  long totalAllocatedBytes;

  ClassPool(PoolClass poolClass, int maxSlabs, int magazineSize) {
    this.ordinal = poolClass.ordinal();
    this.slabBytes = poolClass.isPooled() ? poolClass.slabBytes() : 0;
    this.freePermits = poolClass.isPooled() ? maxSlabs : 0;
    this.maxMagazineCredit = maxSlabs / 2;
    this.magazineSize = Math.min(magazineSize, maxMagazineCredit);
  }

  /** Appends a slab to the shared list; the caller took its permit. Lock held. */
  void addFree(Slab slab) {
    if (freeCount == free.length) {
      free = java.util.Arrays.copyOf(free, Math.max(8, free.length * 2));
    }
    free[freeCount++] = slab;
  }

  /** Removes the most recently freed slab from the shared list (its permit is the caller's). */
  Slab takeFree() {
    Slab s = free[--freeCount];
    free[freeCount] = null;
    return s;
  }
}
