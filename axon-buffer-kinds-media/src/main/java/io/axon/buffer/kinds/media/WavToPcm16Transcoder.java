package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code wav → pcm16}: the samples of a WAV as headerless signed 16-bit little-endian PCM, channels
 * interleaved as in the file; rate and channel count are dropped (inspect the WAV first if you need
 * them).
 *
 * <ul>
 *   <li>16-bit PCM (plain or extensible): a slice of the {@code data} chunk, retagged. No copy, no
 *       allocation.
 *   <li>8-bit unsigned, 24/32-bit integer, 32/64-bit float, μ-law, A-law: decoded into a new buffer
 *       from the allocator, rounding as sox does ({@code sox -D}).
 *   <li>Anything else (ADPCM, MP3 in WAV, …): {@link io.axon.buffer.UnsupportedContentException}.
 * </ul>
 *
 * A malformed header is a {@link io.axon.buffer.MalformedContentException}. Sizes are capped at the
 * bytes present; a partial last frame is dropped. Options are ignored.
 */
@AutoService(BufferTranscoder.class)
public final class WavToPcm16Transcoder extends BuiltInTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public WavToPcm16Transcoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.WAV;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.PCM16;
  }

  @Override
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    WavFormat.Info w = WavTranscoding.header(input);
    if (w.isPcm16()) {
      return WavTranscoding.slice(input, w, MediaKinds.PCM16);
    }
    return WavTranscoding.decode(input, w, MediaKinds.PCM16, allocator);
  }
}
