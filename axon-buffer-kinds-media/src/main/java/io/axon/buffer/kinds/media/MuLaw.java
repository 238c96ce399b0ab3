package io.axon.buffer.kinds.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Objects;

/**
 * G.711 μ-law, bit-exact with the ITU-T G.191 reference ({@code ulaw_compress} and {@code
 * ulaw_expand} of its {@code g711.c}) for all 256 codes and all 65,536 16-bit inputs.
 *
 * <p>Encoding follows G.191 exactly: the magnitude is taken on the 14 most significant bits (one's
 * complement for negative input, so {@code -1} maps like {@code 0}), biased by 33, <em>clamped to
 * 0x1FFF</em>, then split into a 3-bit segment and a 4-bit step, inverted. The clamp is what the
 * JDK's {@code com.sun.media.sound.UlawCodec} lacks: it encodes inputs at or beyond ±32636 (265 of
 * them) to codes near silence. Decoding is a 256-entry table built from G.191's expansion formula;
 * the bulk encoders look codes up in a 64 Ki-entry table built from {@link #encode(int)} itself.
 *
 * <p>PCM16 here is signed 16-bit little-endian, two bytes per sample, as the {@code pcm16} kind
 * says. The bulk methods are table-lookup loops (the buffer ones eight samples per step); they
 * allocate nothing but the views they read through. The tables cost 64 KiB (encode), 256 KiB
 * (decode pairs) and 512 bytes of heap, built when the class is first used. Thread-safe
 * (stateless).
 */
public final class MuLaw {

  private MuLaw() {}

  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private static final short[] DECODE = new short[256];

  /**
   * Two samples per entry: {@code PAIRS[b0 | b1 << 8]} holds the PCM16 of code {@code b0} in its
   * low half and of {@code b1} in its high half, so a little-endian read of two codes indexes the
   * two samples as they lie in memory. 256 KiB of heap, built once; it halves the lookups of the
   * buffer decoder.
   */
  private static final int[] PAIRS = new int[1 << 16];

  /**
   * The code of every 16-bit sample, indexed by the sample's bits ({@code sample & 0xFFFF}): 64 KiB
   * of heap, built once from {@link #encode(int)}, so that the bulk encoders are one lookup per
   * sample.
   */
  private static final byte[] ENCODE = new byte[1 << 16];

  static {
    for (int code = 0; code < 256; code++) {
      DECODE[code] = (short) expand(code);
    }
    for (int sample = 0; sample < ENCODE.length; sample++) {
      ENCODE[sample] = (byte) encode(sample);
    }
    for (int pair = 0; pair < PAIRS.length; pair++) {
      PAIRS[pair] = (DECODE[pair & 0xFF] & 0xFFFF) | DECODE[pair >>> 8] << 16;
    }
  }

  /** G.191 {@code ulaw_expand} for one code. */
  private static int expand(int code) {
    int sign = code < 0x80 ? -1 : 1;
    int inverted = ~code;
    int exponent = (inverted >> 4) & 0x07;
    int mantissa = inverted & 0x0F;
    int step = 4 << (exponent + 1);
    return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
  }

  /**
   * The linear value of a μ-law code.
   *
   * @param code the code in its low 8 bits (higher bits are ignored)
   * @return the 16-bit sample, −32124 to 32124
   */
  public static short decode(int code) {
    return DECODE[code & 0xFF];
  }

  /**
   * The μ-law code of a 16-bit sample (G.191 {@code ulaw_compress}).
   *
   * @param sample a 16-bit signed sample (only the low 16 bits are used)
   * @return the code, 0 to 255
   */
  public static int encode(int sample) {
    int pcm = (short) sample;
    int magnitude = (pcm < 0 ? (~pcm) >> 2 : pcm >> 2) + 33;
    if (magnitude > 0x1FFF) {
      magnitude = 0x1FFF;
    }
    int segment = 33 - Integer.numberOfLeadingZeros(magnitude >> 6);
    int high = 8 - segment;
    int low = 0x0F - ((magnitude >> segment) & 0x0F);
    int code = high << 4 | low;
    return pcm >= 0 ? code | 0x80 : code;
  }

  /**
   * Decodes {@code count} μ-law codes from {@code src} into {@code 2 * count} bytes of PCM16
   * little-endian in {@code dst}.
   *
   * @throws IndexOutOfBoundsException if either range is outside its array
   */
  public static void decode(byte[] src, int srcOffset, byte[] dst, int dstOffset, int count) {
    Objects.checkFromIndexSize(srcOffset, count, src.length);
    Objects.checkFromIndexSize(
        dstOffset, 2 * (long) count > Integer.MAX_VALUE ? -1 : 2 * count, dst.length);
    short[] table = DECODE;
    for (int i = 0; i < count; i++) {
      SHORT_LE.set(dst, dstOffset + 2 * i, table[src[srcOffset + i] & 0xFF]);
    }
  }

