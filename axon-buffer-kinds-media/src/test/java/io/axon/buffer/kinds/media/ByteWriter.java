package io.axon.buffer.kinds.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds synthetic test content byte by byte, byte order explicit. */
final class ByteWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ByteWriter u8(int... values) {
    for (int v : values) {
      out.write(v);
    }
    return this;
  }

  ByteWriter u16le(int v) {
    return u8(v & 0xFF, (v >>> 8) & 0xFF);
  }

  ByteWriter u16be(int v) {
    return u8((v >>> 8) & 0xFF, v & 0xFF);
  }

  ByteWriter u32le(long v) {
    return u16le((int) v & 0xFFFF).u16le((int) (v >>> 16) & 0xFFFF);
  }

  ByteWriter u32be(long v) {
    return u16be((int) (v >>> 16) & 0xFFFF).u16be((int) v & 0xFFFF);
  }

  ByteWriter u64le(long v) {
    return u32le(v & 0xFFFFFFFFL).u32le(v >>> 32);
  }

  ByteWriter ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  ByteWriter bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  ByteWriter bytes(byte[] b, int from, int to) {
    out.write(b, from, to - from);
    return this;
  }

  ByteWriter zeros(int n) {
    return bytes(new byte[n]);
  }

  int size() {
    return out.size();
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
