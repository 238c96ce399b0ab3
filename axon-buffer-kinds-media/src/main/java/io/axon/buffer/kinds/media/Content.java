package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;

/**
 * Bounds-checked reads over the content an inspector was given, with offsets relative to the
 * content's start (its position when the inspector was called). Every read past the end throws
 * {@link MalformedContentException} naming what was being read and where, so that no inspector can
 * fail with an {@link IndexOutOfBoundsException}. Byte order is explicit in each method name; the
 * buffer's own {@link java.nio.ByteOrder} is ignored.
 *
 * <p>Backed by a {@link ByteBuffer} (an inspector's argument) or by a {@link ZeroCopyBuffer} (a
 * transcoder's input, possibly a composite of several pieces: reading through the view's {@code
 * get} never consolidates it). One instance per call; it keeps no reference after the call.
 */
final class Content {

  private final ByteBuffer buffer;
  private final ZeroCopyBuffer view;
  private final int base;
  private final int length;
  private final BufferKind kind;

  Content(BufferKind kind, ByteBuffer buffer) {
    this.kind = kind;
    this.buffer = buffer;
    this.view = null;
    this.base = buffer.position();
    this.length = buffer.remaining();
  }

  Content(BufferKind kind, ZeroCopyBuffer view) {
    this.kind = kind;
    this.buffer = null;
    this.view = view;
    this.base = 0;
    this.length = view.length();
  }

  private int raw(int offset) {
    return (buffer != null ? buffer.get(base + offset) : view.get(offset)) & 0xFF;
  }

  /** The number of bytes of content. */
  int length() {
    return length;
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
      throw fault(
          offset,
          what
              + " ("
              + count
              + " bytes at offset "
              + offset
              + ") runs past the end of the content ("
              + length
              + " bytes)");
    }
  }

  /** True if {@code count} bytes starting at {@code offset} are present. */
  boolean has(long offset, long count) {
    return offset >= 0 && count >= 0 && offset <= length && count <= length - offset;
  }

  int u8(int offset, String what) {
    require(offset, 1, what);
    return raw(offset);
  }

  int u16le(int offset, String what) {
    require(offset, 2, what);
    return raw(offset) | raw(offset + 1) << 8;
  }

  int u16be(int offset, String what) {
    require(offset, 2, what);
    return raw(offset) << 8 | raw(offset + 1);
  }

  int u24le(int offset, String what) {
    require(offset, 3, what);
    return raw(offset) | raw(offset + 1) << 8 | raw(offset + 2) << 16;
  }

  long u32le(int offset, String what) {
    require(offset, 4, what);
    return (raw(offset)
        | raw(offset + 1) << 8
        | raw(offset + 2) << 16
        | (long) raw(offset + 3) << 24);
  }

  long u32be(int offset, String what) {
    require(offset, 4, what);
    return ((long) raw(offset) << 24
        | raw(offset + 1) << 16
        | raw(offset + 2) << 8
        | raw(offset + 3));
  }

  long u64le(int offset, String what) {
    require(offset, 8, what);
    return u32le(offset, what) | u32le(offset + 4, what) << 32;
  }

  long u64be(int offset, String what) {
    require(offset, 8, what);
    return u32be(offset, what) << 32 | u32be(offset + 4, what);
  }

  /** The byte at {@code offset}, unchecked beyond the buffer's own bounds; callers check first. */
  int at(int offset) {
    return raw(offset);
  }

  /** True if the ASCII {@code text} is at {@code offset} (false if it does not fit). */
  boolean startsWith(int offset, String text) {
    int n = text.length();
    if (offset < 0 || length - offset < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (raw(offset + i) != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code count} bytes at {@code offset} as printable ASCII (checked): other bytes show as {@code
   * ?}, so that a message or fact never carries control characters.
   */
  String ascii(int offset, int count, String what) {
    require(offset, count, what);
    char[] chars = new char[count];
    for (int i = 0; i < count; i++) {
      int b = raw(offset + i);
      chars[i] = b >= 0x20 && b < 0x7F ? (char) b : '?';
    }
    return new String(chars);
  }
}
