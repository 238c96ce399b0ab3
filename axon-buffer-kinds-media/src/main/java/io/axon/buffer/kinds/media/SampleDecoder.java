package io.axon.buffer.kinds.media;

import io.axon.buffer.UnsupportedContentException;
import java.util.Locale;

/**
 * Turns the samples of a WAV's {@code data} chunk into 16-bit linear samples, one encoding per
 * instance: unsigned 8-bit, signed 16/24/32-bit PCM, 32/64-bit IEEE float, μ-law and A-law.
 *
 * <p>Reductions round as sox does (so its {@code -D} output is the reference): integer PCM wider
 * than 16 bits rounds half up on the bits dropped and clips at 32767; float multiplies by 32768,
 * rounds, and clips to the 16-bit range (NaN becomes 0).
 */
abstract class SampleDecoder {

  /** Bytes per sample in the data chunk. */
  final int bytesPerSample;

  private SampleDecoder(int bytesPerSample) {
    this.bytesPerSample = bytesPerSample;
  }

  /** The 16-bit sample whose bytes start at {@code at} in {@code src}. */
  abstract int decode(byte[] src, int at);

  static SampleDecoder forWav(WavFormat.Info w) {
    int width = w.blockAlign() / w.channels();
    switch (w.encoding()) {
      case MULAW:
        return new SampleDecoder(1) {
          @Override
          int decode(byte[] src, int at) {
            return MuLaw.decode(src[at]);
          }
        };
      case ALAW:
        return new SampleDecoder(1) {
          @Override
          int decode(byte[] src, int at) {
            return ALaw.decode(src[at]);
          }
        };
      case FLOAT:
        if (width == 4) {
          return new SampleDecoder(4) {
            @Override
            int decode(byte[] src, int at) {
              return fromFloat(Float.intBitsToFloat(le(src, at, 4)));
            }
          };
        }
        return new SampleDecoder(8) {
          @Override
          int decode(byte[] src, int at) {
            long bits = (le(src, at, 4) & 0xFFFFFFFFL) | (long) le(src, at + 4, 4) << 32;
            return fromFloat(Double.longBitsToDouble(bits));
          }
        };
      case PCM:
        switch (width) {
          case 1:
            return new SampleDecoder(1) {
              @Override
              int decode(byte[] src, int at) {
                return ((src[at] & 0xFF) - 128) << 8;
              }
            };
          case 2:
            return new SampleDecoder(2) {
              @Override
              int decode(byte[] src, int at) {
                return (short) le(src, at, 2);
              }
            };
          case 3:
          case 4:
            int drop = 8 * width - 16;
            return new SampleDecoder(width) {
              @Override
              int decode(byte[] src, int at) {
                long v = ((long) le(src, at, width) << (64 - 8 * width)) >> (64 - 8 * width);
                return (int) Math.min(32767, (v + (1L << (drop - 1))) >> drop);
              }
            };
          default:
            break;
        }
        break;
      default:
        break;
    }
    throw new UnsupportedContentException(
        MediaKinds.WAV,
        String.format(
            Locale.ROOT,
            "WAV encoding %s (%d-bit, %d-byte samples) cannot be decoded to 16-bit PCM; supported: "
                + "8/16/24/32-bit integer PCM, 32/64-bit float, mu-law, A-law",
            w.encodingName(),
            w.bitsPerSample(),
            width));
  }

  /** {@code n} bytes little-endian from {@code at}, as an int (zero-extended for n < 4). */
  static int le(byte[] src, int at, int n) {
    int v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = v << 8 | (src[at + i] & 0xFF);
    }
    return v;
  }

  static int fromFloat(double x) {
    if (Double.isNaN(x)) {
      return 0;
    }
    double scaled = Math.floor(x * 32768.0 + 0.5);
    return scaled >= 32767 ? 32767 : scaled <= -32768 ? -32768 : (int) scaled;
  }
}
