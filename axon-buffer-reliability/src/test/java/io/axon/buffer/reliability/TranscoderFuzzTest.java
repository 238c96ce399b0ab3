package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import java.util.List;

/**
 * Fuzzes the media transcoders through the {@link Transcoders} facade, with the input in pooled
 * memory both as one view and as a composite of two pieces cut in the middle (the transcoders read
 * composites piece by piece, never consolidated).
 *
 * <p>{@code wavToPcm16}, {@code wavToMulaw8}: arbitrary bytes read as a WAV (seeds: the corpus's
 * WAV files, good and bad). {@link #pcmChains}: arbitrary PCM16 or μ-law bytes with arbitrary rate
 * and channel options through every chain between {@code pcm16}, {@code mulaw8} and {@code wav}.
 *
 * <p>Properties: only {@link MalformedContentException} or {@link UnsupportedContentException} come
 * out, or {@link IllegalArgumentException} where an option is missing (headerless audio to WAV
 * without the rate), thrown by our transcoder and naming the option: {@code java.nio.Buffer} throws
 * it too, for an offset bug, which must fail here; the result has the requested kind and at most 2
 * bytes per input byte; the allocator is never asked for more than that; {@code pcm16 -> wav ->
 * pcm16} gives back the same bytes and {@code mulaw8 -> pcm16 -> mulaw8} the same codes (0x7F,
 * μ-law's negative zero, comes back as 0xFF); every pooled byte goes back once input and result are
 * closed.
 */
class TranscoderFuzzTest {

  static final BufferKind PCM16 = BufferKind.of("pcm16");
  static final BufferKind MULAW8 = BufferKind.of("mulaw8");
  static final BufferKind WAV = BufferKind.of("wav");
  static final Transcoders TRANSCODERS = Transcoders.global();

  @FuzzTest(maxDuration = "4m")
  void wavToPcm16(byte[] input) {
    fromWav(input, PCM16);
  }

  @FuzzTest(maxDuration = "4m")
  void wavToMulaw8(byte[] input) {
    fromWav(input, MULAW8);
  }

  @FuzzTest(maxDuration = "4m")
  void pcmChains(FuzzedDataProvider data) {
    BufferKind from = data.pickValue(List.of(PCM16, MULAW8));
    BufferKind to = data.pickValue(List.of(PCM16, MULAW8, WAV));
    TranscodeOptions options = TranscodeOptions.none();
    try {
      if (data.consumeBoolean()) {
        options = options.withRate(data.consumeInt(-10, 2_000_000));
      }
      if (data.consumeBoolean()) {
        options = options.withChannels(data.consumeInt(-1, 300));
      }
    } catch (IllegalArgumentException invalidOption) {
      return; // refused where it is made, naming the value
    }
    byte[] bytes = data.consumeRemainingAsBytes();
    for (boolean composite : new boolean[] {false, true}) {
      RecordingAllocator allocator = FuzzPools.allocator();
      try (ZeroCopyBuffer in = pooled(bytes, from, composite, allocator)) {
        ZeroCopyBuffer out;
        try {
          out = TRANSCODERS.transcode(in, from, to, options, allocator);
        } catch (MalformedContentException | UnsupportedContentException expected) {
          continue;
        } catch (IllegalArgumentException e) {
          // Only our own option check may throw it (java.nio.Buffer throws it too, for a bad
          // position or limit: an offset bug in a transcoder must not pass as a refused option).
          assertMissingRate(e, from, to, options);
          continue;
        }
        try (out) {
          if (from.equals(to)) {
            // The facade's documented identity: a new view of the input, tagged, unchecked (the
            // first finding of this target was this test expecting whole samples here).
            assertArrayEquals(bytes, out.toByteArray());
            assertEquals(to, out.kind());
          } else {
            checkResult(out, to, bytes.length);
            roundTrip(out, bytes, from, to, options, allocator);
          }
        }
      }
      FuzzPools.assertNothingLive(from + " -> " + to + " of " + bytes.length + " bytes");
      allocator.assertLargestAtMost(2L * bytes.length + 64, "2 bytes per input byte");
    }
  }

