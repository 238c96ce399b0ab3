package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.PoolAssertions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * However a stream is cut (20 ms frames, single bytes, odd byte counts that split a sample or a
 * stereo frame), the resampler gives the same samples, bit for bit, as one call over the whole
 * signal, and as many as sox would ({@code round(frames·to/from)}).
 */
class Pcm16ResamplerPropertyTest {

  @Property(tries = 120)
  void anyCutOfTheStreamGivesTheSameSamplesAsOneCall(@ForAll long seed) {
    Random r = new Random(seed);
    int from = Pcm16Signals.RATES[r.nextInt(Pcm16Signals.RATES.length)];
    int to = Pcm16Signals.RATES[r.nextInt(Pcm16Signals.RATES.length)];
    int channels = 1 + r.nextInt(2);
    int frames = r.nextInt(2000);
    byte[] pcm = Pcm16Signals.noise(seed, frames, channels);
    try (SlabBufferPool pool = SlabBufferPool.builder().build()) {
      byte[] whole = oneCall(pcm, from, to, channels, pool);
      assertEquals(
          2L * channels * ((2L * frames * to + from) / (2L * from)),
          whole.length,
          "round(frames·to/from) frames");
      Pcm16Resampler resampler = Pcm16Resampler.create(from, to, channels);
      ByteArrayOutputStream pieces = new ByteArrayOutputStream();
      int at = 0;
      while (at < pcm.length) {
        int n = Math.min(pcm.length - at, pieceSize(r, from, channels));
        int expected = resampler.outputBytes(n);
        if (r.nextBoolean()) {
          try (ZeroCopyBuffer in = pooled(pool, pcm, at, n);
              ZeroCopyBuffer out = resampler.process(in, pool.forTenant("call"))) {
            assertEquals(expected, out.length());
            pieces.writeBytes(out.toByteArray());
          }
        } else {
          ByteBuffer in = ByteBuffer.wrap(pcm, at, n).slice();
          BufferMut b = pool.acquire(0);
          assertEquals(expected, resampler.process(in, b));
          assertEquals(n, in.position(), "the piece is consumed");
          try (ZeroCopyBuffer out = b.freeze()) {
            pieces.writeBytes(out.toByteArray());
          }
        }
        at += n;
      }
      int rest = resampler.finishBytes();
      try (ZeroCopyBuffer tail = resampler.finish(pool)) {
        assertEquals(rest, tail.length());
        pieces.writeBytes(tail.toByteArray());
      }
      assertArrayEquals(whole, pieces.toByteArray(), from + " -> " + to + " x" + channels);
      assertEquals(0, resampler.outputFrames(), "finish starts a new stream");
      PoolAssertions.assertClean(pool);
    }
  }

  /** Mostly 20 ms frames (160 samples at 8 kHz), sometimes a byte, an odd count, or a big piece. */
  private static int pieceSize(Random r, int rate, int channels) {
    switch (r.nextInt(5)) {
      case 0:
        return 1;
      case 1:
        return 1 + r.nextInt(7);
      case 2:
        return 1 + r.nextInt(5000);
      default:
        return rate / 50 * 2 * channels;
    }
  }

  static byte[] oneCall(byte[] pcm, int from, int to, int channels, SlabBufferPool pool) {
    return oneCall(Pcm16Resampler.create(from, to, channels), pcm, pool);
  }

  /** The whole of {@code pcm} through {@code resampler} in one call, then finished. */
  static byte[] oneCall(Pcm16Resampler resampler, byte[] pcm, SlabBufferPool pool) {
    try (ZeroCopyBuffer in = pooled(pool, pcm, 0, pcm.length);
        BufferMut out = pool.acquire(resampler.streamBytes(pcm.length))) {
      resampler.process(in, out);
      resampler.finish(out);
      try (ZeroCopyBuffer result = out.freeze()) {
        return result.toByteArray();
      }
    }
  }

  static ZeroCopyBuffer pooled(SlabBufferPool pool, byte[] bytes, int at, int n) {
    return pool.acquire(n).append(bytes, at, n).freeze(MediaKinds.PCM16);
  }
}
