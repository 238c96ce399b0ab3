package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;
import java.nio.ByteBuffer;

/**
 * {@code pcm16 → mulaw8}: G.711 μ-law encoding ({@link MuLaw}, bit-exact with G.191, full-scale
 * input clamped), two bytes (signed 16-bit little-endian) in, one byte out. Options are ignored.
 *
 * <p>An odd input length is a {@link MalformedContentException}, not a silent truncation: the last
 * byte would be half a sample. Cost: one output buffer of half the input length from the allocator,
 * released on failure. With the core's pooled builders the samples are encoded straight from the
 * input's memory into the output's (eight per step, one 64 KiB table lookup each, no intermediate
 * array); with another allocator's builders, through scratch chunks and {@code append}.
 */
@AutoService(BufferTranscoder.class)
public final class Pcm16ToMulawTranscoder extends BuiltInTranscoder {

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
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    Pcm16.checkWholeSamples(input.length(), 1);
    return Chunks.convert(
        input,
        2,
        1,
        from(),
        to(),
        allocator,
        Pcm16ToMulawTranscoder::encodeInPlace,
        (pcm, count, codes) -> MuLaw.encode(pcm, 0, codes, 0, count));
  }

  /**
   * Encodes every sample of {@code input} into {@code codes} from index {@code at}, piece by piece.
   * A composite's pieces may have odd lengths, so a sample can straddle two pieces: its low byte is
   * carried over to the next piece.
   */
  private static void encodeInPlace(ZeroCopyBuffer input, ByteBuffer codes, int at) {
    int carried = -1;
    for (ByteBuffer piece : input.asReadOnlyByteBuffers()) {
      int from = piece.position();
      int end = piece.limit();
      if (carried >= 0 && from < end) {
        codes.put(at++, (byte) MuLaw.encode(carried | piece.get(from++) << 8));
        carried = -1;
      }
      int samples = (end - from) / 2;
      MuLaw.encode(piece, from, codes, at, samples);
      at += samples;
      from += 2 * samples;
      if (from < end) {
        carried = piece.get(from) & 0xFF;
      }
    }
  }
}
