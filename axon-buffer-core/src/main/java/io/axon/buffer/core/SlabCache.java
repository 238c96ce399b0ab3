package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical memory of a pool: the slabs it leases, keeps and drops. A request is served from the
 * calling thread's {@link Magazines}, else the class's shared free list ({@link ClassPool}), else
 * the system; small slabs are carved {@value #SMALL_SLABS_PER_CHUNK} at a time out of one
 * allocation. A released slab goes to the releasing thread's magazine, else the free list, else it
 * is dropped (the garbage collector frees it with its last {@link ByteBuffer}).
 *
 * <p>Bounds: each pooled class retains at most {@code maxSlabsPerClass} free slabs and the pool at
 * most {@code maxRetainedBytes} across classes, every retained slab holding a permit of both (the
 * byte permits are counted here, the slab permits in {@link ClassPool}). Magazines reserve their
 * permits in advance as credit, at most half of each bound across all threads.
 *
 * <p>What it does not do: it bills no tenant, registers no leak safety net, and keeps no thread
 * state of its own: the magazines and counters it works on belong to the caller's {@link Stripe}.
 *
 * <p>Threading: methods marked {@code @GuardedBy("s")} run under the lock of the stripe they are
 * given and take class locks inside it (stripe before class, one class at a time); {@link
 * #allocate} runs with no lock while it asks the system for memory. Byte permits are atomic.
 */
final class SlabCache {

  /** Small slabs carved out of one allocation, at most. */
  static final int SMALL_SLABS_PER_CHUNK = 16;

  /** Magazine slots per pooled class (before the bound of half the class's slabs). */
  private static final int[] MAGAZINE_SIZES = {16, 8, 2, 0};

  private static final int OVERSIZE = PoolClass.OVERSIZE.ordinal();
  private static final int SMALL = PoolClass.SMALL.ordinal();

  private final boolean direct;
  private final long maxRetainedBytes;
  private final ClassPool[] classes = new ClassPool[PoolCounters.CLASSES];

  /** Retained-byte permits held by nobody. */
  private final AtomicLong freeBytePermits;

  /** Bytes of magazine credit across all threads (at most half of {@link #maxRetainedBytes}). */
  private final AtomicLong magazineBytes = new AtomicLong();

  private volatile boolean retaining = true;

  SlabCache(boolean direct, int maxSlabsPerClass, long maxRetainedBytes) {
    this.direct = direct;
    this.maxRetainedBytes = maxRetainedBytes;
    this.freeBytePermits = new AtomicLong(maxRetainedBytes);
    for (PoolClass c : PoolClass.values()) {
      classes[c.ordinal()] =
          new ClassPool(c, maxSlabsPerClass, c.isPooled() ? MAGAZINE_SIZES[c.ordinal()] : 0);
    }
  }

  boolean isDirect() {
    return direct;
  }

  // =================================================================== leasing

  /**
   * Leases a slab of class {@code cls} ({@code capacity} bytes: the class's size, or the request's
   * for {@link PoolClass#OVERSIZE}) from the thread's magazine or the free list, counting a hit; or
   * counts a miss (the bytes reserved as allocated) and returns null: the caller then calls {@link
   * #allocate} with no lock held, or {@link #undoMiss} if it gives up.
   */
  @GuardedBy("s")
  Slab take(Stripe s, PoolClass cls, int capacity) {
    int c = cls.ordinal();
    if (c != OVERSIZE) {
      Slab slab = s.magazines.pop(c);
      if (slab == null) {
        slab = takeShared(s.magazines, classes[c]);
      }
      if (slab != null) {
        s.counters.hit(c, capacity);
        slab.memory.clear();
        return slab;
      }
    }
    s.counters.miss(c, capacity);
    ClassPool cp = classes[c];
    cp.lock.lock();
    try {
      cp.addAllocated(capacity);
    } finally {
      cp.lock.unlock();
    }
    return null;
  }

  /** Undoes the lease counted by a miss whose allocation failed (the miss stays counted). */
  @GuardedBy("s")
  void undoMiss(Stripe s, PoolClass cls, int capacity) {
    s.counters.returned(cls.ordinal(), capacity);
    ClassPool cp = classes[cls.ordinal()];
    cp.lock.lock();
    try {
      cp.addAllocated(-capacity);
    } finally {
      cp.lock.unlock();
    }
  }

  /**
   * Allocates from the system the slab of a miss {@link #take} counted; no lock held. Small slabs
   * come in a chunk: the extras go to the thread's magazine or the free list.
   *
   * @throws BufferAllocationException if the system has no memory (the miss's lease is not undone:
   *     call {@link #undoMiss})
   */
  Slab allocate(Stripe s, PoolClass cls, int capacity) {
    int c = cls.ordinal();
    ClassPool cp = classes[c];
    int carve = c == SMALL && retaining ? carveCount(s, cp, capacity) : 1;
    ByteBuffer memory;
    try {
      try {
        memory = allocateMemory(capacity * carve);
      } catch (OutOfMemoryError chunkRefused) {
        if (carve == 1) {
          throw chunkRefused;
        }
        // Near exhaustion the chunk may not fit where the one slab asked for does.
        carve = 1;
        memory = allocateMemory(capacity);
      }
    } catch (OutOfMemoryError e) {
      throw new BufferAllocationException(
          capacity,
          "could not allocate "
              + capacity * (long) carve
              + " bytes of "
              + (direct ? "direct" : "heap")
              + " memory for a "
              + cls
              + " buffer of "
              + capacity
              + " bytes: "
              + e.getMessage(),
          e);
    }
    if (carve == 1) {
      cp.lock.lock();
      try {
        cp.addSystemAllocation(capacity);
      } finally {
        cp.lock.unlock();
      }
      return new Slab(memory, cls);
    }
    Slab first = new Slab(memory.slice(0, capacity), cls);
    s.lock();
    try {
      keepCarved(s.magazines, cp, memory, capacity, carve);
    } finally {
      s.unlock();
    }
    return first;
  }

  private ByteBuffer allocateMemory(int bytes) {
    return direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
  }

  /** Retains the slabs carved after the first (caller holds the stripe lock of {@code m}). */
  private void keepCarved(Magazines m, ClassPool cp, ByteBuffer memory, int capacity, int carve) {
    cp.lock.lock();
    try {
      cp.addSystemAllocation((long) capacity * carve);
      for (int i = 1; i < carve; i++) {
        Slab extra = new Slab(memory.slice(i * capacity, capacity), cp.poolClass);
        if (!retain(m, cp, extra, true)) {
          break;
        }
        cp.addAllocated(capacity);
      }
    } finally {
      cp.lock.unlock();
    }
  }

  /**
   * How many small slabs to carve out of one allocation: the one asked for plus as many as the pool
   * can retain right now (magazine room, class and byte permits), at most {@value
   * #SMALL_SLABS_PER_CHUNK}. Carving more would be waste twice over: the extras are dropped, and
   * the slab handed out still keeps the whole chunk reachable (16 times its size when the pool
   * retains little, e.g. {@code maxSlabsPerClass(1)}).
   */
  private int carveCount(Stripe s, ClassPool cp, int capacity) {
    s.lock();
    try {
      int room = s.magazines.room(cp.ordinal);
      cp.lock.lock();
      try {
        long more = room + Math.min(cp.freePermits(), freeBytePermits.get() / capacity);
        return (int) Math.min(SMALL_SLABS_PER_CHUNK, 1 + more);
      } finally {
        cp.lock.unlock();
      }
    } finally {
      s.unlock();
    }
  }

  /**
   * Takes a slab from the free list, moving more into the magazine while it has room; null if the
   * list is empty. The caller holds the stripe lock of {@code m}.
   */
  private Slab takeShared(Magazines m, ClassPool cp) {
    cp.lock.lock();
    try {
      if (cp.freeCount() == 0) {
        return null;
      }
      int c = cp.ordinal;
      reserveCredit(m, cp);
      Slab first = cp.takeFree();
      freeBytePermits.addAndGet(cp.slabBytes);
      while (cp.freeCount() > 0 && m.hasRoom(c) && m.count(c) < m.credit(c) / 2 + 1) {
        m.push(c, cp.takeFree());
        freeBytePermits.addAndGet(cp.slabBytes);
      }
      return first;
    } finally {
      cp.lock.unlock();
    }
  }

  /** Grows the magazine's credit for a class towards its size (stripe lock of {@code m} held). */
  @GuardedBy("cp.lock")
  private void reserveCredit(Magazines m, ClassPool cp) {
    int c = cp.ordinal;
    while (m.credit(c) < cp.magazineSize
        && cp.mayGrantCredit()
        && magazineBytes.get() + cp.slabBytes <= maxRetainedBytes / 2
        && takeBytePermit(cp.slabBytes)) {
      cp.grantCredit();
      magazineBytes.addAndGet(cp.slabBytes);
      m.addCredit(c);
    }
  }

  private boolean takeBytePermit(long bytes) {
    for (; ; ) {
      long free = freeBytePermits.get();
      if (free < bytes) {
        return false;
      }
      if (freeBytePermits.compareAndSet(free, free - bytes)) {
        return true;
      }
    }
  }

  /**
   * Keeps a free slab if the bounds allow: in the magazine ({@code mayGrowCredit}), else the free
   * list. Returns false if it must be dropped. The stripe lock of {@code m} is held.
   */
  @GuardedBy("cp.lock")
  private boolean retain(Magazines m, ClassPool cp, Slab slab, boolean mayGrowCredit) {
    int c = cp.ordinal;
    if (!retaining) {
      return false;
    }
    if (mayGrowCredit) {
      if (!m.hasRoom(c)) {
        reserveCredit(m, cp);
      }
      if (m.hasRoom(c)) {
        m.push(c, slab);
        return true;
      }
    }
    if (cp.freePermits() > 0 && takeBytePermit(cp.slabBytes)) {
      cp.takePermit();
      cp.addFree(slab);
      return true;
    }
    return false;
  }

  /** Returns a magazine's credit of class {@code cp} to the class and the byte permits. */
  @GuardedBy("cp.lock")
  private void returnCredit(ClassPool cp, int credit) {
    if (credit > 0) {
      cp.returnCredit(credit);
      magazineBytes.addAndGet(-(long) credit * cp.slabBytes);
      freeBytePermits.addAndGet((long) credit * cp.slabBytes);
    }
  }

  // =================================================================== release

  /**
   * Takes back a leased slab of {@code capacity} bytes: to the thread's magazine when {@code
   * toMagazine} and it has room, else the free list, else the system.
   */
  @GuardedBy("s")
  void put(Stripe s, Slab slab, int capacity, boolean toMagazine) {
    int c = slab.poolClass.ordinal();
    s.counters.returned(c, capacity);
    if (c != OVERSIZE && toMagazine && retaining && s.magazines.hasRoom(c)) {
      s.magazines.push(c, slab);
      return;
    }
    ClassPool cp = classes[c];
    cp.lock.lock();
    try {
      if (c == OVERSIZE || !retain(s.magazines, cp, slab, toMagazine)) {
        cp.addAllocated(-capacity);
      }
    } finally {
      cp.lock.unlock();
    }
  }

  /** Empties the magazines of a stripe whose thread ended: to the free lists or the system. */
  @GuardedBy("s")
  void drain(Stripe s) {
    for (int c = 0; c < Magazines.POOLED; c++) {
      ClassPool cp = classes[c];
      cp.lock.lock();
      try {
        returnCredit(cp, s.magazines.takeCredit(c));
        Slab slab;
        while ((slab = s.magazines.pop(c)) != null) {
          if (!retain(s.magazines, cp, slab, false)) {
            cp.addAllocated(-cp.slabBytes);
          }
        }
      } finally {
        cp.lock.unlock();
      }
    }
  }

  /** From now on keeps nothing: every slab released is dropped (the pool is closing). */
  void stopRetaining() {
    retaining = false;
  }

  /**
   * Drops every retained slab (every magazine of {@code stripes}, then the free lists) and all
   * magazine credit; the caller holds the registry's admin lock, so that the stripes stay the same.
   *
   * @return the bytes dropped
   */
  long dropRetained(Stripe[] stripes) {
    long dropped = 0;
    for (Stripe s : stripes) {
      s.lockAdmin();
      try {
        for (int c = 0; c < Magazines.POOLED; c++) {
          ClassPool cp = classes[c];
          cp.lock.lock();
          try {
            while (s.magazines.pop(c) != null) {
              cp.addAllocated(-cp.slabBytes);
              dropped += cp.slabBytes;
            }
            returnCredit(cp, s.magazines.takeCredit(c));
            s.magazines.forgetStack(c);
          } finally {
            cp.lock.unlock();
          }
        }
      } finally {
        s.unlock();
      }
    }
    for (int c = 0; c < Magazines.POOLED; c++) {
      ClassPool cp = classes[c];
      cp.lock.lock();
      try {
        while (cp.takeFree() != null) {
          freeBytePermits.addAndGet(cp.slabBytes);
          cp.addAllocated(-cp.slabBytes);
          dropped += cp.slabBytes;
        }
        cp.forgetFreeList();
      } finally {
        cp.lock.unlock();
      }
    }
    return dropped;
  }

  // =================================================================== snapshot

  /**
   * Writes the per-class figures, retained and allocated bytes into {@code b}: from {@code sum}
   * (the counters of every stripe, live and retired), the magazines of {@code stripes} and the free
   * lists. The caller holds every stripe's lock, so that nothing moves between them meanwhile.
   */
  @SuppressWarnings("GuardedBy") // every stripe is locked by the caller
  void describe(PoolSnapshot.Builder b, Stripe[] stripes, PoolCounters sum) {
    long[] retainedSlabs = new long[PoolCounters.CLASSES];
    for (Stripe s : stripes) {
      for (int c = 0; c < Magazines.POOLED; c++) {
        retainedSlabs[c] += s.magazines.count(c);
      }
    }
    long allocated = 0;
    long totalAllocated = 0;
    for (ClassPool cp : classes) {
      cp.lock.lock();
      try {
        retainedSlabs[cp.ordinal] += cp.freeCount();
        allocated += cp.allocatedBytes();
        totalAllocated += cp.totalAllocatedBytes();
      } finally {
        cp.lock.unlock();
      }
    }
    long live = 0;
    long retainedBytes = 0;
    for (PoolClass pc : PoolClass.values()) {
      int c = pc.ordinal();
      long rb = pc.isPooled() ? retainedSlabs[c] * pc.slabBytes() : 0;
      b.classStats(
          pc,
          new PoolSnapshot.ClassStats(
              sum.hits(c),
              sum.misses(c),
              sum.leasedSlabs(c),
              sum.leasedBytes(c),
              retainedSlabs[c],
              rb));
      live += sum.leasedBytes(c);
      retainedBytes += rb;
    }
    b.liveBytes(live)
        .retainedBytes(retainedBytes)
        .allocatedBytes(allocated)
        .totalAllocatedBytes(totalAllocated)
        .oversizeAllocations(sum.misses(OVERSIZE));
  }
}
