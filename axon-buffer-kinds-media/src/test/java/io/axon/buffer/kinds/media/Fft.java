package io.axon.buffer.kinds.media;

/**
 * A radix-2 complex FFT (iterative, in place, decimation in time) and the windowed power spectra
 * the resampler's quality test reads its figures from. Doubles throughout: the figures go down to
 * -150 dB, far below float's reach in a long sum.
 */
final class Fft {

  private Fft() {}

  /**
   * Transforms {@code re + i·im} in place: {@code X[k] = Σ x[n]·e^(-2πikn/N)}.
   *
   * @throws IllegalArgumentException unless the length is a power of two
   */
  static void transform(double[] re, double[] im) {
    int n = re.length;
    if (Integer.bitCount(n) != 1 || im.length != n) {
      throw new IllegalArgumentException("length must be a power of two, was " + n);
    }
    for (int i = 1, j = 0; i < n; i++) { // bit-reversal permutation
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double angle = -2 * Math.PI / len;
      int half = len / 2;
      for (int k = 0; k < half; k++) {
        double wr = Math.cos(angle * k); // exact twiddles, no recurrence drift
        double wi = Math.sin(angle * k);
        for (int i = k; i < n; i += len) {
          int j = i + half;
          double xr = re[j] * wr - im[j] * wi;
          double xi = re[j] * wi + im[j] * wr;
          re[j] = re[i] - xr;
          im[j] = im[i] - xi;
          re[i] += xr;
          im[i] += xi;
        }
      }
    }
  }

  /** The smallest power of two at least {@code n}. */
  static int size(int n) {
    return Integer.highestOneBit(Math.max(1, n - 1)) << 1;
  }

  /** A Kaiser window of {@code n} points and shape {@code beta}. */
  static double[] kaiser(int n, double beta) {
    double[] w = new double[n];
    double norm = PolyphaseFilter.besselI0(beta);
    for (int i = 0; i < n; i++) {
      double x = 2.0 * i / (n - 1) - 1;
      w[i] = PolyphaseFilter.besselI0(beta * Math.sqrt(Math.max(0, 1 - x * x))) / norm;
    }
    return w;
  }

  /**
   * The power spectrum {@code |X[k]|²}, {@code k = 0 … N/2}, of {@code x} times a Kaiser window
   * ({@code beta} 20: side lobes below -190 dB, main lobe ±7 bins), zero-padded to a power of two.
   */
  static double[] powerSpectrum(double[] x) {
    int n = size(x.length);
    double[] re = new double[n];
    double[] im = new double[n];
    double[] w = kaiser(x.length, 20);
    for (int i = 0; i < x.length; i++) {
      re[i] = x[i] * w[i];
    }
    transform(re, im);
    double[] p = new double[n / 2 + 1];
    for (int k = 0; k <= n / 2; k++) {
      p[k] = re[k] * re[k] + im[k] * im[k];
    }
    return p;
  }
}
