package io.axon.buffer.cli;

/**
 * The pace of one request body, measured over the time the server spent waiting for it: the clock
 * runs only between a demand for more bytes and their arrival, never while a worker parses, digests
 * or stores them, so a busy server does not make an honest client look slow. A body is too slow
 * once it has received fewer than {@code minRate × (waited − grace)} bytes: {@code grace} is the
 * head start a body may lag at its beginning.
 *
 * <p>Threading: the reading worker calls {@link #waiting}, {@link #arrived}; the scheduler's check
 * calls {@link #tooSlow}; all synchronized (a few arithmetic operations each).
 */
final class BodyRate {

  private final long minRate;
  private final long graceNanos;
  private long bytes;
  private long waitedNanos;
  private long waitingSince = -1;

  BodyRate(long minRatePerSecond, long graceNanos) {
    this.minRate = minRatePerSecond;
    this.graceNanos = graceNanos;
  }

  /** The server now waits for bytes (it demanded more). */
  synchronized void waiting(long now) {
    if (waitingSince < 0) {
      waitingSince = now;
    }
  }

  /** Bytes arrived ({@code n} may be 0: a wake-up without content ends the wait too). */
  synchronized void arrived(long n, long now) {
    bytes += n;
    if (waitingSince >= 0) {
      waitedNanos += now - waitingSince;
      waitingSince = -1;
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  /** True if the body is behind the minimum rate at {@code now}. */
  synchronized boolean tooSlow(long now) {
    if (minRate <= 0) {
      return false;
    }
    long waited = waitedNanos + (waitingSince >= 0 ? now - waitingSince : 0);
    long counted = waited - graceNanos;
    return counted > 0 && bytes < (double) minRate * counted / 1e9;
  }
}
