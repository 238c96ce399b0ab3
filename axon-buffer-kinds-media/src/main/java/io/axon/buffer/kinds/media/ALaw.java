package io.axon.buffer.kinds.media;

/**
 * G.711 A-law decoding, bit-exact with ITU-T G.191 {@code alaw_expand}: a 256-entry table. Used by
 * the WAV transcoders for A-law WAVs; there is no A-law kind (yet), so there is no encoder.
 */
final class ALaw {

  private ALaw() {}

  private static final short[] DECODE = new short[256];

  static {
    for (int code = 0; code < 256; code++) {
      int ix = (code ^ 0x55) & 0x7F;
      int exponent = ix >> 4;
      int mantissa = ix & 0x0F;
      if (exponent > 0) {
        mantissa += 16;
      }
      mantissa = (mantissa << 4) + 8;
      if (exponent > 1) {
        mantissa <<= exponent - 1;
      }
      DECODE[code] = (short) (code > 127 ? mantissa : -mantissa);
    }
  }

  /** The linear value of an A-law code (low 8 bits used). */
  static short decode(int code) {
    return DECODE[code & 0xFF];
  }
}
