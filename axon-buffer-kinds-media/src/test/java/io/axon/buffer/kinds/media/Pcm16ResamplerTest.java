package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The streaming converter on its own, over pooled memory; every test ends with the pool empty. */
class Pcm16ResamplerTest extends PooledTest {

  /** The output of a whole stream in one call, as the {@code pcm16 → pcm16} transcoder runs it. */
  byte[] oneCall(byte[] pcm, int from, int to, int channels) {
    return Pcm16ResamplerPropertyTest.oneCall(pcm, from, to, channels, pool);
  }

  @Test
  void twentyMillisecondFramesAt8kHzGive320SamplesEachOnceTheLookAheadIsFilled() {
    byte[] pcm = Pcm16Signals.noise(1, 160 * 50, 1); // one second in 50 frames
    Pcm16Resampler up = Pcm16Resampler.create(8000, 16000, 1);
    assertEquals(64, up.latencyFrames());
    assertEquals(128, up.filterTaps());
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    for (int f = 0; f < 50; f++) {
      try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, slice(pcm, f * 320, 320));
          ZeroCopyBuffer out = up.process(in, pool.forTenant("call"))) {
        assertEquals(f == 0 ? 2 * (160 - 64) * 2 : 640, out.length(), "frame " + f);
        assertEquals(MediaKinds.PCM16, out.kind());
        assertEquals(java.util.Optional.of("call"), out.tenant(), "the caller's tenant pays");
        got.writeBytes(out.toByteArray());
      }
    }
    assertEquals(8000, up.inputFrames());
    try (ZeroCopyBuffer tail = up.finish(pool)) {
      assertEquals(2 * 64 * 2, tail.length(), "the look-ahead, flushed with silence");
      got.writeBytes(tail.toByteArray());
    }
    assertArrayEquals(oneCall(pcm, 8000, 16000, 1), got.toByteArray());
  }

  /** Output sample m is at input time m·from/to: a sine comes out as the same sine, in phase. */
  @Test
  void theOutputIsTheSameToneAtTheNewRateInPhase() {
    int[][] pairs = {
      {8000, 16000},
      {16000, 8000},
      {8000, 24000},
      {44100, 16000},
      {16000, 44100},
      {48000, 44100},
      {22050, 48000},
      {24000, 16000}
    };
    for (int[] p : pairs) {
      int from = p[0];
      int to = p[1];
      int frames = from / 2;
      short[] out =
          Pcm16Signals.samples(oneCall(Pcm16Signals.sine(from, 1000, 0.5, frames, 1), from, to, 1));
      assertEquals((2L * frames * to + from) / (2L * from), out.length);
      double worst = 0;
      for (int m = 200; m < out.length - 200; m++) {
        double expected = Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 1000 * m / to));
        worst = Math.max(worst, Math.abs(out[m] - expected));
      }
      assertTrue(worst <= 2, from + " -> " + to + ": off by up to " + worst + " LSB");
    }
  }

  /**
   * An hour of a 1 kHz tone at 8 kHz, fed in 20 ms frames: exactly 57,600,000 samples out at 16
   * kHz, and the last ones still in phase with the tone (no drift).
   */
  @Test
  void anHourOfAudioKeepsItsSampleCountAndItsPhase() {
    int from = 8000;
    int to = 16000;
    int frame = 160;
    byte[] period = Pcm16Signals.sine(from, 1000, 0.5, from, 1); // 1 s: a whole number of cycles
    Pcm16Resampler up = Pcm16Resampler.create(from, to, 1);
    BufferAllocator calls = pool.forTenant("call");
    short[] last = null;
    ByteBuffer in = ByteBuffer.wrap(period);
    long frames = 3600L * from / frame;
    for (long f = 0; f < frames; f++) {
      int at = (int) (f % (from / frame)) * frame * 2;
      in.limit(at + frame * 2).position(at);
      BufferMut out = calls.acquire(up.outputBytes(frame * 2));
      up.process(in, out);
      try (ZeroCopyBuffer o = out.freeze()) {
        if (f == frames - 1) {
          last = Pcm16Signals.samples(o.toByteArray());
        }
      }
    }
    assertEquals(3600L * from, up.inputFrames());
    long produced = up.outputFrames();
    assertEquals(3600L * to - 2 * 64, produced, "all but the look-ahead");
    for (int i = 0; i < last.length; i++) {
      long m = produced - last.length + i;
      double expected = Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 1000 * (m % to) / to));
      assertTrue(
          Math.abs(last[i] - expected) <= 2, "sample " + m + ": " + last[i] + " " + expected);
    }
    try (ZeroCopyBuffer tail = up.finish(pool)) {
      assertEquals(2 * 64 * 2, tail.length());
    }
  }

  @Test
  void stereoChannelsAreFilteredApart() {
    int frames = 4000;
    short[] left = Pcm16Signals.samples(Pcm16Signals.sine(8000, 440, 0.7, frames, 1));
    short[] stereo = new short[2 * frames];
    for (int i = 0; i < frames; i++) {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = 0;
    }
    short[] out = Pcm16Signals.samples(oneCall(Pcm16Signals.bytes(stereo), 8000, 48000, 2));
    short[] mono = Pcm16Signals.samples(oneCall(Pcm16Signals.bytes(left), 8000, 48000, 1));
    assertEquals(2 * mono.length, out.length);
    for (int i = 0; i < mono.length; i++) {
      assertEquals(mono[i], out[2 * i], "left " + i);
      assertEquals(0, out[2 * i + 1], "right " + i);
    }
  }

  @Test
  void equalRatesGiveTheInputBack() {
    byte[] pcm = Pcm16Signals.noise(7, 1000, 2);
    assertArrayEquals(pcm, oneCall(pcm, 16000, 16000, 2));
  }

  @Test
  void aStreamEndingInAPartialFrameIsMalformedAndNamesIt() {
    Pcm16Resampler r = Pcm16Resampler.create(8000, 16000, 2);
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, new byte[7]);
        ZeroCopyBuffer out = r.process(in, pool)) {
      assertEquals(0, out.length(), "still inside the look-ahead");
    }
    MalformedContentException e =
        assertThrows(MalformedContentException.class, () -> r.finish(pool));
    assertTrue(e.getMessage().contains("partial frame: 3 of 4 bytes"), e.getMessage());
    assertEquals(4, e.offset());
    r.reset();
    try (ZeroCopyBuffer tail = r.finish(pool)) {
      assertEquals(0, tail.length(), "a reset stream is empty");
    }
  }

  @Test
  void aRefusedAllocationConsumesNothing() {
    byte[] pcm = Pcm16Signals.noise(3, 4000, 1);
    try (SlabBufferPool tight = SlabBufferPool.builder().hardLimit("tight", 4096).build()) {
      Pcm16Resampler r = Pcm16Resampler.create(8000, 16000, 1);
      try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, pcm)) {
        assertThrows(
            TenantLimitExceededException.class, () -> r.process(in, tight.forTenant("tight")));
        assertEquals(0, r.inputFrames());
        assertEquals(0, tight.snapshot().liveBytes());
        try (ZeroCopyBuffer out = r.process(in, pool);
            ZeroCopyBuffer tail = r.finish(pool)) {
          byte[] got = new byte[out.length() + tail.length()];
          out.getBytes(0, got, 0, out.length());
          tail.getBytes(0, got, out.length(), tail.length());
          assertArrayEquals(oneCall(pcm, 8000, 16000, 1), got);
        }
      }
    }
  }

  @Test
  void aBuilderFailingPartWayIsReleasedAndTheConverterRefusesUntilReset() {
    byte[] pcm = Pcm16Signals.noise(4, 8000, 1);
    Pcm16Resampler r = Pcm16Resampler.create(8000, 16000, 1);
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, pcm)) {
      assertThrows(BufferAllocationException.class, () -> r.process(in, failingOnAppend(2)));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> r.process(in, pool));
      assertTrue(e.getMessage().contains("reset()"), e.getMessage());
      r.reset();
      try (ZeroCopyBuffer out = r.process(in, pool);
          ZeroCopyBuffer tail = r.finish(pool)) {
        assertEquals(2 * 2 * 8000, out.length() + tail.length());
      }
    }
  }

  @Test
  void fullScaleInputThatOvershootsIsClippedAndCounted() {
    short[] square = new short[4000];
    for (int i = 0; i < square.length; i++) {
      square[i] = (i / 10) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    Pcm16Resampler r = Pcm16Resampler.create(8000, 16000, 1);
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, Pcm16Signals.bytes(square));
        ZeroCopyBuffer out = r.process(in, pool)) {
      assertTrue(r.clippedSamples() > 0, "Gibbs overshoot past full scale is clipped");
      short[] s = Pcm16Signals.samples(out.toByteArray());
      assertTrue(java.util.Arrays.stream(toInts(s)).anyMatch(v -> v == Short.MAX_VALUE));
    }
    r.reset();
    assertEquals(0, r.clippedSamples());
  }

  @Test
  void ratesAndChannelsOutOfRangeAreRefusedWithTheirValues() {
    IllegalArgumentException fine =
        assertThrows(IllegalArgumentException.class, () -> Pcm16Resampler.create(44100, 44101, 1));
    assertTrue(fine.getMessage().contains("44101/44100"), fine.getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Pcm16Resampler.create(0, 8000, 1))
            .getMessage()
            .contains("was 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Pcm16Resampler.create(8000, 16000, 256))
            .getMessage()
            .contains("was 256"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Pcm16Resampler.create(11025, 32000, 1))
            .getMessage()
            .contains("1280/441"));
    assertEquals(128, Pcm16Resampler.create(32000, 44100, 1).filterTaps(), "441/320 is accepted");
  }

  /**
   * Once its scratch has grown to the frame size, a call allocates nothing on the heap: 20 ms
   * frames appended to a builder that has room.
   */
  @Test
  void theSteadyStateAllocatesNothingOnTheHeap() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    byte[] frame = Pcm16Signals.noise(5, 160, 1);
    ByteBuffer in = ByteBuffer.wrap(frame);
    Pcm16Resampler r = Pcm16Resampler.create(8000, 16000, 1);
    try (BufferMut out = pool.acquire(4 << 20)) {
      for (int i = 0; i < 2000; i++) { // warm up: scratch sized, code compiled
        r.process(in.clear(), out);
      }
      long before = threads.getThreadAllocatedBytes(self);
      for (int i = 0; i < 1000; i++) {
        r.process(in.clear(), out);
      }
      long allocated = threads.getThreadAllocatedBytes(self) - before;
      assertTrue(allocated < 1024, allocated + " bytes allocated by 1000 frames");
    }
  }

  /**
   * The converter's rounding is {@link Math#round(float)}: halves, their neighbours, the limits.
   */
  @Test
  void roundingIsMathRound() {
    java.util.List<Float> edges = new java.util.ArrayList<>();
    for (float f :
        new float[] {0.5f, 1.5f, 2.5f, 32767.5f, 32768.5f, 8388607.5f, 0x1p23f, 0x1p31f}) {
      for (float g : new float[] {f, -f}) {
        edges.add(g);
        edges.add(Math.nextUp(g));
        edges.add(Math.nextDown(g));
      }
    }
    for (float f :
        new float[] {
          0f,
          -0f,
          Float.MIN_VALUE,
          -Float.MIN_VALUE,
          0x1p-40f,
          -0x1p-40f,
          Float.MAX_VALUE,
          -Float.MAX_VALUE,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          Float.NaN
        }) {
      edges.add(f);
    }
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 1_000_000; i++) {
      edges.add(Float.intBitsToFloat(random.nextInt()));
      edges.add((random.nextFloat() - 0.5f) * 80_000f);
    }
    for (float f : edges) {
      assertEquals(Math.round(f), Pcm16Resampler.round(f), () -> Float.toString(f));
    }
  }

  private static int[] toInts(short[] s) {
    int[] i = new int[s.length];
    for (int k = 0; k < s.length; k++) {
      i[k] = s[k];
    }
    return i;
  }

  private static byte[] slice(byte[] b, int at, int n) {
    return java.util.Arrays.copyOfRange(b, at, at + n);
  }
}