  /**
   * Decodes {@code count} μ-law codes of {@code src} from index {@code srcIndex} into {@code 2 *
   * count} bytes of PCM16 little-endian in {@code dst} from index {@code dstIndex}. Absolute
   * indexes: neither buffer's position, limit or byte order changes. Reads eight codes as one
   * {@code long} and writes eight samples as two, looking samples up two at a time in a 64 Ki-entry
   * pair table, so direct buffers are read and written in place at the speed of the array loop,
   * without going through an array.
   *
   * @throws IndexOutOfBoundsException if either range is outside its buffer's limit
   */
  public static void decode(ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int count) {
    Objects.checkFromIndexSize(srcIndex, count, src.limit());
    Objects.checkFromIndexSize(
        dstIndex, 2 * (long) count > Integer.MAX_VALUE ? -1 : 2 * count, dst.limit());
    int words = count >>> 3;
    LongBuffer in = window(src, srcIndex, 8 * words).asLongBuffer();
    LongBuffer out = window(dst, dstIndex, 16 * words).asLongBuffer();
    for (int w = 0; w < words; w++) {
      long q = in.get(w);
      out.put(2 * w, fourSamples(q));
      out.put(2 * w + 1, fourSamples(q >>> 32));
    }
    ByteBuffer tail = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 8 * words; i < count; i++) {
      tail.putShort(dstIndex + 2 * i, DECODE[src.get(srcIndex + i) & 0xFF]);
    }
  }

  /**
   * The four PCM16 samples, little-endian in one word, of the four codes in the low 32 bits of
   * {@code codes} (lowest byte first), looked up two at a time in {@link #PAIRS}.
   */
  private static long fourSamples(long codes) {
    int[] t = PAIRS;
    return (t[(int) codes & 0xFFFF] & 0xFFFFFFFFL) | (long) t[(int) (codes >>> 16) & 0xFFFF] << 32;
  }

  /**
   * Decodes, within one buffer, the {@code count} μ-law codes at {@code [at + count, at + 2 *
   * count)} into {@code 2 * count} bytes of PCM16 little-endian at {@code [at, at + 2 * count)}:
   * the codes first copied into the second half of the output's own room, then expanded in place,
   * front to back (each step reads its eight codes before writing their sixteen bytes, which never
   * reach a code not yet read). Absolute indexes, no buffer object: the position, limit and byte
   * order of {@code buffer} are left as they are, so it may be memory shared with others.
   */
  static void decodeExpanding(ByteBuffer buffer, int at, int count) {
    Objects.checkFromIndexSize(
        at, 2 * (long) count > Integer.MAX_VALUE ? -1 : 2 * count, buffer.limit());
    boolean swap = buffer.order() != ByteOrder.LITTLE_ENDIAN;
    int codes = at + count;
    int words = count >>> 3;
    for (int w = 0; w < words; w++) {
      long q = buffer.getLong(codes + 8 * w);
      q = swap ? Long.reverseBytes(q) : q;
      long lo = fourSamples(q);
      long hi = fourSamples(q >>> 32);
      buffer.putLong(at + 16 * w, swap ? Long.reverseBytes(lo) : lo);
      buffer.putLong(at + 16 * w + 8, swap ? Long.reverseBytes(hi) : hi);
    }
    for (int i = 8 * words; i < count; i++) {
      short sample = DECODE[buffer.get(codes + i) & 0xFF];
      buffer.put(at + 2 * i, (byte) sample);
      buffer.put(at + 2 * i + 1, (byte) (sample >> 8));
    }
  }

  /**
   * {@code length} bytes of {@code buffer} from {@code index} as an independent little-endian
   * buffer.
   */
  private static ByteBuffer window(ByteBuffer buffer, int index, int length) {
    return buffer
        .duplicate()
        .limit(index + length)
        .position(index)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Encodes {@code count} PCM16 little-endian samples ({@code 2 * count} bytes) from {@code src}
   * into {@code count} μ-law codes in {@code dst}.
   *
   * @throws IndexOutOfBoundsException if either range is outside its array
   */
  public static void encode(byte[] src, int srcOffset, byte[] dst, int dstOffset, int count) {
    Objects.checkFromIndexSize(
        srcOffset, 2 * (long) count > Integer.MAX_VALUE ? -1 : 2 * count, src.length);
    Objects.checkFromIndexSize(dstOffset, count, dst.length);
    byte[] t = ENCODE;
    for (int i = 0; i < count; i++) {
      dst[dstOffset + i] = t[(short) SHORT_LE.get(src, srcOffset + 2 * i) & 0xFFFF];
    }
  }

  /**
   * Encodes {@code count} PCM16 little-endian samples ({@code 2 * count} bytes) of {@code src} from
   * index {@code srcIndex} into {@code count} μ-law codes in {@code dst} from index {@code
   * dstIndex}. Absolute indexes: neither buffer's position, limit or byte order changes. Reads
   * eight samples as two {@code long}s and writes their eight codes as one, one table lookup per
   * sample (a 64 KiB table), so direct buffers are read and written in place.
   *
   * @throws IndexOutOfBoundsException if either range is outside its buffer's limit
   */
  public static void encode(ByteBuffer src, int srcIndex, ByteBuffer dst, int dstIndex, int count) {
    Objects.checkFromIndexSize(
        srcIndex, 2 * (long) count > Integer.MAX_VALUE ? -1 : 2 * count, src.limit());
    Objects.checkFromIndexSize(dstIndex, count, dst.limit());
    int words = count >>> 3;
    LongBuffer in = window(src, srcIndex, 16 * words).asLongBuffer();
    LongBuffer out = window(dst, dstIndex, 8 * words).asLongBuffer();
    byte[] t = ENCODE;
    for (int w = 0; w < words; w++) {
      out.put(w, codes(t, in.get(2 * w)) | codes(t, in.get(2 * w + 1)) << 32);
    }
    ByteBuffer tail = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 8 * words; i < count; i++) {
      dst.put(dstIndex + i, t[tail.getShort(srcIndex + 2 * i) & 0xFFFF]);
    }
  }

  /** The codes of the four little-endian samples in {@code q}, in the low 32 bits, in order. */
  private static long codes(byte[] t, long q) {
    return (t[(int) q & 0xFFFF] & 0xFFL)
        | (t[(int) (q >>> 16) & 0xFFFF] & 0xFFL) << 8
        | (t[(int) (q >>> 32) & 0xFFFF] & 0xFFL) << 16
        | (t[(int) (q >>> 48)] & 0xFFL) << 24;
  }
}
