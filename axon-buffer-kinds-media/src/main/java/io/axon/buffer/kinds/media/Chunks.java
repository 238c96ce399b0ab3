package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;

/**
 * What the transcoders share: reading a view (plain or composite) in array-sized chunks, and
 * acquiring the output builder at its final size.
 *
 * <p>Transcoders read their input through {@link ZeroCopyBuffer#asReadOnlyByteBuffers()} (no
 * consolidation of composites) in chunks of {@value #CHUNK} bytes or less, copied into a small
 * scratch array, converted there by a plain array loop, and appended to the output builder: two
 * bulk copies around a loop the JIT compiles tightly. The scratch is sized by the input, so a
 * 160-byte RTP frame costs 160 + 320 bytes of scratch, not 24 KiB.
 */
final class Chunks {

  private Chunks() {}

  /** Input bytes per chunk (a multiple of every sample size but odd ones, 3 and 6). */
  static final int CHUNK = 8192;

  /** Receives one chunk: {@code length} bytes of {@code scratch} from 0. */
  interface Sink {
    void accept(byte[] scratch, int length);
  }

  /**
   * Feeds {@code input} to {@code sink} in chunks of {@code scratch.length} bytes (the last may be
   * shorter). Pieces of a composite are joined, so a chunk boundary never depends on where the
   * pieces end: callers that size the scratch as a multiple of their sample size always get whole
   * samples, except in a last chunk whose input length is not a multiple.
   */
  static void forEach(ZeroCopyBuffer input, byte[] scratch, Sink sink) {
    int filled = 0;
    for (ByteBuffer piece : input.asReadOnlyByteBuffers()) {
      while (piece.hasRemaining()) {
        int k = Math.min(piece.remaining(), scratch.length - filled);
        piece.get(scratch, filled, k);
        filled += k;
        if (filled == scratch.length) {
          sink.accept(scratch, filled);
          filled = 0;
        }
      }
    }
    if (filled > 0) {
      sink.accept(scratch, filled);
    }
  }

  /** A scratch array for chunks of whole {@code unit}-byte samples, no larger than needed. */
  static byte[] scratch(int inputLength, int unit) {
    int size = Math.max(unit, CHUNK / unit * unit);
    return new byte[Math.max(unit, Math.min(size, inputLength))];
  }

  /**
   * A builder for exactly {@code size} bytes of output.
   *
   * @throws UnsupportedContentException if the output would not fit in one buffer
   */
  static BufferMut acquire(BufferAllocator allocator, long size, BufferKind from, BufferKind to) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new UnsupportedContentException(from, "converting to " + to + " gives " + size
          + " bytes, more than one buffer holds");
    }
    return allocator.acquire((int) size);
  }
}
