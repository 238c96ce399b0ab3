package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;

/**
 * Bounds-checked reads over the content an inspector was given, with offsets relative to the
 * content's start (its position when the inspector was called). Every read past the end throws
 * {@link MalformedContentException} naming what was being read and where, so that no inspector
 * can fail with an {@link IndexOutOfBoundsException}. Byte order is explicit in each method name;
 * the buffer's own {@link java.nio.ByteOrder} is ignored.
 *
 * <p>One instance per inspection; it keeps a reference to the buffer only for the call.
 */
final class Content {

  private final ByteBuffer buffer;
  private final int base;
  private final int length;
  private final BufferKind kind;

  Content(BufferKind kind, ByteBuffer buffer) {
    this.kind = kind;
    this.buffer = buffer;
    this.base = buffer.position();
    this.length = buffer.remaining();
  }

  /** The number of bytes of content. */
  int length() {
    return length;
  }

  /** The kind the content is read as. */
  BufferKind kind() {
    return kind;
  }

  /** A {@link MalformedContentException} for this content. */
  MalformedContentException fault(long offset, String fault) {
    return new MalformedContentException(kind, offset, fault);
  }

  /**
   * Fails unless {@code [offset, offset + count)} lies inside the content.
   *
   * @param what what is being read, for the message ("SOF0 segment", "fmt chunk")
   */
  void require(long offset, long count, String what) {
    if (offset < 0 || count < 0 || offset > length || count > length - offset) {
      throw fault(offset, what + " (" + count + " bytes at offset " + offset
          + ") runs past the end of the content (" + length + " bytes)");
    }
  }

  /** True if {@code count} bytes starting at {@code offset} are present. */
  boolean has(long offset, long count) {
    return offset >= 0 && count >= 0 && offset <= length && count <= length - offset;
  }

  int u8(int offset, String what) {
    require(offset, 1, what);
    return buffer.get(base + offset) & 0xFF;
  }

  int u16le(int offset, String what) {
    require(offset, 2, what);
    return (buffer.get(base + offset) & 0xFF) | (buffer.get(base + offset + 1) & 0xFF) << 8;
  }

  int u16be(int offset, String what) {
    require(offset, 2, what);
    return (buffer.get(base + offset) & 0xFF) << 8 | (buffer.get(base + offset + 1) & 0xFF);
  }

  int u24le(int offset, String what) {
    require(offset, 3, what);
    return (buffer.get(base + offset) & 0xFF) | (buffer.get(base + offset + 1) & 0xFF) << 8
        | (buffer.get(base + offset + 2) & 0xFF) << 16;
  }

  long u32le(int offset, String what) {
    require(offset, 4, what);
    return Bytes.u32le(buffer, base + offset);
  }

  long u32be(int offset, String what) {
    require(offset, 4, what);
    return Bytes.u32be(buffer, base + offset);
  }

  long u64le(int offset, String what) {
    require(offset, 8, what);
    return Bytes.u32le(buffer, base + offset) | Bytes.u32le(buffer, base + offset + 4) << 32;
  }

  long u64be(int offset, String what) {
    require(offset, 8, what);
    return Bytes.u32be(buffer, base + offset) << 32 | Bytes.u32be(buffer, base + offset + 4);
  }

  /** The byte at {@code offset}, unchecked beyond the buffer's own bounds; callers check first. */
  int at(int offset) {
    return buffer.get(base + offset) & 0xFF;
  }

  /** True if the ASCII {@code text} is at {@code offset} (false if it does not fit). */
  boolean startsWith(int offset, String text) {
    return Bytes.matches(buffer, base + offset, base + length, text);
  }

  /**
   * {@code count} bytes at {@code offset} as printable ASCII (checked): other bytes show as
   * {@code ?}, so that a message or fact never carries control characters.
   */
  String ascii(int offset, int count, String what) {
    require(offset, count, what);
    char[] chars = new char[count];
    for (int i = 0; i < count; i++) {
      int b = buffer.get(base + offset + i) & 0xFF;
      chars[i] = b >= 0x20 && b < 0x7F ? (char) b : '?';
    }
    return new String(chars);
  }
}
