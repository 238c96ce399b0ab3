package io.axon.buffer.kinds.media;

import java.util.Random;

/** Test signals as interleaved PCM16 little-endian bytes, and back to samples. */
final class Pcm16Signals {

  private Pcm16Signals() {}

  /** The rates the resampler is specified for. */
  static final int[] RATES = {8000, 16000, 22050, 24000, 44100, 48000};

  /** A sine of {@code hz} at {@code amplitude} (of full scale), rounded, on every channel. */
  static byte[] sine(int rate, double hz, double amplitude, int frames, int channels) {
    short[] s = new short[frames * channels];
    for (int i = 0; i < frames; i++) {
      short v = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
      for (int c = 0; c < channels; c++) {
        s[i * channels + c] = v;
      }
    }
    return bytes(s);
  }

  /** Speech-like noise: a random walk with bursts, each channel its own, full 16-bit range. */
  static byte[] noise(long seed, int frames, int channels) {
    Random r = new Random(seed);
    short[] s = new short[frames * channels];
    double[] level = new double[channels];
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        level[c] = 0.98 * level[c] + r.nextGaussian() * 3000;
        long v = Math.round(level[c] + (r.nextInt(50) == 0 ? r.nextGaussian() * 20000 : 0));
        s[i * channels + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
      }
    }
    return bytes(s);
  }

  static byte[] bytes(short[] samples) {
    byte[] b = new byte[2 * samples.length];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return b;
  }

  static short[] samples(byte[] pcm) {
    short[] s = new short[pcm.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
    }
    return s;
  }
}
