package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code wav → wav} at another sample rate: the rate step of WAV content, whose rate and channel
 * count come from its header (so {@code transcode --to wav --to-rate 16000 in.wav out.wav} needs no
 * {@code --rate}). The samples are taken as {@code wav → pcm16} takes them (a slice of 16-bit PCM;
 * other encodings decoded), converted by {@link Pcm16Resampler}, and framed as {@code pcm16 → wav}
 * frames them: a 16-bit PCM WAV whose header is new and whose samples are not copied again.
 *
 * <p>Options: the target rate is required ({@link TranscodeOptions#withTargetRate}); the rate and
 * channel options are ignored (the header says them). A WAV already at the target rate is returned
 * as a new view of itself, whatever its encoding. A malformed header is a {@link
 * io.axon.buffer.MalformedContentException}; an encoding the WAV transcoders do not decode, more
 * than 255 channels, or a rate pair the converter refuses, an {@link UnsupportedContentException}.
 *
 * <p>Cost: a decoded copy for encodings other than 16-bit PCM, the converted samples, a 44-byte
 * header; intermediates are released before returning, and on failure.
 */
@AutoService(BufferTranscoder.class)
public final class WavResampleTranscoder extends BuiltInTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public WavResampleTranscoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.WAV;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.WAV;
  }

  @Override
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    int target = Pcm16.targetRate(options, "wav -> wav");
    WavFormat.Info w = WavTranscoding.header(input);
    if (w.sampleRate() == target) {
      return input.share();
    }
    try {
      Pcm16Resampler.filterFor(w.sampleRate(), target, w.channels()); // refuses before any work
    } catch (IllegalArgumentException e) {
      throw new UnsupportedContentException(MediaKinds.WAV, e.getMessage());
    }
    try (ZeroCopyBuffer pcm =
            w.isPcm16()
                ? WavTranscoding.slice(input, w, MediaKinds.PCM16)
                : WavTranscoding.decode(input, w, MediaKinds.PCM16, allocator);
        ZeroCopyBuffer converted =
            Pcm16ResampleTranscoder.resample(
                pcm, w.sampleRate(), target, w.channels(), allocator)) {
      return new Pcm16ToWavTranscoder()
          .transcode(
              converted,
              TranscodeOptions.none().withRate(target).withChannels(w.channels()),
              allocator);
    }
  }
}
