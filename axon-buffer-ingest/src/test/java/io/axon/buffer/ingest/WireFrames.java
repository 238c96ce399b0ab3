package io.axon.buffer.ingest;

import java.io.ByteArrayOutputStream;

/** Encodes WebSocket frames for tests (RFC 6455 §5.2), masked or not. */
final class WireFrames {

  private WireFrames() {}

  static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, Integer mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
    int maskBit = mask == null ? 0 : 0x80;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      out.write(maskBit | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(maskBit | 127);
      long n = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (n >> shift));
      }
    }
    byte[] key = new byte[4];
    if (mask != null) {
      for (int i = 0; i < 4; i++) {
        key[i] = (byte) (mask >> (24 - 8 * i));
      }
      out.write(key, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (mask == null ? 0 : key[i & 3]));
    }
    return out.toByteArray();
  }

  static byte[] masked(boolean fin, int opcode, byte[] payload) {
    return encode(fin, 0, opcode, payload, 0x37fa213d);
  }
}
