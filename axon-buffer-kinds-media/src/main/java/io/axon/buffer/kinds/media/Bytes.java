package io.axon.buffer.kinds.media;

import java.nio.ByteBuffer;

/**
 * Allocation-free absolute reads for sniffers: every method takes absolute indexes into the buffer
 * and the caller has already checked them against the limit. Byte order is explicit; the buffer's
 * own order is ignored.
 */
final class Bytes {

  private Bytes() {}

  static int u8(ByteBuffer b, int i) {
    return b.get(i) & 0xFF;
  }

  static long u32be(ByteBuffer b, int i) {
    return (b.get(i) & 0xFFL) << 24
        | (b.get(i + 1) & 0xFFL) << 16
        | (b.get(i + 2) & 0xFFL) << 8
        | (b.get(i + 3) & 0xFFL);
  }

  /** {@code i} past a UTF-8 byte order mark ({@code EF BB BF}) there, else {@code i}. */
  static int skipUtf8Bom(ByteBuffer b, int i, int end) {
    if (end - i >= 3 && u8(b, i) == 0xEF && u8(b, i + 1) == 0xBB && u8(b, i + 2) == 0xBF) {
      return i + 3;
    }
    return i;
  }

  /** True if the ASCII {@code text} is at absolute index {@code i}, wholly before {@code end}. */
  static boolean matches(ByteBuffer b, int i, int end, String text) {
    int n = text.length();
    if (i < 0 || end - i < n) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b.get(i + k) != (byte) text.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
