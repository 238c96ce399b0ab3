package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
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
 * per step, no intermediate array); with another allocator's builders, through 8 KiB scratch chunks
 * and {@code append}. On failure the output is released.
 */
@AutoService(BufferTranscoder.class)
public final class MulawToPcm16Transcoder extends BuiltInTranscoder {

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
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    return Chunks.convert(
        input,
        1,
        2,
        from(),
        to(),
        allocator,
        MulawToPcm16Transcoder::decodeInPlace,
        (codes, count, pcm) -> MuLaw.decode(codes, 0, pcm, 0, count));
  }

  /**
   * Decodes every code of {@code input} into {@code memory} from {@code at}: the codes are copied
   * into the second half of the output's room and expanded there ({@link MuLaw#decodeExpanding}),
   * so that a frame from a view of the core costs one bulk copy and no buffer object; other inputs
   * are decoded piece by piece.
   */
  private static void decodeInPlace(ZeroCopyBuffer input, ByteBuffer memory, int at) {
    int count = input.length();
    if (InPlaceWrites.copy(input, memory, at + count)) {
      MuLaw.decodeExpanding(memory, at, count);
      return;
    }
    for (ByteBuffer piece : input.asReadOnlyByteBuffers()) {
      int k = piece.remaining();
      MuLaw.decode(piece, piece.position(), memory, at, k);
      at += 2 * k;
    }
  }
}
