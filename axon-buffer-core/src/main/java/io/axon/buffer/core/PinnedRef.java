package io.axon.buffer.core;

import java.lang.ref.WeakReference;

/**
 * A pooled storage that slices alone keep alive, as the pool tracks it for {@link
 * io.axon.buffer.PoolSnapshot#pinnedUnusedBytes()}. Weak, so that tracking never keeps leaked
 * storage from its safety net.
 */
final class PinnedRef extends WeakReference<SlabBufferMut> {

  PinnedRef(SlabBufferMut storage) {
    super(storage);
  }

  /**
   * The storage's capacity that its live views cannot see, when the sum of their lengths is less
   * than its content; 0 otherwise or once released.
   */
  long pinnedUnusedBytes() {
    SlabBufferMut s = get();
    if (s == null || s.isReleased()) {
      return 0;
    }
    long covered = s.coverageUnits();
    if (covered >= s.contentUnits) {
      return 0;
    }
    long visible =
        Math.min(
            (long) s.capacity,
            (covered * s.capacity + Storage.UNITS_PER_CAPACITY - 1) / Storage.UNITS_PER_CAPACITY);
    return s.capacity - visible;
  }
}
