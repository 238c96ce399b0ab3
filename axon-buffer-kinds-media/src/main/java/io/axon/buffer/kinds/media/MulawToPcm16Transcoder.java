package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;

/**
 * {@code mulaw8 → pcm16}: G.711 μ-law decoding ({@link MuLaw}, bit-exact with G.191), one byte in,
 * two bytes (signed 16-bit little-endian) out. Rate and channels pass through unchanged (neither
 * kind carries them). Options are ignored.
 *
 * <p>Cost: one output buffer of twice the input length from the allocator, filled in 8 KiB chunks
 * by a table-lookup loop; no other per-byte work. On failure the output is released.
 */
@AutoService(BufferTranscoder.class)
public final class MulawToPcm16Transcoder implements BufferTranscoder {

  /** Called by {@link java.util.ServiceLoader}. */
  public MulawToPcm16Transcoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.MULAW8;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.PCM16;
  }

  @Override
  public ZeroCopyBuffer transcode(ZeroCopyBuffer input, TranscodeOptions options,
      BufferAllocator allocator) {
    int n = input.length();
    BufferMut out = Chunks.acquire(allocator, 2L * n, from(), to());
    try {
      byte[] codes = Chunks.scratch(n, 1);
      byte[] pcm = new byte[2 * codes.length];
      Chunks.forEach(input, codes, (chunk, length) -> {
        MuLaw.decode(chunk, 0, pcm, 0, length);
        out.append(pcm, 0, 2 * length);
      });
      return out.freeze(MediaKinds.PCM16);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }
}
