package io.axon.buffer.core;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ZeroCopyBuffer} over one contiguous range of a {@link Storage}: the view every pooled
 * builder freezes into and every {@link Buffers#wrap} returns. The lifetime rules are those of
 * {@link ZeroCopyBuffer}.
 *
 * <p>Each view holds the storage's whole memory and reads it with absolute indexes. Closing swaps
 * that buffer for an empty sentinel, so the bounds check every read already pays for is what
 * refuses a closed view; reads that skip the reference count ({@link #get}, {@link #getBytes})
 * check afterwards that the storage was not released under them, and bulk reads that hand bytes to
 * other code ({@link #toByteArray}, {@link #sha256}, {@link #writeTo}) hold a reference for their
 * duration.
 */
final class View implements ZeroCopyBuffer {

  /** What a closed view reads: nothing. */
  static final ByteBuffer CLOSED = ByteBuffer.allocateDirect(0).asReadOnlyBuffer();

  private static final VarHandle BUF;

  static {
    try {
      BUF = MethodHandles.lookup().findVarHandle(View.class, "buf", ByteBuffer.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Storage storage;
  private ByteBuffer buf;
  final int offset;
  final int length;
  private final BufferKind kind;
  private final long units;

  /** The view made with the storage: its open state is a bit of the storage's word. */
  private final boolean first;

  View(Storage storage, ByteBuffer memory, int offset, int length, BufferKind kind, long units) {
    this(storage, memory, offset, length, kind, units, false);
  }

  private View(
      Storage storage,
      ByteBuffer memory,
      int offset,
      int length,
      BufferKind kind,
      long units,
      boolean first) {
    this.storage = storage;
    this.buf = memory;
    this.offset = offset;
    this.length = length;
    this.kind = kind;
    this.units = units;
    this.first = first;
  }

  /** The first view of a storage whose first reference was just installed. */
  static View first(Storage storage, ByteBuffer memory, int length, BufferKind kind, long units) {
    return new View(storage, memory, 0, length, kind, units, true);
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public BufferKind kind() {
    return kind;
  }

  @Override
  public Optional<String> tenant() {
    return storage.tenant();
  }

  @Override
  public byte get(int index) {
    Objects.checkIndex(index, length);
    byte b;
    try {
      b = buf.get(offset + index);
    } catch (IndexOutOfBoundsException closed) {
      throw closedException();
    }
    storage.validateRead(this);
    return b;
  }

  @Override
  public void getBytes(int index, byte[] dst, int dstOffset, int length) {
    Objects.checkFromIndexSize(index, length, this.length);
    Objects.checkFromIndexSize(dstOffset, length, dst.length);
    ByteBuffer b = openBuffer();
    try {
      b.get(offset + index, dst, dstOffset, length);
    } catch (IndexOutOfBoundsException closed) {
      throw closedException();
    }
    VarHandle.acquireFence();
    if (storage.isReleased()) {
      Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 0);
      throw closedException();
    }
  }

  @Override
  public ZeroCopyBuffer share() {
    ByteBuffer b = openBuffer();
    storage.retain(units, this);
    return new View(storage, b, offset, length, kind, units);
  }

  @Override
  public ZeroCopyBuffer slice(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    return slice(from, to, kind);
  }

  /** A slice with another kind, as one view (composite views use it). */
  View slice(int from, int to, BufferKind newKind) {
    ByteBuffer b = openBuffer();
    int len = to - from;
    long u = len == length ? units : storage.unitsFor(len);
    storage.retain(u, this);
    return new View(storage, b, offset + from, len, newKind, u);
  }

  @Override
  public ZeroCopyBuffer retag(BufferKind kind) {
    Objects.requireNonNull(kind, "kind");
    ByteBuffer b = openBuffer();
    storage.retain(units, this);
    return new View(storage, b, offset, length, kind, units);
  }

  @Override
  public ByteBuffer asReadOnlyByteBuffer() {
    openBuffer();
    return storage.readOnlyMemory().slice(offset, length);
  }

  @Override
  public List<ByteBuffer> asReadOnlyByteBuffers() {
    return List.of(asReadOnlyByteBuffer());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return Unwrapping.unwrap(type, this, 1);
  }

  @Override
  public boolean canUnwrap(Class<?> type) {
    return Unwrapping.canUnwrap(type, 1);
  }

  @Override
  public byte[] toByteArray() {
    ByteBuffer b = pinForRead();
    try {
      byte[] out = new byte[length];
      b.get(offset, out, 0, length);
      return out;
    } finally {
      storage.release(0);
    }
  }

  @Override
  public byte[] sha256() {
    ByteBuffer b = pinForRead();
    try {
      MessageDigest md = Digests.sha256();
      updateDigest(md, b, offset, length);
      return md.digest();
    } finally {
      storage.release(0);
    }
  }

  /** Bytes of direct (or read-only) memory copied per digest update. */
  private static final int DIGEST_CHUNK = 16 * 1024;

  /**
   * Feeds {@code len} bytes of {@code b} from {@code off} to {@code md} without moving {@code b}.
   * The JDK's digests read arrays only: heap memory is hashed in place, other memory is copied
   * through one scratch array, {@value #DIGEST_CHUNK} bytes at a time (it stays in the L1 cache).
   */
  static void updateDigest(MessageDigest md, ByteBuffer b, int off, int len) {
    if (b.hasArray()) {
      md.update(b.array(), b.arrayOffset() + off, len);
      return;
    }
    byte[] scratch = new byte[Math.min(len, DIGEST_CHUNK)];
    int end = off + len;
    for (int at = off; at < end; at += scratch.length) {
      int n = Math.min(scratch.length, end - at);
      b.get(at, scratch, 0, n);
      md.update(scratch, 0, n);
    }
  }

  /** Adds the visible bytes to {@code md}; the caller holds a reference (composite reads). */
  void digestInto(MessageDigest md, int from, int to) {
    updateDigest(md, openBuffer(), offset + from, to - from);
  }

  @Override
  public long writeTo(WritableByteChannel channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    pinForRead();
    try {
      ByteBuffer src = storage.readOnlyMemory().slice(offset, length);
      while (src.hasRemaining()) {
        channel.write(src);
      }
      return length;
    } finally {
      storage.release(0);
    }
  }

  /** Copies the visible bytes into {@code dst} at {@code dstIndex} (absolute). */
  void copyTo(ByteBuffer dst, int dstIndex) {
    ByteBuffer b = pinForRead();
    try {
      dst.put(dstIndex, b, offset, length);
    } finally {
      storage.release(0);
    }
  }

  @Override
  public int sharers() {
    return storage.views();
  }

  @Override
  public boolean isClosed() {
    return (ByteBuffer) BUF.getOpaque(this) == CLOSED;
  }

  @Override
  public ZeroCopyBuffer compact() {
    openBuffer();
    ZeroCopyBuffer copy = storage.pooledCopy(this, true);
    return copy != null ? copy : Buffers.copyOf(kind, toByteArray());
  }

  @Override
  public void close() {
    try {
      if (first) {
        // The storage's word says whether this view is open: its one compare-and-set decides who
        // releases the reference. The sentinel goes in first, so a repeated close stops at it.
        if (buf != CLOSED) {
          buf = CLOSED;
          storage.releaseFirst(units);
        }
      } else {
        ByteBuffer old = (ByteBuffer) BUF.getAndSet(this, CLOSED);
        if (old != CLOSED) {
          storage.release(units);
        }
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The buffer of an open view, or {@link ClosedBufferException}. */
  private ByteBuffer openBuffer() {
    ByteBuffer b = buf;
    if (b == CLOSED) {
      throw closedException();
    }
    return b;
  }

  /** Takes a reference for a bulk read; the caller releases it with {@code release(0)}. */
  private ByteBuffer pinForRead() {
    ByteBuffer b = openBuffer();
    if (!storage.tryRetainForRead()) {
      throw closedException();
    }
    return b;
  }

  ClosedBufferException closedException() {
    return new ClosedBufferException("view of " + kind + " (" + length + " bytes) is closed");
  }

  @Override
  public String toString() {
    return "ZeroCopyBuffer[kind="
        + kind
        + ", length="
        + length
        + storage.tenant().map(t -> ", tenant=" + t).orElse("")
        + (isClosed() ? ", closed" : "")
        + "]";
  }
}
