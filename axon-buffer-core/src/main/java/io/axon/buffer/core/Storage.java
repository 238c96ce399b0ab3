package io.axon.buffer.core;

import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The memory behind one or more {@link View}s, with the reference count of its live views.
 *
 * <p>One storage object exists per lease: pooled memory gets a new storage each time it is handed
 * out, and a storage is never reused, so once its count has reached zero it stays there. That is
 * what makes a stale view harmless: whatever it holds, its storage says "released" forever.
 *
 * <p>The count lives in one {@code long} changed by one atomic instruction per view created or
 * closed:
 *
 * <ul>
 *   <li>bits 0-22: live references (views, plus short-lived references bulk reads hold);
 *   <li>bit 23: the first view (the one {@code freeze()} or a factory made) is open. That view
 *       closes with one compare-and-set of this word, where other views also swap their own
 *       "closed" state: the common single-view life costs one atomic instruction less;
 *   <li>bits 24-63: the sum of the live views' "coverage units": a view's length scaled to the
 *       storage's capacity, {@value #UNITS_PER_CAPACITY} units being the whole capacity (rounded
 *       up). Used for {@link io.axon.buffer.PoolSnapshot#pinnedUnusedBytes()}: a storage whose live
 *       views add up to less than its content is kept alive by slices alone.
 * </ul>
 *
 * 2<sup>23</sup> views times {@value #UNITS_PER_CAPACITY} units fit in 40 bits, so the word never
 * overflows; more than {@value #MAX_REFS} live views of one storage are refused.
 */
abstract class Storage {

  static final int REF_BITS = 24;
  static final long REF_MASK = (1L << 23) - 1;
  static final long FIRST_OPEN = 1L << 23;
  static final int MAX_REFS = (int) REF_MASK - 1;
  static final int UNITS_PER_CAPACITY = 1 << 16;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(Storage.class, "word", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through WORD
  private volatile long word;

  /** The whole memory; views use absolute indexes only, never its position or limit. */
  ByteBuffer memory;

  /** The bytes {@link #memory} holds. */
  int capacity;

  /** Bytes written (while building), then the content length (frozen). */
  int length;

  /** Coverage units of a view of the whole content. */
  long contentUnits;

  private int capacityLog2 = -1;
  private volatile ByteBuffer readOnly;

  /** Sets the memory (and capacity) this storage now owns. */
  final void setMemory(ByteBuffer memory, int capacity) {
    this.memory = memory;
    this.capacity = capacity;
    this.capacityLog2 =
        Integer.bitCount(capacity) == 1 ? Integer.numberOfTrailingZeros(capacity) : -1;
    // readOnly stays null: it is only made for views, and views exist only once memory is final.
  }

  /** The tenant billed, if any. */
  abstract Optional<String> tenant();

  /**
   * A copy of {@code src} (a view of this storage, or a composite holding one) in pooled memory of
   * the pool this storage's bytes are billed through: billed to this storage's tenant when {@code
   * billed}, else to nobody. Null when no open pool stands behind this storage; the caller then
   * copies onto the heap ({@code compact()}).
   */
  ZeroCopyBuffer pooledCopy(ZeroCopyBuffer src, boolean billed) {
    return null;
  }

  /** Called exactly once, by whoever drops the last reference. */
  abstract void deallocate();

  /** Whether this storage reports pinning (pooled storages do). */
  boolean tracksPinning() {
    return false;
  }

  /** Called when the live views no longer cover the content (only if {@link #tracksPinning()}). */
  void onPinned() {}

  /** A short description for messages: "4096-byte pooled storage (SMALL)". */
  abstract String describe();

  /** Coverage units of {@code len} bytes of this storage. */
  final long unitsFor(int len) {
    if (len == length) {
      return contentUnits;
    }
    return computeUnits(len);
  }

  final long computeUnits(int len) {
    if (len == 0 || capacity == 0) {
      return 0;
    }
    long scaled = ((long) len << 16) + capacity - 1;
    return capacityLog2 >= 0 ? scaled >>> capacityLog2 : scaled / capacity;
  }

  /**
   * Fixes the content length's coverage and installs the first view's reference (freeze or
   * construction), before the view is published.
   *
   * @return the coverage units of the first (whole) view
   */
  final long initFirstReference() {
    contentUnits = computeUnits(length);
    WORD.setRelease(this, (contentUnits << REF_BITS) | FIRST_OPEN | 1);
    return contentUnits;
  }

  /**
   * Installs the reference a builder holds while it shares ranges of its bytes as views ({@link
   * SlabBufferMut#shareRange}): one reference, no coverage, not the first view's. The builder drops
   * it when it ends; the storage is released with the last view.
   */
  final void initBuilderReference() {
    WORD.setRelease(this, 1L);
  }

  /**
   * Closes the first view: drops its reference and its open flag in one compare-and-set.
   *
   * @return false if it was already closed (by another thread racing the same close)
   */
  final boolean releaseFirst(long units) {
    long delta = (units << REF_BITS) + FIRST_OPEN + 1;
    for (; ; ) {
      long old = (long) WORD.getVolatile(this);
      if ((old & FIRST_OPEN) == 0) {
        return false;
      }
      if (WORD.weakCompareAndSet(this, old, old - delta)) {
        afterRelease(old, delta, units);
        return true;
      }
    }
  }

  /**
   * Takes a reference for a new view of {@code units} coverage.
   *
   * @throws ClosedBufferException if the storage was already released (a view closed on another
   *     thread while this one shared it: a caller bug, refused rather than resurrecting freed
   *     memory)
   */
  final void retain(long units, View from) {
    long delta = (units << REF_BITS) + 1;
    for (; ; ) {
      long old = (long) WORD.getVolatile(this);
      long refs = old & REF_MASK;
      if (refs == 0) {
        throw from == null
            ? new ClosedBufferException(describe() + " is released")
            : from.closedException();
      }
      if (refs >= MAX_REFS) {
        throw new IllegalStateException(
            "too many live views of one storage: " + refs + " (at most " + MAX_REFS + ")");
      }
      if (WORD.weakCompareAndSet(this, old, old + delta)) {
        return;
      }
    }
  }

  /** Takes a reference without a view, for the duration of a bulk read. False if released. */
  final boolean tryRetainForRead() {
    for (; ; ) {
      long old = (long) WORD.getVolatile(this);
      long refs = old & REF_MASK;
      if (refs == 0 || refs >= MAX_REFS) {
        return false;
      }
      if (WORD.weakCompareAndSet(this, old, old + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference of {@code units} coverage; the last one deallocates. */
  final void release(long units) {
    long delta = (units << REF_BITS) + 1;
    long old = (long) WORD.getAndAdd(this, -delta);
    afterRelease(old, delta, units);
  }

  private void afterRelease(long old, long delta, long units) {
    long refs = old & REF_MASK;
    if (refs == 1) {
      deallocate();
    } else if (refs == 0) {
      WORD.getAndAdd(this, delta);
      throw new IllegalStateException("released more often than retained: " + describe());
    } else if (units != 0 && tracksPinning()) {
      long now = old - delta;
      if ((now >>> REF_BITS) < contentUnits) {
        onPinned();
      }
    }
  }

  /** Live references (views plus in-flight bulk reads). */
  final int refs() {
    return (int) ((long) WORD.getVolatile(this) & REF_MASK);
  }

  /**
   * The live views (for {@link io.axon.buffer.ZeroCopyBuffer#sharers()}): the references, less one
   * a builder holds while it shares ranges of its bytes ({@link SlabBufferMut#shareRange}).
   */
  int views() {
    return refs();
  }

  /** The summed coverage units of the live views. */
  final long coverageUnits() {
    return (long) WORD.getVolatile(this) >>> REF_BITS;
  }

  /** True once every reference is gone. Never changes back. */
  final boolean isReleased() {
    return ((long) WORD.getVolatile(this) & REF_MASK) == 0;
  }

  /**
   * After an optimistic (unreferenced) read of this storage's memory: throws if the storage was
   * released meanwhile, so the bytes read may belong to another owner and must not be used.
   */
  final void validateRead(View from) {
    VarHandle.acquireFence();
    if (isReleased()) {
      throw from.closedException();
    }
  }

  /** A read-only view of the whole memory (created once per storage). */
  final ByteBuffer readOnlyMemory() {
    ByteBuffer ro = readOnly;
    if (ro == null) {
      ro = memory.isReadOnly() ? memory : memory.asReadOnlyBuffer();
      readOnly = ro;
    }
    return ro;
  }
}
