package io.axon.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal heap {@link ZeroCopyBuffer} for the api's own tests (the real one lives in core): every
 * view counts itself in a {@link Tracker} while open, so tests can check that whoever should close
 * a view did.
 */
final class HeapTestBuffer implements ZeroCopyBuffer {

  /** Counts the open views made through it. */
  static final class Tracker {
    final AtomicInteger open = new AtomicInteger();

    HeapTestBuffer wrap(BufferKind kind, byte[] bytes) {
      return new HeapTestBuffer(this, kind, bytes, 0, bytes.length);
    }

    int open() {
      return open.get();
    }
  }

  private final Tracker tracker;
  private final BufferKind kind;
  private final byte[] bytes;
  private final int from;
  private final int to;
  private boolean closed;

  private HeapTestBuffer(Tracker tracker, BufferKind kind, byte[] bytes, int from, int to) {
    this.tracker = tracker;
    this.kind = kind;
    this.bytes = bytes;
    this.from = from;
    this.to = to;
    tracker.open.incrementAndGet();
  }

  private void check() {
    if (closed) {
      throw new ClosedBufferException("closed test buffer");
    }
  }

  @Override
  public int length() {
    check();
    return to - from;
  }

  @Override
  public BufferKind kind() {
    return kind;
  }

  @Override
  public Optional<String> tenant() {
    return Optional.empty();
  }

  @Override
  public byte get(int index) {
    check();
    Objects.checkIndex(index, to - from);
    return bytes[from + index];
  }

  @Override
  public void getBytes(int index, byte[] dst, int dstOffset, int length) {
    check();
    Objects.checkFromIndexSize(index, length, to - from);
    System.arraycopy(bytes, from + index, dst, dstOffset, length);
  }

  @Override
  public ZeroCopyBuffer share() {
    check();
    return new HeapTestBuffer(tracker, kind, bytes, from, to);
  }

  @Override
  public ZeroCopyBuffer slice(int start, int end) {
    check();
    Objects.checkFromToIndex(start, end, to - from);
    return new HeapTestBuffer(tracker, kind, bytes, from + start, from + end);
  }

  @Override
  public ZeroCopyBuffer retag(BufferKind newKind) {
    check();
    return new HeapTestBuffer(tracker, newKind, bytes, from, to);
  }

  @Override
  public ByteBuffer asReadOnlyByteBuffer() {
    check();
    return ByteBuffer.wrap(bytes, from, to - from).slice().asReadOnlyBuffer();
  }

  @Override
  public List<ByteBuffer> asReadOnlyByteBuffers() {
    return List.of(asReadOnlyByteBuffer());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type == ByteBuffer.class) {
      return type.cast(asReadOnlyByteBuffer());
    }
    if (type == ByteBuffer[].class) {
      return type.cast(new ByteBuffer[] {asReadOnlyByteBuffer()});
    }
    throw new UnsupportedOperationException(type.getName() + " is not offered by a test buffer");
  }

  @Override
  public boolean canUnwrap(Class<?> type) {
    return type == ByteBuffer.class || type == ByteBuffer[].class;
  }

  @Override
  public byte[] toByteArray() {
    check();
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  @Override
  public byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public long writeTo(WritableByteChannel channel) throws IOException {
    ByteBuffer b = asReadOnlyByteBuffer();
    while (b.hasRemaining()) {
      channel.write(b);
    }
    return (long) to - from;
  }

  @Override
  public int sharers() {
    return 1;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public ZeroCopyBuffer compact() {
    check();
    return new HeapTestBuffer(tracker, kind, toByteArray(), 0, to - from);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tracker.open.decrementAndGet();
    }
  }
}
