package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code pcm16 → pcm16} at another sample rate: the rate step {@code Transcoders} runs when the
 * options ask for a target rate ({@code pcm16@8000 → pcm16@16000}, also after {@code mulaw8 →
 * pcm16}). A whole buffer through one {@link Pcm16Resampler}: what a stream fed in pieces gives,
 * bit for bit, with the same filter, alignment, length ({@code round(frames·to/from)}), rounding
 * and clipping.
 *
 * <p>Options: the source rate ({@link TranscodeOptions#withRate}) and the target rate ({@link
 * TranscodeOptions#withTargetRate}) are required (headerless PCM carries neither); the channel
 * count defaults to 1. Equal rates return a new view of the input (no copy). The input must hold
 * whole frames, else {@link io.axon.buffer.MalformedContentException}; rates whose ratio the
 * converter refuses are an {@link IllegalArgumentException} naming them.
 *
 * <p>Cost: one output buffer of exactly the result's size from the allocator (released on failure),
 * and {@link Pcm16Resampler}'s work: 128 multiply-adds per output sample when converting up.
 */
@AutoService(BufferTranscoder.class)
public final class Pcm16ResampleTranscoder extends BuiltInTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public Pcm16ResampleTranscoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.PCM16;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.PCM16;
  }

  @Override
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    int rate = Pcm16.rate(options, "pcm16 -> pcm16 at another rate");
    int target = Pcm16.targetRate(options, "pcm16 -> pcm16");
    int channels = options.channels().orElse(Pcm16ToWavTranscoder.DEFAULT_CHANNELS);
    Pcm16.checkWholeSamples(input.length(), channels);
    return resample(input, rate, target, channels, allocator);
  }

  /**
   * {@code pcm} (whole frames) from {@code rate} to {@code target}: a new view of the input when
   * the rates are equal, else a new buffer from {@code allocator}.
   */
  static ZeroCopyBuffer resample(
      ZeroCopyBuffer pcm, int rate, int target, int channels, BufferAllocator allocator) {
    if (rate == target) {
      return pcm.retag(MediaKinds.PCM16);
    }
    Pcm16Resampler resampler = Pcm16Resampler.create(rate, target, channels);
    BufferMut out = allocator.acquire(resampler.streamBytes(pcm.length()));
    try {
      resampler.process(pcm, out);
      resampler.finish(out);
      return out.freeze(MediaKinds.PCM16);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }
}
