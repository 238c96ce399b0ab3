package io.axon.buffer.core;

import io.axon.buffer.PoolClass;

/**
 * The event and byte counters of pool operations: per size class the hits, misses, leased slabs and
 * leased bytes, and the borrowed bytes (adopted memory). One instance per stripe (its thread's
 * share), one for the stripes of threads that ended, and one summed for each snapshot.
 *
 * <p>What it does not do: it guards nothing and checks nothing. The leased and borrowed figures of
 * one instance may be negative (memory leased on one thread and released on another): only the sum
 * over every instance of a pool means anything.
 *
 * <p>Threading: not thread-safe; whoever holds it guards it (a stripe's lock, the registry's admin
 * lock, or a snapshot's own thread).
 */
final class PoolCounters {

  static final int CLASSES = PoolClass.values().length;

  private static final int HITS = 0;
  private static final int MISSES = 1;
  private static final int LEASED_SLABS = 2;
  private static final int LEASED_BYTES = 3;
  private static final int PER_CLASS = 4;
  private static final int BORROWED = PER_CLASS * CLASSES;

  /** The counters of class {@code c} at {@code [c * PER_CLASS, c * PER_CLASS + PER_CLASS)}. */
  private final long[] values = new long[BORROWED + 1];

  /** A slab of class {@code c} and {@code bytes} capacity leased from a free list. */
  void hit(int c, long bytes) {
    int at = c * PER_CLASS;
    values[at + HITS]++;
    values[at + LEASED_SLABS]++;
    values[at + LEASED_BYTES] += bytes;
  }

  /** A slab of class {@code c} and {@code bytes} capacity leased, to be allocated. */
  void miss(int c, long bytes) {
    int at = c * PER_CLASS;
    values[at + MISSES]++;
    values[at + LEASED_SLABS]++;
    values[at + LEASED_BYTES] += bytes;
  }

  /** A leased slab came back (or its allocation failed: the miss stays counted). */
  void returned(int c, long bytes) {
    int at = c * PER_CLASS;
    values[at + LEASED_SLABS]--;
    values[at + LEASED_BYTES] -= bytes;
  }

  /** Adopted memory billed ({@code bytes > 0}) or released ({@code bytes < 0}). */
  void borrowed(long bytes) {
    values[BORROWED] += bytes;
  }

  /** Adds every counter of this instance to {@code total}'s. */
  void addTo(PoolCounters total) {
    for (int i = 0; i < values.length; i++) {
      total.values[i] += values[i];
    }
  }

  long hits(int c) {
    return values[c * PER_CLASS + HITS];
  }

  long misses(int c) {
    return values[c * PER_CLASS + MISSES];
  }

  long leasedSlabs(int c) {
    return values[c * PER_CLASS + LEASED_SLABS];
  }

  long leasedBytes(int c) {
    return values[c * PER_CLASS + LEASED_BYTES];
  }

  long borrowedBytes() {
    return values[BORROWED];
  }
}
