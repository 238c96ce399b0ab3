package io.axon.buffer.kinds.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The low-pass filter of one rational rate change {@code up/down} (reduced by their gcd), as a
 * polyphase table: a Kaiser-windowed sinc, designed once per ratio and shared by every {@link
 * Pcm16Resampler} of that ratio. Immutable, so thread-safe.
 *
 * <h2>Design</h2>
 *
 * The continuous kernel, in units of input samples {@code d}, is {@code 2fc·sinc(2fc·d)·w(d/K)}:
 * {@code w} a Kaiser window of {@code beta} over {@code [-K, K]}, {@code fc} the cut-off in cycles
 * per input sample. Relative to the Nyquist frequency of the lower of the two rates, the pass band
 * ends at {@value #PASS_EDGE}, the stop band starts at {@value #STOP_EDGE} (no aliasing and no
 * imaging: what sox's {@code rate} does by default), and {@code fc} is half-way. The half width is
 * {@value #LOWER_RATE_HALF_TAPS} samples of the lower rate, so {@code K} is 64 input samples when
 * converting up and {@code 64·down/up} when converting down (rounded up to an even number, so that
 * the {@code 2K} taps of a phase come in fours; converting up, {@code 2K} is 128, which the
 * converter's shifted copies of its history divide); Kaiser's formula then gives a stop band
 * attenuation of about 100 dB ({@code beta} about 10) for every ratio, measured in the tests.
 *
 * <p>Output sample {@code m} sits at input position {@code m·down/up}: its integer part {@code b}
 * and phase {@code p = (m·down) mod up} pick the row {@code p} of the table, whose {@code 2K} taps
 * weigh the inputs {@code b-K+1 … b+K}. The table is {@code up × 2K} floats: {@code 128 × max(up,
 * down)} at most, 512 KiB for the largest ratio allowed ({@value #MAX_FACTOR} either way, e.g. 44.1
 * kHz ↔ 16 kHz is 160/441: 56,448 floats, 220 KiB).
 *
 * <h2>Cost</h2>
 *
 * Building a table evaluates the kernel once per coefficient (a sine and a Bessel series): a few
 * milliseconds for the largest. Tables are cached per ratio, at most {@value #CACHED} of them
 * (rates may come from a request: past the cap a table is built for its converter and not kept).
 */
final class PolyphaseFilter {

  /** The pass band's edge, as a fraction of the lower rate's Nyquist frequency. */
  static final double PASS_EDGE = 0.90;

  /** The stop band's edge, as a fraction of the lower rate's Nyquist frequency. */
  static final double STOP_EDGE = 1.00;

  /** The kernel's half width in samples of the lower of the two rates. */
  static final int LOWER_RATE_HALF_TAPS = 64;

  /** The largest {@code up} or {@code down} of a reduced ratio. */
  static final int MAX_FACTOR = 1024;

  /** How many tables the cache keeps. */
  static final int CACHED = 64;

  private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

  /** The interpolation factor L: output samples per {@link #down} input samples. */
  final int up;

  /** The decimation factor M. */
  final int down;

  /** K: the kernel's half width in input samples. */
  final int halfTaps;

  /**
   * 2K, a multiple of 4: the taps of one phase, which one output sample costs in multiply-adds per
   * channel.
   */
  final int taps;

  /** The cut-off (-6 dB), in cycles per input sample. */
  final double cutoff;

  /** The Kaiser window's shape parameter. */
  final double beta;

  /** The stop band attenuation Kaiser's formula predicts, in dB. */
  final double designAttenuationDb;

  /** Row {@code p} (phase {@code p/up}) at {@code [p·taps, (p+1)·taps)}. */
  final float[] coefficients;

  private PolyphaseFilter(int up, int down) {
    this.up = up;
    this.down = down;
    boolean identity = up == down; // equal rates: one tap of 1, the input as it is
    // Even, so that a phase's taps come in fours (the converter multiplies four at a time).
    long k = identity ? 1 : ceilDiv((long) LOWER_RATE_HALF_TAPS * Math.max(up, down), up);
    this.halfTaps = (int) (2 * ceilDiv(k, 2));
    this.taps = 2 * halfTaps;
    double lowerNyquist = 0.5 * Math.min(1.0, (double) up / down); // cycles per input sample
    this.cutoff = lowerNyquist * (PASS_EDGE + STOP_EDGE) / 2;
    double transition = lowerNyquist * (STOP_EDGE - PASS_EDGE);
    // Kaiser: A = 7.95 + 2.285·(N-1)·Δω, with N·Δω the same on the fine grid and in input samples.
    this.designAttenuationDb = 7.95 + 2.285 * 2 * Math.PI * transition * taps;
    this.beta =
        designAttenuationDb > 50
            ? 0.1102 * (designAttenuationDb - 8.7)
            : 0.5842 * Math.pow(designAttenuationDb - 21, 0.4)
                + 0.07886 * (designAttenuationDb - 21);
    this.coefficients = new float[up * taps];
    if (identity) {
      coefficients[halfTaps - 1] = 1; // tap K - 1 weighs input b: the output is the input
      return;
    }
    double i0Beta = besselI0(beta);
    for (int p = 0; p < up; p++) {
      for (int t = 0; t < taps; t++) {
        double d = (double) p / up + halfTaps - 1 - t;
        coefficients[p * taps + t] = (float) kernel(d, i0Beta);
      }
    }
  }

  /** The filter of {@code fromRate → toRate}, from the cache when it holds it. */
  static PolyphaseFilter of(int fromRate, int toRate) {
    int g = gcd(fromRate, toRate);
    int up = toRate / g;
    int down = fromRate / g;
    if (up > MAX_FACTOR || down > MAX_FACTOR) {
      throw new IllegalArgumentException(
          "cannot convert "
              + fromRate
              + " Hz to "
              + toRate
              + " Hz: the reduced ratio "
              + up
              + "/"
              + down
              + " has a factor above "
              + MAX_FACTOR
              + " (its filter table would be too large)");
    }
    Long key = ((long) up << 32) | down;
    PolyphaseFilter f = CACHE.get(key);
    if (f != null) {
      return f;
    }
    f = new PolyphaseFilter(up, down);
    if (CACHE.size() < CACHED) {
      PolyphaseFilter raced = CACHE.putIfAbsent(key, f);
      return raced != null ? raced : f;
    }
    return f;
  }

  /** The kernel at {@code d} input samples from the output's position. */
  private double kernel(double d, double i0Beta) {
    double x = d / halfTaps;
    if (x <= -1 || x >= 1) {
      return 0;
    }
    double window = besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
    double a = 2 * cutoff * d;
    double sinc = a == 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
    return 2 * cutoff * sinc * window;
  }

  /** The modified Bessel function of the first kind, order 0 (its power series). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 500; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
