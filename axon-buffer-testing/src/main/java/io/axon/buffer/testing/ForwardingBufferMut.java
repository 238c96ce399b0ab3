package io.axon.buffer.testing;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BufferMut} that passes every call to another one, for tests that watch or break a
 * builder: override what to observe (the appends, say) and call {@code super}. The appends return
 * this wrapper, as the interface's chaining expects. Costs one call per method; no copy.
 */
public abstract class ForwardingBufferMut implements BufferMut {

  /** The builder every call goes to. */
  protected final BufferMut real;

  /** Forwards to {@code real}. */
  protected ForwardingBufferMut(BufferMut real) {
    this.real = Objects.requireNonNull(real, "real");
  }

  @Override
  public int length() {
    return real.length();
  }

  @Override
  public int capacity() {
    return real.capacity();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return real.unwrap(type);
  }

  @Override
  public boolean canUnwrap(Class<?> type) {
    return real.canUnwrap(type);
  }

  @Override
  public Optional<String> tenant() {
    return real.tenant();
  }

  @Override
  public BufferMut append(byte b) {
    real.append(b);
    return this;
  }

  @Override
  public BufferMut append(byte[] src) {
    real.append(src);
    return this;
  }

  @Override
  public BufferMut append(byte[] src, int offset, int length) {
    real.append(src, offset, length);
    return this;
  }

  @Override
  public BufferMut append(ByteBuffer src) {
    real.append(src);
    return this;
  }

  @Override
  public BufferMut append(ZeroCopyBuffer src) {
    real.append(src);
    return this;
  }

  @Override
  public BufferMut reserve(int additional) {
    real.reserve(additional);
    return this;
  }

  @Override
  public int readFrom(ReadableByteChannel channel) throws IOException {
    return real.readFrom(channel);
  }

  @Override
  public ByteBuffer asReadOnlyByteBuffer() {
    return real.asReadOnlyByteBuffer();
  }

  @Override
  public ZeroCopyBuffer freeze() {
    return real.freeze();
  }

  @Override
  public ZeroCopyBuffer freeze(BufferKind kind) {
    return real.freeze(kind);
  }

  @Override
  public boolean isClosed() {
    return real.isClosed();
  }

  @Override
  public void close() {
    real.close();
  }
}
