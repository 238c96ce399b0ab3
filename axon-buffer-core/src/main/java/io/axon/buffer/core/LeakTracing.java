package io.axon.buffer.core;

import java.util.Locale;

/**
 * How much a {@link SlabBufferPool} records about where its memory was acquired, so that a leak
 * report (memory whose views were dropped without {@code close()}) can name the place.
 *
 * <p>Set per pool with {@link SlabBufferPool.Builder#leakTracing(LeakTracing)}; the default comes
 * from the system property {@value #PROPERTY} ({@code off}, {@code sampled} or {@code all}, case
 * ignored), else {@link #OFF}. The build runs every test with {@code all}.
 *
 * <p>Cost: recording a site captures a stack trace at acquisition (a few microseconds) and keeps it
 * until the memory is released. The safety net works in every mode, on the storages it watches (see
 * {@link SlabBufferPool}: every storage above 4 KiB, a sample of the small ones); tracing adds
 * where they came from, and every traced storage is watched, so {@link #ALL} finds every leak.
 */
public enum LeakTracing {
  /** No sites recorded; leaks are still detected and counted. */
  OFF,
  /** One acquisition in {@value #SAMPLING_INTERVAL} per thread records its site. */
  SAMPLED,
  /** Every acquisition records its site: for tests and debugging. */
  ALL;

  /** The system property that sets the default. */
  public static final String PROPERTY = "axon.buffer.leakTracing";

  /**
   * How often {@link #SAMPLED} records: once every this many acquisitions, per thread (a power of
   * 2).
   */
  public static final int SAMPLING_INTERVAL = 128;

  /**
   * The mode named by {@value #PROPERTY}, or {@link #OFF} if it is not set.
   *
   * @throws IllegalArgumentException if the property holds anything else than off, sampled or all
   */
  public static LeakTracing fromSystemProperty() {
    String value = System.getProperty(PROPERTY);
    return value == null || value.isBlank() ? OFF : parse(value);
  }

  /**
   * Parses {@code off}, {@code sampled} or {@code all} (case ignored).
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static LeakTracing parse(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "off":
        return OFF;
      case "sampled":
        return SAMPLED;
      case "all":
        return ALL;
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be off, sampled or all, was \"" + value + "\"");
    }
  }
}
