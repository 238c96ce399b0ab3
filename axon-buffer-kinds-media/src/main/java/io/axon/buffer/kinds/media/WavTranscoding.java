package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;

/**
 * The shared body of {@code wav → pcm16} and {@code wav → mulaw8}: read the header through the
 * view (no consolidation of a composite), then either slice the {@code data} chunk (the WAV
 * already holds the target encoding: no copy) or decode it sample by sample.
 *
 * <p>The data is taken as present: sizes are capped at the bytes really there (a WAV written to a
 * pipe carries bogus sizes), and a partial last frame of a cut file is dropped.
 */
final class WavTranscoding {

  private WavTranscoding() {}

  /** The whole frames of the data chunk, as described by the header. */
  static WavFormat.Info header(ZeroCopyBuffer input) {
    return WavFormat.parse(new Content(MediaKinds.WAV, input));
  }

  static int wholeFrameBytes(WavFormat.Info w) {
    return w.dataLength() - w.dataLength() % w.blockAlign();
  }

  /** A view of the data chunk's whole frames, tagged {@code kind}; no copy. */
  static ZeroCopyBuffer slice(ZeroCopyBuffer input, WavFormat.Info w, BufferKind kind) {
    try (ZeroCopyBuffer data = input.slice(w.dataOffset(), w.dataOffset() + wholeFrameBytes(w))) {
      return data.retag(kind);
    }
  }

  /**
   * Decodes the data chunk's samples to 16-bit linear and hands each to {@code out} as PCM16
   * little-endian ({@code mulaw == false}) or as its μ-law code.
   */
  static ZeroCopyBuffer decode(ZeroCopyBuffer input, WavFormat.Info w, BufferKind to,
      boolean mulaw, BufferAllocator allocator) {
    SampleDecoder decoder = SampleDecoder.forWav(w);
    int width = decoder.bytesPerSample;
    int frameBytes = wholeFrameBytes(w);
    long samples = frameBytes / width;
    BufferMut out = Chunks.acquire(allocator, mulaw ? samples : 2 * samples, MediaKinds.WAV, to);
    try (ZeroCopyBuffer data = input.slice(w.dataOffset(), w.dataOffset() + frameBytes)) {
      byte[] in = Chunks.scratch(frameBytes, width);
      byte[] converted = new byte[(in.length / width) * (mulaw ? 1 : 2)];
      Chunks.forEach(data, in, (chunk, length) -> {
        int count = length / width;
        if (mulaw) {
          for (int i = 0, at = 0; i < count; i++, at += width) {
            converted[i] = (byte) MuLaw.encode(decoder.decode(chunk, at));
          }
          out.append(converted, 0, count);
        } else {
          for (int i = 0, at = 0; i < count; i++, at += width) {
            int s = decoder.decode(chunk, at);
            converted[2 * i] = (byte) s;
            converted[2 * i + 1] = (byte) (s >> 8);
          }
          out.append(converted, 0, 2 * count);
        }
      });
      return out.freeze(to);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }
}
