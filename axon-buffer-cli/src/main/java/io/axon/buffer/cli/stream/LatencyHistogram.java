package io.axon.buffer.cli.stream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long frames take from arrival to their converted output handed to the sinks, for {@code
 * /metrics}: a log-linear histogram of nanoseconds (8 buckets per power of two, so a quantile is
 * within 12.5% of the truth), lock-free, one {@code getAndIncrement} per frame, fixed size (4 KiB).
 *
 * <p>Threading: {@link #record} from any thread; readers see a moment's counts, not a snapshot
 * taken atomically across buckets.
 */
public final class LatencyHistogram {

  private static final int SUB = 8;
  private static final int SUB_BITS = 3;

  private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);
  private final java.util.concurrent.atomic.LongAdder sum =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * Counts one frame.
   *
   * @param nanos its latency
   */
  public void record(long nanos) {
    counts.getAndIncrement(index(Math.max(1, nanos)));
    sum.add(nanos);
  }

  /** {@return the latencies counted, added up, in nanoseconds} */
  public long sumNanos() {
    return sum.sum();
  }

  static int index(long v) {
    int log = 63 - Long.numberOfLeadingZeros(v);
    if (log < SUB_BITS) {
      return (int) v; // 1..7 exactly
    }
    int sub = (int) (v >>> (log - SUB_BITS)) & (SUB - 1);
    return log * SUB + sub;
  }

  /** The largest value of bucket {@code i}. */
  static long upper(int i) {
    int log = i / SUB;
    if (log < SUB_BITS) {
      return i;
    }
    int sub = i % SUB;
    long base = 1L << log;
    long step = base >>> SUB_BITS;
    return base + (sub + 1) * step - 1;
  }

  /** {@return frames counted} */
  public long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /**
   * The latency below which a fraction {@code q} of the frames fell.
   *
   * @param q 0 to 1
   * @return nanoseconds (a bucket's upper end), 0 when nothing was counted
   */
  public long quantile(double q) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank && seen > 0) {
        return upper(i);
      }
    }
    return upper(counts.length() - 1);
  }
}
