package io.axon.buffer.core;

import java.util.Arrays;

/**
 * One thread's magazines, the slab cache's part of a {@link Stripe}: for each pooled size class, a
 * small stack of free slabs and its credit, the slots backed by permits the thread reserved from
 * the class's bounds ({@link ClassPool}). Credit is what lets a thread push a released slab and pop
 * it again without touching anything another thread writes.
 *
 * <p>What it does not do: it reserves and returns no permit itself ({@link SlabCache} does, under
 * the class's lock) and never allocates memory.
 *
 * <p>Threading: not thread-safe; guarded by the lock of the stripe that holds it ({@link
 * Stripe#magazines}).
 */
final class Magazines {

  static final int POOLED = PoolCounters.CLASSES - 1;

  private final Slab[][] slabs = new Slab[POOLED][];
  private final int[] count = new int[POOLED];
  private final int[] credit = new int[POOLED];

  /** Pops a slab of pooled class {@code c}, or null if the magazine is empty. */
  Slab pop(int c) {
    int n = count[c];
    if (n == 0) {
      return null;
    }
    Slab[] m = slabs[c];
    Slab s = m[--n];
    m[n] = null;
    count[c] = n;
    return s;
  }

  /** Pushes a slab of class {@code c}; the caller checked {@link #hasRoom}. */
  void push(int c, Slab slab) {
    Slab[] m = slabs[c];
    int n = count[c];
    if (m == null || n == m.length) {
      m = Arrays.copyOf(m == null ? new Slab[0] : m, Math.max(credit[c], n + 1));
      slabs[c] = m;
    }
    m[n] = slab;
    count[c] = n + 1;
  }

  /** True if class {@code c} has a slot backed by credit. */
  boolean hasRoom(int c) {
    return count[c] < credit[c];
  }

  /** Free slots backed by credit (0 when full). */
  int room(int c) {
    return Math.max(0, credit[c] - count[c]);
  }

  int count(int c) {
    return count[c];
  }

  int credit(int c) {
    return credit[c];
  }

  /** One more slot of class {@code c} is backed by a permit the caller reserved. */
  void addCredit(int c) {
    credit[c]++;
  }

  /** Gives up every slot of class {@code c}; returns how many permits the caller must return. */
  int takeCredit(int c) {
    int k = credit[c];
    credit[c] = 0;
    return k;
  }

  /** Forgets every slab and all credit (the pool is gone: the collector frees the memory). */
  void clear() {
    Arrays.fill(slabs, null);
    Arrays.fill(count, 0);
    Arrays.fill(credit, 0);
  }

  /** Forgets the (empty) stack of class {@code c}, so that a trimmed magazine holds no array. */
  void forgetStack(int c) {
    slabs[c] = null;
  }
}
