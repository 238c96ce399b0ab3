package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The quality of the rate converter, measured on the same inputs as sox's high-quality {@code rate
 * -h} and compared with what sox made of them (its outputs are committed: see {@code
 * src/test/resources/resample/README.md}; nothing runs sox here). Figures, per rate pair:
 *
 * <ul>
 *   <li><b>Pass band ripple</b>: the peak-to-peak of the gain {@code |Y(f)|/|X(f)|} of a linear
 *       sine sweep (its spectrum out over its spectrum in, evaluated at 200 frequencies from 5% to
 *       90% of the lower rate's Nyquist frequency), in dB.
 *   <li><b>Stop band attenuation</b>: four probe tones go in (converting up, in the input's band,
 *       the highest at 97% of its Nyquist frequency; converting down, in the stop band, the lowest
 *       at 101% of the output's Nyquist frequency); everything that comes out at one of their
 *       images or aliases (each {@code k·in ± f}, folded into the output's band) is unwanted. The
 *       figure is the tones' power in over the unwanted power out, in dB, read in narrow bands
 *       around those frequencies so that the 16-bit input's own noise stays about 106 dB down.
 *       Outputs are taken before rounding to 16 bits (ours: the converter's sums; sox's: its 32-bit
 *       float output).
 *   <li><b>SNR</b> of a 997 Hz tone at -1 dBFS (997 rather than 1000 so that the tone is not
 *       periodic in a whole number of samples, which would fold the rounding error into harmonics):
 *       the tone's power over everything else between DC and the output's Nyquist frequency (noise
 *       and distortion: SINAD), in the 16-bit output a caller gets. The 16-bit input itself holds
 *       about 97 dB.
 * </ul>
 *
 * Spectra come from {@link Fft} (Kaiser window, beta 20). The bar: every stop band at least 90 dB
 * down and every SNR within 3 dB of sox's (or better). The table is printed.
 */
class ResampleQualityTest extends PooledTest {

  static final int[][] PAIRS = {
    {8000, 16000}, {16000, 8000}, {8000, 24000}, {24000, 8000}, {16000, 24000}, {24000, 16000},
    {8000, 48000}, {48000, 8000}, {44100, 16000}, {16000, 44100}, {44100, 48000}, {48000, 44100}
  };

  /** A signal, in units of a 16-bit step (full scale ±32768). */
  record Signal(int rate, double[] x) {}

  @Test
  void againstSoxTheStopBandIsNinetyDecibelsDownAndTheSnrWithinThreeDecibels() {
    List<String> failures = new ArrayList<>();
    System.out.println(
        "pair            | ripple dB ours / sox | stop band dB ours / sox | SNR 997 Hz dB ours / sox");
    for (int[] p : PAIRS) {
      int from = p[0];
      int to = p[1];
      String name = from + "-to-" + to;
      Signal sweep = read("sweep-" + from + ".wav");
      double rippleOurs = rippleDb(sweep, unrounded(sweep, to), to);
      double rippleSox = rippleDb(sweep, read("sweep-" + name + ".sox.wav"), to);
      Signal probes = read("multitone-" + name + ".wav");
      double[] tones = probeTones(from, to);
      double stopOurs = stopBandDb(probes, tones, unrounded(probes, to));
      double stopSox = stopBandDb(probes, tones, read("multitone-" + name + ".sox.wav"));
      Signal tone = read("tone997-" + from + ".wav");
      double snrOurs = sinadDb(rounded(tone, to), 997);
      double snrSox = sinadDb(read("tone997-" + name + ".sox.wav"), 997);
      System.out.println(
          String.format(
              Locale.ROOT,
              "%5d -> %5d  | %8.4f / %8.4f   | %7.1f / %7.1f         | %6.1f / %6.1f",
              from,
              to,
              rippleOurs,
              rippleSox,
              stopOurs,
              stopSox,
              snrOurs,
              snrSox));
      if (stopOurs < 90) {
        failures.add(name + ": stop band only " + stopOurs + " dB down");
      }
      if (snrOurs < snrSox - 3) {
        failures.add(name + ": SNR " + snrOurs + " dB, sox's " + snrSox + " dB");
      }
      if (rippleOurs > 0.01) {
        failures.add(name + ": pass band ripple " + rippleOurs + " dB");
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  /** The filter itself, every pair of the six rates: its response from its coefficients. */
  @Test
  void everyPairsFilterIsFlatToNinetyPercentAndNinetyDecibelsDownPastNyquist() {
    int[] rates = Pcm16Signals.RATES;
    List<String> failures = new ArrayList<>();
    for (int from : rates) {
      for (int to : rates) {
        if (from == to) {
          continue;
        }
        double[] r = designResponse(PolyphaseFilter.of(from, to));
        if (r[1] < 90 || r[0] > 0.01) {
          failures.add(from + " -> " + to + ": ripple " + r[0] + " dB, stop band " + r[1] + " dB");
        }
      }
    }
    PolyphaseFilter f = PolyphaseFilter.of(8000, 16000);
    double[] r = designResponse(f);
    System.out.printf(
        Locale.ROOT,
        "design 8000 -> 16000: %d taps per phase, beta %.2f, Kaiser predicts %.1f dB;"
            + " ripple %.5f dB, stop band %.1f dB%n",
        f.taps,
        f.beta,
        f.designAttenuationDb,
        r[0],
        r[1]);
    assertTrue(failures.isEmpty(), failures.toString());
  }

  /** Speech from {@code samples/}: ours and sox's differ only where their pass bands end. */
  @Test
  void speechComesOutAsSoxMakesIt() {
    Signal in = read("hello-8k.wav");
    Signal sox = read("hello-8k-to-16000.sox.wav");
    Signal ours = rounded(in, 16000);
    double diff = 0;
    double power = 0;
    for (int i = 0; i < sox.x.length; i++) {
      double d = ours.x[i] - sox.x[i];
      diff += d * d;
      power += sox.x[i] * sox.x[i];
    }
    double db = 10 * Math.log10(power / diff);
    System.out.printf(Locale.ROOT, "speech 8000 -> 16000: ours - sox is %.1f dB below sox%n", db);
    assertTrue(ours.x.length == sox.x.length && db > 40, db + " dB");
  }

  // ---------------------------------------------------------------- running ours

  /** Our output before rounding: the converter's sums. */
  Signal unrounded(Signal in, int to) {
    double[] out = new double[(int) ((2L * in.x.length * to + in.rate) / (2L * in.rate))];
    Pcm16Resampler r = Pcm16Resampler.create(in.rate, to, 1);
    r.probe((frame, channel, value) -> out[(int) frame] = value);
    run(r, in);
    return new Signal(to, out);
  }

  /** Our 16-bit output. */
  Signal rounded(Signal in, int to) {
    short[] s = Pcm16Signals.samples(run(Pcm16Resampler.create(in.rate, to, 1), in));
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i];
    }
    return new Signal(to, out);
  }

  private byte[] run(Pcm16Resampler r, Signal in) {
    short[] s = new short[in.x.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) in.x[i];
    }
    return Pcm16ResamplerPropertyTest.oneCall(r, Pcm16Signals.bytes(s), pool);
  }

  // ---------------------------------------------------------------- figures

  /**
   * The pass band's peak-to-peak gain: {@code |Y(f)|/|X(f)|·(in rate/out rate)} from the DTFTs at
   * 200 frequencies over 5% to 90% of the lower Nyquist frequency.
   */
  static double rippleDb(Signal in, Signal out, int outRate) {
    double nyquist = Math.min(in.rate, outRate) / 2.0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = 0; i < 200; i++) {
      double f = nyquist * (0.05 + 0.85 * i / 199);
      double gain = dtftMagnitude(out.x, f / outRate) / dtftMagnitude(in.x, f / in.rate);
      double db = 20 * Math.log10(gain * in.rate / outRate);
      min = Math.min(min, db);
      max = Math.max(max, db);
    }
    return max - min;
  }

  /** {@code |Σ x[n]·e^(-2πi·f·n)|}, {@code f} in cycles per sample. */
  static double dtftMagnitude(double[] x, double f) {
    double re = 0;
    double im = 0;
    double step = -2 * Math.PI * f;
    double cr = 1;
    double ci = 0;
    double dr = Math.cos(step);
    double di = Math.sin(step);
    for (int n = 0; n < x.length; n++) {
      if ((n & 1023) == 0) { // renormalize the rotating phasor exactly
        cr = Math.cos(step * n);
        ci = Math.sin(step * n);
      }
      re += x[n] * cr;
      im += x[n] * ci;
      double t = cr * dr - ci * di;
      ci = cr * di + ci * dr;
      cr = t;
    }
    return Math.hypot(re, im);
  }

  /** The probe tones of a pair, as {@code make.sh} writes them (see its {@code tones}). */
  static double[] probeTones(int from, int to) {
    double[] hz = new double[4];
    for (int i = 0; i < 4; i++) {
      double f =
          to > from
              ? from / 2.0 * (0.97 - 0.24 * i)
              : to / 2.0 * 1.01 + (from / 2.0 * 0.97 - to / 2.0 * 1.01) * i / 3;
      hz[i] = Math.round((f + 0.37 * (i + 1)) * 100) / 100.0;
    }
    return hz;
  }

  /**
   * The attenuation of the strongest image or alias of a probe tone: each tone's power in {@code
   * in} over the power {@code out} holds at each of its images and aliases, the frequencies {@code
   * k·in.rate ± f} ({@code k} up to the fine grid's rate) folded into the output's band, read over
   * ±{@value #HALF_BAND} bins. Left out: an image that folds onto a tone of the pass band, and one
   * that lands in the pass band where the 16-bit input itself holds at least a tenth as much (the
   * rounding spurs of the input, which any converter passes): neither can be told apart. Fails if
   * {@code in} does not hold the tones.
   */
  static double stopBandDb(Signal in, double[] tones, Signal out) {
    double[] pin = Fft.powerSpectrum(in.x);
    double[] pout = Fft.powerSpectrum(out.x);
    double passband = Math.min(in.rate, out.rate) / 2.0;
    int up = out.rate / PolyphaseFilter.gcd(in.rate, out.rate);
    double worst = 0;
    for (double f : tones) {
      double tone = bandPower(pin, in.rate, f, in.x.length);
      assertTrue(
          Math.abs(10 * Math.log10(tone / (0.5 * Math.pow(32768 * 0.25 * 0.891, 2)))) < 0.5,
          "the input holds a tone of -13 dBFS at " + f + " Hz");
      for (int k = 0; k <= up; k++) {
        for (int sign = -1; sign <= 1; sign += 2) {
          double u = fold(k * (double) in.rate + sign * f, out.rate);
          if (onAPassBandTone(u, tones, passband, out)) {
            continue;
          }
          double leak = bandPower(pout, out.rate, u, out.x.length);
          if (u < 0.9 * passband && bandPower(pin, in.rate, u, in.x.length) > 0.1 * leak) {
            continue; // the input's own rounding spurs there, passed through: not an image
          }
          worst = Math.max(worst, leak / tone);
        }
      }
    }
    return -10 * Math.log10(worst);
  }

  static final int HALF_BAND = 8;

  private static boolean onAPassBandTone(double u, double[] tones, double passband, Signal out) {
    double bin = out.rate / 2.0 / (Fft.size(out.x.length) / 2.0);
    for (double f : tones) {
      if (f < passband && Math.abs(u - f) <= 2 * HALF_BAND * bin) {
        return true;
      }
    }
    return false;
  }

  /** {@code f} folded into {@code [0, rate/2]}. */
  static double fold(double f, double rate) {
    double r = ((f % rate) + rate) % rate;
    return r > rate / 2 ? rate - r : r;
  }

  /** The power of a tone at {@code f} (±{@value #HALF_BAND} bins), as the signal's mean power. */
  static double bandPower(double[] p, int rate, double f, int length) {
    int bins = p.length - 1;
    int c = (int) Math.round(f / (rate / 2.0) * bins);
    double sum = 0;
    for (int k = Math.max(0, c - HALF_BAND); k <= Math.min(bins, c + HALF_BAND); k++) {
      sum += p[k];
    }
    return normalized(sum, length);
  }

  /**
   * Spectral power summed over bins as the mean power of the signal it came from: a tone of
   * amplitude {@code a} gives {@code a²/2} (Parseval, one side of the spectrum, the window's energy
   * divided out).
   */
  static double normalized(double binPower, int length) {
    double energy =
        WINDOW_ENERGY.computeIfAbsent(
            length,
            n -> {
              double e = 0;
              for (double v : Fft.kaiser(n, 20)) {
                e += v * v;
              }
              return e;
            });
    return 2 * binPower / (Fft.size(length) * energy);
  }

  private static final java.util.Map<Integer, Double> WINDOW_ENERGY =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The tone's power (±10 bins) over everything else above DC (bins 10 and up), in dB. */
  static double sinadDb(Signal out, double hz) {
    double[] p = Fft.powerSpectrum(out.x);
    int n = 2 * (p.length - 1);
    int tone = (int) Math.round(hz * n / out.rate);
    double signal = 0;
    double rest = 0;
    for (int k = 10; k < p.length; k++) {
      if (Math.abs(k - tone) <= 10) {
        signal += p[k];
      } else {
        rest += p[k];
      }
    }
    return 10 * Math.log10(signal / rest);
  }

  /**
   * The filter's own response: its taps laid out on the fine grid (the prototype, {@code up} times
   * the input rate), transformed. Returns {pass band ripple dB (to 90% of the lower Nyquist), stop
   * band attenuation dB (from the lower Nyquist up)}.
   */
  static double[] designResponse(PolyphaseFilter f) {
    int length = f.up * f.taps;
    int n = Fft.size(8 * length);
    double[] re = new double[n];
    double[] im = new double[n];
    for (int p = 0; p < f.up; p++) {
      for (int t = 0; t < f.taps; t++) {
        // coefficient (p, t) is the kernel at p/up + K - 1 - t input samples: fine-grid index
        re[p + (f.taps - 1 - t) * f.up] = f.coefficients[p * f.taps + t];
      }
    }
    Fft.transform(re, im);
    // Fine grid rate = up × input rate; bin k is k/n of it. The lower Nyquist, in bins:
    double lowerNyquist = 0.5 * Math.min(f.up, f.down) / f.down * n / f.up;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double stop = 0;
    for (int k = 0; k <= n / 2; k++) {
      double gain = Math.hypot(re[k], im[k]) / f.up;
      if (k <= 0.9 * lowerNyquist) {
        min = Math.min(min, gain);
        max = Math.max(max, gain);
      } else if (k >= lowerNyquist) {
        stop = Math.max(stop, gain);
      }
    }
    return new double[] {20 * Math.log10(max / min), -20 * Math.log10(stop)};
  }

  // ---------------------------------------------------------------- the committed files

  /** A WAV of {@code src/test/resources/resample/}: 16-bit PCM or 32-bit float, mono. */
  static Signal read(String name) {
    byte[] bytes;
    try (InputStream in = ResampleQualityTest.class.getResourceAsStream("/resample/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /resample/" + name);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WavFormat.Info w = WavFormat.parse(new Content(MediaKinds.WAV, ByteBuffer.wrap(bytes)));
    ByteBuffer data =
        ByteBuffer.wrap(bytes, w.dataOffset(), w.dataLength())
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    double[] x;
    if (w.isPcm16()) {
      x = new double[w.dataLength() / 2];
      for (int i = 0; i < x.length; i++) {
        x[i] = data.getShort(2 * i);
      }
    } else if (w.bitsPerSample() == 32 && w.encoding() == WavFormat.Encoding.FLOAT) {
      x = new double[w.dataLength() / 4];
      for (int i = 0; i < x.length; i++) {
        x[i] = data.getFloat(4 * i) * 32768.0;
      }
    } else {
      throw new IllegalStateException(name + ": " + w);
    }
    return new Signal(w.sampleRate(), x);
  }
}
