package io.axon.buffer.cli.stream;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code GET /stream} allows a call, from {@code serve}'s options. One immutable value; every
 * field has the default {@code serve --help} and the README show.
 *
 * @param maxMessageBytes the largest WebSocket message (binary, or one JSON event), the sum of its
 *     fragments; 1 to {@link
 *     io.axon.buffer.ingest.WebSocketMessageAccumulator#MAX_MESSAGE_BYTES_CEILING}
 * @param maxCallsPerTenant calls one tenant may have open at once
 * @param speedFactor how many times faster than real time a call's audio may arrive, on average
 *     since its first audio byte; at least 1
 * @param burst how much audio may arrive ahead of that pace (network jitter, a client's buffer)
 * @param maxPendingOutputBytes echoed bytes a call may have queued for a client that reads slowly;
 *     past it the server stops reading the call's input until the client has read some
 * @param store the folder for one WAV file per call ({@code DIR/stream/<call id>.wav}), or null
 */
public record StreamOptions(
    long maxMessageBytes,
    int maxCallsPerTenant,
    double speedFactor,
    Duration burst,
    long maxPendingOutputBytes,
    Path store) {

  /** {@code --stream-max-message}'s default. */
  public static final String DEFAULT_MAX_MESSAGE = "64k";

  /** {@code --stream-max-calls}' default. */
  public static final int DEFAULT_MAX_CALLS_PER_TENANT = 100;

  /** {@code --stream-speed}'s default. */
  public static final String DEFAULT_SPEED_FACTOR = "2.0";

  /** {@code --stream-burst}'s default. */
  public static final String DEFAULT_BURST = "2s";

  /** Echoed bytes queued per call before its input is paused. */
  public static final long DEFAULT_MAX_PENDING_OUTPUT_BYTES = 256 * 1024;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if one is out of range; the message names it
   */
  public StreamOptions {
    if (maxMessageBytes < 1
        || maxMessageBytes
            > io.axon.buffer.ingest.WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be 1.."
              + io.axon.buffer.ingest.WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING
              + ", was "
              + maxMessageBytes);
    }
    if (maxCallsPerTenant < 1) {
      throw new IllegalArgumentException(
          "maxCallsPerTenant must be at least 1, was " + maxCallsPerTenant);
    }
    if (!(speedFactor >= 1) || Double.isInfinite(speedFactor)) {
      throw new IllegalArgumentException("speedFactor must be at least 1, was " + speedFactor);
    }
    if (burst.isNegative()) {
      throw new IllegalArgumentException("burst must be >= 0, was " + burst);
    }
    if (maxPendingOutputBytes < 1) {
      throw new IllegalArgumentException(
          "maxPendingOutputBytes must be at least 1, was " + maxPendingOutputBytes);
    }
  }

  /**
   * The defaults, with no store.
   *
   * @return the options {@code serve} runs with when none is given
   */
  public static StreamOptions defaults() {
    return new StreamOptions(
        64 * 1024,
        DEFAULT_MAX_CALLS_PER_TENANT,
        Double.parseDouble(DEFAULT_SPEED_FACTOR),
        Duration.ofSeconds(2),
        DEFAULT_MAX_PENDING_OUTPUT_BYTES,
        null);
  }

  /**
   * These options with another speed limit.
   *
   * @param factor times real time
   * @return a copy
   */
  public StreamOptions withSpeedFactor(double factor) {
    return new StreamOptions(
        maxMessageBytes, maxCallsPerTenant, factor, burst, maxPendingOutputBytes, store);
  }

  /**
   * These options with another store folder.
   *
   * @param dir the folder, or null for none
   * @return a copy
   */
  public StreamOptions withStore(Path dir) {
    return new StreamOptions(
        maxMessageBytes, maxCallsPerTenant, speedFactor, burst, maxPendingOutputBytes, dir);
  }
}
