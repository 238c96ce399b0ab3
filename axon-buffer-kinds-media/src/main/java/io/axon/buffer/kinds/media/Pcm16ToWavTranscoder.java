package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.spi.BufferTranscoder;
import java.util.List;

/**
 * {@code pcm16 → wav}: frames headerless PCM16 as a canonical 44-byte WAV ({@code RIFF}, a 16-byte
 * PCM {@code fmt } chunk, {@code data}) <em>without copying the samples</em>: the result is a
 * composite view of a new 44-byte header and the input's own bytes.
 *
 * <p>Options: the sample rate is required ({@link TranscodeOptions#withRate}), because guessing it
 * makes audio play at the wrong speed; the channel count defaults to 1 (mono, the usual for
 * speech). The input must hold whole frames ({@code 2 × channels} bytes each), else {@link
 * io.axon.buffer.MalformedContentException}. More than two channels are written with the plain PCM
 * format tag, which every reader accepts, rather than {@code WAVE_FORMAT_EXTENSIBLE}.
 *
 * <p>Cost: one 44-byte buffer from the allocator; the composite holds its own reference to the
 * input's storage, so the input may be closed right after.
 */
@AutoService(BufferTranscoder.class)
public final class Pcm16ToWavTranscoder extends BuiltInTranscoder {

  /** The channel count used when the options do not give one. */
  public static final int DEFAULT_CHANNELS = 1;

  /** The size of the header this transcoder writes. */
  public static final int HEADER_BYTES = 44;

  /** Called by {@link java.util.ServiceLoader}. */
  public Pcm16ToWavTranscoder() {}

  @Override
  public BufferKind from() {
    return MediaKinds.PCM16;
  }

  @Override
  public BufferKind to() {
    return MediaKinds.WAV;
  }

  @Override
  public ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
    int rate = Pcm16.rate(options, "pcm16 -> wav");
    int channels = options.channels().orElse(DEFAULT_CHANNELS);
    int n = input.length();
    Pcm16.checkWholeSamples(n, channels);
    byte[] header = header(rate, channels, n);
    ZeroCopyBuffer head;
    try (BufferMut b = allocator.acquire(HEADER_BYTES)) {
      head = b.append(header).freeze(MediaKinds.WAV);
    }
    try {
      return Buffers.composite(MediaKinds.WAV, List.of(head, input));
    } finally {
      head.close();
    }
  }

  /** The canonical 44-byte header of {@code dataBytes} bytes of 16-bit PCM. */
  static byte[] header(int rate, int channels, long dataBytes) {
    byte[] h = new byte[HEADER_BYTES];
    ascii(h, 0, "RIFF");
    le32(h, 4, 36 + dataBytes);
    ascii(h, 8, "WAVE");
    ascii(h, 12, "fmt ");
    le32(h, 16, 16);
    le16(h, 20, WavFormat.TAG_PCM);
    le16(h, 22, channels);
    le32(h, 24, rate);
    le32(h, 28, (long) rate * channels * 2);
    le16(h, 32, channels * 2);
    le16(h, 34, 16);
    ascii(h, 36, "data");
    le32(h, 40, dataBytes);
    return h;
  }

  private static void ascii(byte[] b, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      b[at + i] = (byte) s.charAt(i);
    }
  }

  private static void le16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
  }

  private static void le32(byte[] b, int at, long v) {
    le16(b, at, (int) v & 0xFFFF);
    le16(b, at + 2, (int) (v >>> 16) & 0xFFFF);
  }
}
