package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code wav → mulaw8}: the samples of a WAV as headerless G.711 μ-law, channels interleaved as in
 * the file; rate and channel count are dropped.
 *
 * <ul>
 *   <li>A μ-law WAV (format tag 7, or extensible with the μ-law sub-format): a slice of the {@code
 *       data} chunk, retagged. No copy, no allocation.
 *   <li>Any encoding {@link WavToPcm16Transcoder} decodes: decoded to 16-bit linear, then encoded
 *       per G.191 ({@link MuLaw}) into a new buffer from the allocator. The rate is not changed: a
 *       44.1 kHz WAV gives 44.1 kHz μ-law.
 * </ul>
 *
 * Errors as for {@link WavToPcm16Transcoder}. Options are ignored.
 */
@AutoService(BufferTranscoder.class)
public final class WavToMulawTranscoder extends BuiltInTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public WavToMulawTranscoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.WAV;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.MULAW8;
  }

  @Override
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    WavFormat.Info w = WavTranscoding.header(input);
    if (w.isMulaw()) {
      return WavTranscoding.slice(input, w, MediaKinds.MULAW8);
    }
    return WavTranscoding.decode(input, w, MediaKinds.MULAW8, allocator);
  }
}