  /**
   * Passes if {@code e} is the one option error these chains have: headerless audio to WAV without
   * the sample rate, refused by our transcoder with a message naming the option. Fails otherwise,
   * with {@code e} as the cause.
   */
  static void assertMissingRate(
      IllegalArgumentException e, BufferKind from, BufferKind to, TranscodeOptions options) {
    boolean rateMissing = to.equals(WAV) && !from.equals(WAV) && options.rate().isEmpty();
    StackTraceElement thrower = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
    boolean ours =
        thrower != null
            && thrower.getClassName().startsWith("io.axon.buffer.")
            && e.getMessage() != null
            && e.getMessage().contains("option rate");
    if (!rateMissing || !ours) {
      throw new AssertionError(
          "IllegalArgumentException from "
              + from
              + " -> "
              + to
              + " with "
              + options
              + (rateMissing ? " (rate missing)" : " (every option it needs is given)")
              + ", thrown at "
              + thrower,
          e);
    }
  }

  static void fromWav(byte[] input, BufferKind to) {
    for (boolean composite : new boolean[] {false, true}) {
      RecordingAllocator allocator = FuzzPools.allocator();
      try (ZeroCopyBuffer in = pooled(input, WAV, composite, allocator)) {
        try (ZeroCopyBuffer out =
            TRANSCODERS.transcode(in, to, TranscodeOptions.none(), allocator)) {
          checkResult(out, to, input.length);
        } catch (MalformedContentException | UnsupportedContentException expected) {
          assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
        }
      }
      FuzzPools.assertNothingLive("wav -> " + to + " of " + input.length + " bytes");
      allocator.assertLargestAtMost(2L * input.length + 64, "2 bytes per input byte");
    }
  }

  static void checkResult(ZeroCopyBuffer out, BufferKind to, int inputLength) {
    assertEquals(to, out.kind());
    long bound = 2L * inputLength + (to.equals(WAV) ? 44 : 0);
    assertTrue(out.length() <= bound, out.length() + " bytes out of " + inputLength);
    if (to.equals(PCM16)) {
      assertEquals(0, out.length() % 2, "pcm16 holds whole samples");
    }
    out.sha256(); // every byte of the result is readable
  }

  static void roundTrip(
      ZeroCopyBuffer out,
      byte[] original,
      BufferKind from,
      BufferKind to,
      TranscodeOptions options,
      RecordingAllocator allocator) {
    if (from.equals(PCM16) && to.equals(WAV)) {
      try (ZeroCopyBuffer back = TRANSCODERS.transcode(out, WAV, PCM16, options, allocator)) {
        assertArrayEquals(original, back.toByteArray(), "pcm16 -> wav -> pcm16");
      }
    } else if (from.equals(MULAW8) && to.equals(PCM16)) {
      try (ZeroCopyBuffer back = TRANSCODERS.transcode(out, PCM16, MULAW8, options, allocator)) {
        byte[] expected = original.clone();
        for (int i = 0; i < expected.length; i++) {
          if (expected[i] == 0x7F) {
            expected[i] = (byte) 0xFF;
          }
        }
        assertArrayEquals(expected, back.toByteArray(), "mulaw8 -> pcm16 -> mulaw8");
      }
    }
  }

  /** {@code bytes} in pooled memory, as one view or as two views joined in a composite. */
  static ZeroCopyBuffer pooled(
      byte[] bytes, BufferKind kind, boolean composite, RecordingAllocator allocator) {
    if (!composite || bytes.length < 2) {
      return copy(bytes, 0, bytes.length, kind);
    }
    int cut = bytes.length / 2;
    try (ZeroCopyBuffer a = copy(bytes, 0, cut, kind);
        ZeroCopyBuffer b = copy(bytes, cut, bytes.length - cut, kind)) {
      return Buffers.composite(kind, List.of(a, b));
    }
  }

  private static ZeroCopyBuffer copy(byte[] bytes, int from, int length, BufferKind kind) {
    try (BufferMut m = FuzzPools.POOL.acquire(length, FuzzPools.TENANT)) {
      return m.append(bytes, from, length).freeze(kind);
    }
  }
}
