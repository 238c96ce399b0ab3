package io.axon.buffer.micrometer;

import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolSnapshot;
import io.micrometer.core.instrument.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The last {@link PoolSnapshot} of a pool, kept for a short time so that every meter read during
 * one scrape (or one push) sees the same picture and the pool is asked once, not once per meter.
 *
 * <p>{@link #get()} returns the memoized snapshot while it is younger than the time to live on the
 * {@link Clock}'s monotonic time, and otherwise takes a new one and hands it to the listener before
 * returning it. The snapshot is stored before the listener runs, so a listener (or a meter it
 * registers) that reads {@link #get()} again on the same thread sees the new snapshot instead of
 * taking another. A time to live of 0 takes a snapshot at every read.
 *
 * <p>It does not decide which meters exist; the listener does ({@link BufferPoolMetrics}).
 *
 * <p>Threading: {@link #get()} is serialized; one thread takes a snapshot and runs the listener
 * while others wait for it, so two scrapes at once still take one snapshot. The listener runs under
 * that lock: it must not wait for another thread that reads this memo.
 */
final class SnapshotMemo {

  private final BufferPool pool;
  private final long ttlNanos;
  private final Clock clock;
  private final Consumer<PoolSnapshot> onRefresh;

  private PoolSnapshot last;
  private long takenAt;

  /**
   * @param pool the pool asked for snapshots (held strongly)
   * @param ttlNanos how long a snapshot is reused, {@code >= 0}
   * @param clock whose {@link Clock#monotonicTime()} measures that time
   * @param onRefresh told of each new snapshot, under this memo's lock
   */
  SnapshotMemo(BufferPool pool, long ttlNanos, Clock clock, Consumer<PoolSnapshot> onRefresh) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.ttlNanos = ttlNanos;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onRefresh = Objects.requireNonNull(onRefresh, "onRefresh");
  }

  /** The memoized snapshot, or a new one if it is older than the time to live. */
  synchronized PoolSnapshot get() {
    long now = clock.monotonicTime();
    if (last == null || now - takenAt >= ttlNanos) {
      last = pool.snapshot();
      takenAt = now;
      onRefresh.accept(last);
    }
    return last;
  }
}
