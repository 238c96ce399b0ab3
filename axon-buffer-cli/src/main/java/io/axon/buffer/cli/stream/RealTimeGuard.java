package io.axon.buffer.cli.stream;

/**
 * Refuses a call whose audio arrives faster than real time by more than a factor: after {@code t}
 * seconds since its first audio byte, a call may have sent at most {@code factor·t + burst} seconds
 * of audio. A live call sends one second of audio per second; a client replaying a file as fast as
 * it can, or a flood, is cut with {@link StreamFault#TOO_FAST} at the message that crosses the line
 * (refused, not throttled: a sender that far ahead has a bug or means harm, and throttling would
 * only hide it while holding the connection; the burst absorbs network jitter and a client's own
 * buffering).
 *
 * <p>Costs two longs and a multiply per message. Not thread-safe: one per call.
 */
final class RealTimeGuard {

  private final double bytesPerSecond;
  private final double factor;
  private final double burstSeconds;
  private long start = Long.MIN_VALUE;
  private long bytes;

  /**
   * A guard for one call.
   *
   * @param bytesPerSecond the input's bytes per second of audio
   * @param factor times real time allowed, at least 1
   * @param burstNanos audio allowed ahead of that pace
   */
  RealTimeGuard(long bytesPerSecond, double factor, long burstNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.factor = factor;
    this.burstSeconds = burstNanos / 1e9;
  }

  /**
   * Counts {@code n} more bytes of audio arrived at {@code now}.
   *
   * @param n bytes of input audio
   * @param now {@link System#nanoTime()}
   * @throws StreamCallException {@link StreamFault#TOO_FAST} if the call is now too far ahead
   */
  void admit(int n, long now) {
    if (start == Long.MIN_VALUE) {
      start = now;
    }
    bytes += n;
    double audio = bytes / bytesPerSecond;
    double elapsed = (now - start) / 1e9;
    if (audio > factor * elapsed + burstSeconds) {
      throw new StreamCallException(
          StreamFault.TOO_FAST,
          String.format(
              java.util.Locale.ROOT,
              "%.2f s of audio in %.2f s; the limit is %.1fx real time plus %.1f s",
              audio,
              elapsed,
              factor,
              burstSeconds));
    }
  }
}
