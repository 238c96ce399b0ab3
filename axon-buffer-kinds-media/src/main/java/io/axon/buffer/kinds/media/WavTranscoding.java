package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;

/**
 * The shared body of {@code wav → pcm16} and {@code wav → mulaw8}: read the header through the view
 * (no consolidation of a composite), then either slice the {@code data} chunk (the WAV already
 * holds the target encoding: no copy) or decode it sample by sample.
 *
 * <p>The data is taken as present: sizes are capped at the bytes really there (a WAV written to a
 * pipe carries bogus sizes), and a partial last frame of a cut file is dropped.
 */
final class WavTranscoding {

  private WavTranscoding() {}

  /** The header of the WAV, read through the view. */
  static WavFormat.Info header(ZeroCopyBuffer input) {
    return WavFormat.parse(new Content(MediaKinds.WAV, input));
  }

  /** The bytes of the data chunk's whole frames. */
  private static int wholeFrameBytes(WavFormat.Info w) {
    return w.dataLength() - w.dataLength() % w.blockAlign();
  }

  /** A view of the data chunk's whole frames, tagged {@code kind}; no copy. */
  static ZeroCopyBuffer slice(ZeroCopyBuffer input, WavFormat.Info w, BufferKind kind) {
    try (ZeroCopyBuffer data = input.slice(w.dataOffset(), w.dataOffset() + wholeFrameBytes(w))) {
      return data.retag(kind);
    }
  }

  /**
   * Decodes the data chunk's samples to 16-bit linear and writes each as PCM16 little-endian
   * ({@code to} is {@code pcm16}) or as its μ-law code ({@code to} is {@code mulaw8}).
   */
  static ZeroCopyBuffer decode(
      ZeroCopyBuffer input, WavFormat.Info w, BufferKind to, BufferAllocator allocator) {
    SampleDecoder decoder = SampleDecoder.forWav(w);
    int width = decoder.bytesPerSample;
    boolean mulaw = to.equals(MediaKinds.MULAW8);
    Chunks.Converter converter =
        mulaw
            ? (in, count, codes) -> {
              for (int i = 0, at = 0; i < count; i++, at += width) {
                codes[i] = (byte) MuLaw.encode(decoder.decode(in, at));
              }
            }
            : (in, count, pcm) -> {
              for (int i = 0, at = 0; i < count; i++, at += width) {
                int s = decoder.decode(in, at);
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
              }
            };
    try (ZeroCopyBuffer data = input.slice(w.dataOffset(), w.dataOffset() + wholeFrameBytes(w))) {
      return Chunks.convert(
          data, width, mulaw ? 1 : 2, MediaKinds.WAV, to, allocator, null, converter);
    }
  }
}
