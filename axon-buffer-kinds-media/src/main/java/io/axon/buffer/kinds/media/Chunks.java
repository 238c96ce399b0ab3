package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.InPlaceWrites;
import java.nio.ByteBuffer;

/**
 * What the converting transcoders share: acquiring the output builder at its final size, filling it
 * (in place when the builder allows it, else in array-sized chunks of the input, plain or
 * composite), and releasing it on failure.
 *
 * <p>Without in-place writing, the input is read through {@link
 * ZeroCopyBuffer#asReadOnlyByteBuffers()} (no consolidation of composites) in chunks of {@value
 * #CHUNK} bytes or less, copied into a small scratch array, converted there by a plain array loop,
 * and appended to the output builder: two bulk copies around a loop the JIT compiles tightly. The
 * scratch is sized by the input, so a 160-byte RTP frame costs 160 + 320 bytes of scratch, not 24
 * KiB.
 */
final class Chunks {

  private Chunks() {}

  /** Input bytes per chunk (a multiple of every sample size but odd ones, 3 and 6). */
  static final int CHUNK = 8192;

  /** Converts {@code count} whole samples of {@code in} from 0 into {@code out} from 0. */
  interface Converter {
    void convert(byte[] in, int count, byte[] out);
  }

  /**
   * Writes the whole output of {@code input} into {@code memory} from the absolute index {@code
   * at}: pooled memory shared with others, so absolute indexes only and nothing written past the
   * output's size (see {@link InPlaceWrites}).
   */
  interface InPlace {
    void write(ZeroCopyBuffer input, ByteBuffer memory, int at);
  }

  /**
   * Converts {@code input}, read as {@code inUnit}-byte samples, into a new buffer of {@code
   * outUnit} bytes per sample tagged {@code to}: straight into the builder's memory through {@code
   * inPlace} when it is not null and the builder is one of the core's pooled builders, else chunk
   * by chunk through {@code converter} and {@code append}. A partial last sample is dropped. On
   * failure the output is released.
   *
   * @throws UnsupportedContentException if the output would not fit in one buffer
   */
  static ZeroCopyBuffer convert(
      ZeroCopyBuffer input,
      int inUnit,
      int outUnit,
      BufferKind from,
      BufferKind to,
      BufferAllocator allocator,
      InPlace inPlace,
      Converter converter) {
    long size = (long) (input.length() / inUnit) * outUnit;
    BufferMut out = acquire(allocator, size, from, to);
    try {
      int at = inPlace == null ? -1 : InPlaceWrites.reserve(out, (int) size);
      if (at >= 0) {
        inPlace.write(input, InPlaceWrites.memory(out), at);
        InPlaceWrites.commit(out, (int) size);
        return out.freeze(to);
      }
      byte[] in = scratch(input.length(), inUnit);
      byte[] converted = new byte[in.length / inUnit * outUnit];
      forEach(
          input,
          in,
          (chunk, length) -> {
            int count = length / inUnit;
            converter.convert(chunk, count, converted);
            out.append(converted, 0, count * outUnit);
          });
      return out.freeze(to);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /** Receives one chunk: {@code length} bytes of {@code scratch} from 0. */
  private interface Sink {
    void accept(byte[] scratch, int length);
  }

  /**
   * Feeds {@code input} to {@code sink} in chunks of {@code scratch.length} bytes (the last may be
   * shorter). Pieces of a composite are joined, so a chunk boundary never depends on where the
   * pieces end: callers that size the scratch as a multiple of their sample size always get whole
   * samples, except in a last chunk whose input length is not a multiple.
   */
  private static void forEach(ZeroCopyBuffer input, byte[] scratch, Sink sink) {
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
  private static byte[] scratch(int inputLength, int unit) {
    int size = Math.max(unit, CHUNK / unit * unit);
    return new byte[Math.max(unit, Math.min(size, inputLength))];
  }

  /**
   * A builder for exactly {@code size} bytes of output.
   *
   * @throws UnsupportedContentException if the output would not fit in one buffer
   */
  private static BufferMut acquire(
      BufferAllocator allocator, long size, BufferKind from, BufferKind to) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new UnsupportedContentException(
          from, "converting to " + to + " gives " + size + " bytes, more than one buffer holds");
    }
    return allocator.acquire((int) size);
  }
}
