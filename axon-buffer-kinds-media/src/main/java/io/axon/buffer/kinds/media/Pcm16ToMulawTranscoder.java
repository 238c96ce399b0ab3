package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code pcm16 → mulaw8}: G.711 μ-law encoding ({@link MuLaw}, bit-exact with G.191, full-scale
 * input clamped), two bytes (signed 16-bit little-endian) in, one byte out. Options are ignored.
 *
 * <p>An odd input length is a {@link MalformedContentException}, not a silent truncation: the
 * last byte would be half a sample. Cost: one output buffer of half the input length from the
 * allocator; released on failure.
 */
@AutoService(BufferTranscoder.class)
public final class Pcm16ToMulawTranscoder implements BufferTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public Pcm16ToMulawTranscoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.PCM16;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.MULAW8;
  }

  @Override
  public ZeroCopyBuffer transcode(ZeroCopyBuffer input, TranscodeOptions options,
      BufferAllocator allocator) {
    int n = input.length();
    Pcm16.checkWholeSamples(n, 1);
    BufferMut out = allocator.acquire(n / 2);
    try {
      byte[] pcm = Chunks.scratch(n, 2);
      byte[] codes = new byte[pcm.length / 2];
      Chunks.forEach(input, pcm, (chunk, length) -> {
        MuLaw.encode(chunk, 0, codes, 0, length / 2);
        out.append(codes, 0, length / 2);
      });
      return out.freeze(MediaKinds.MULAW8);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }
}
