package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.InPlaceWrites;
import io.axon.buffer.spi.BufferTranscoder;
import java.nio.ByteBuffer;

/**
 * {@code mulaw8 → pcm16}: G.711 μ-law decoding ({@link MuLaw}, bit-exact with G.191), one byte in,
 * two bytes (signed 16-bit little-endian) out. Rate and channels pass through unchanged (neither
 * kind carries them). Options are ignored.
 *
 * <p>Cost: one output buffer of twice the input length from the allocator. With the core's pooled
 * builders the codes are decoded straight from the input's memory into the output's (eight codes
 * per step, no intermediate array); with another allocator's builders, through 8 KiB scratch
 * chunks and {@code append}. On failure the output is released.
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
      ByteBuffer tail = InPlaceWrites.tail(out, 2 * n);
      if (tail != null) {
        int at = 0;
        for (ByteBuffer piece : input.asReadOnlyByteBuffers()) {
          int k = piece.remaining();
          MuLaw.decode(piece, piece.position(), tail, at, k);
          at += 2 * k;
        }
        InPlaceWrites.commit(out, 2 * n);
        return out.freeze(MediaKinds.PCM16);
      }
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
