package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.PoolClass;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared part of one size class: the free list every thread falls back on when its magazine is
 * empty or full, the slab permits that bound what the class retains, and the class's allocation
 * counters.
 *
 * <p>Bounds: a retained slab always holds a permit, both of the class ({@code maxSlabsPerClass},
 * counted here) and of the pool's retained bytes ({@code maxRetainedBytes}, counted by {@link
 * SlabCache}). A slab in the free list holds its own; a thread's magazine reserves permits for its
 * slots in advance ("credit", at most half of each bound across all magazines, so that the free
 * list always has room to move slabs between threads).
 *
 * <p>What it does not do: it never allocates or drops memory, and never touches a magazine or the
 * pool's byte permits; {@link SlabCache} composes those.
 *
 * <p>Threading: every mutable field is guarded by {@link #lock}; methods that touch them require it
 * held.
 */
final class ClassPool {

  final PoolClass poolClass;
  final int ordinal;
  final int slabBytes;
  final int magazineSize;
  final int maxMagazineCredit;
  final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private Slab[] free = new Slab[0];

  @GuardedBy("lock")
  private int freeCount;

  /** Slab permits held by nobody. */
  @GuardedBy("lock")
  private int freePermits;

  /** Slab permits reserved by magazines (at most {@link #maxMagazineCredit}). */
  @GuardedBy("lock")
  private int magazineCredit;

  /** Bytes of the slabs of this class leased or retained (exact sizes for OVERSIZE). */
  @GuardedBy("lock")
  private long allocatedBytes;

  /** Bytes obtained from the system for this class since the pool was created. */
  @GuardedBy("lock")
  private long totalAllocatedBytes;

  ClassPool(PoolClass poolClass, int maxSlabs, int magazineSize) {
    this.poolClass = poolClass;
    this.ordinal = poolClass.ordinal();
    this.slabBytes = poolClass.isPooled() ? poolClass.slabBytes() : 0;
    this.freePermits = poolClass.isPooled() ? maxSlabs : 0;
    this.maxMagazineCredit = maxSlabs / 2;
    this.magazineSize = Math.min(magazineSize, maxMagazineCredit);
  }

  /** Appends a slab to the free list; the caller took its permit. */
  @GuardedBy("lock")
  void addFree(Slab slab) {
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, Math.max(8, free.length * 2));
    }
    free[freeCount++] = slab;
  }

  /** Removes the most recently freed slab, or returns null; its permit goes back to the class. */
  @GuardedBy("lock")
  Slab takeFree() {
    if (freeCount == 0) {
      return null;
    }
    Slab s = free[--freeCount];
    free[freeCount] = null;
    freePermits++;
    return s;
  }

  @GuardedBy("lock")
  int freeCount() {
    return freeCount;
  }

  /** Forgets the (empty) free list's array, so that a trimmed class holds none. */
  @GuardedBy("lock")
  void forgetFreeList() {
    free = new Slab[0];
  }

  /** Free slab permits (what the class may still retain beyond its free list and credit). */
  @GuardedBy("lock")
  int freePermits() {
    return freePermits;
  }

  /** Takes one slab permit (the caller checked {@link #freePermits()}). */
  @GuardedBy("lock")
  void takePermit() {
    freePermits--;
  }

  /** True if a magazine may reserve one more slot: a free permit and credit below its bound. */
  @GuardedBy("lock")
  boolean mayGrantCredit() {
    return magazineCredit < maxMagazineCredit && freePermits > 0;
  }

  /** Moves one permit to a magazine's credit. */
  @GuardedBy("lock")
  void grantCredit() {
    freePermits--;
    magazineCredit++;
  }

  /** Takes back {@code credit} permits a magazine gave up. */
  @GuardedBy("lock")
  void returnCredit(int credit) {
    freePermits += credit;
    magazineCredit -= credit;
  }

  /**
   * {@code bytes} more of this class are leased or retained (a miss, counted before allocating).
   */
  @GuardedBy("lock")
  void addAllocated(long bytes) {
    allocatedBytes += bytes;
  }

  @GuardedBy("lock")
  long allocatedBytes() {
    return allocatedBytes;
  }

  /** {@code bytes} were obtained from the system. */
  @GuardedBy("lock")
  void addSystemAllocation(long bytes) {
    totalAllocatedBytes += bytes;
  }

  @GuardedBy("lock")
  long totalAllocatedBytes() {
    return totalAllocatedBytes;
  }
}
