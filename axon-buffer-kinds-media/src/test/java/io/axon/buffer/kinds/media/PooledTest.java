package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.core.testing.PoolAssertions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh pool per test, checked clean after each: live bytes back to 0, nothing leaked. */
abstract class PooledTest {

  SlabBufferPool pool;

  @BeforeEach
  void newPool() {
    pool = SlabBufferPool.builder().build();
  }

  @AfterEach
  void everyBufferWentBack() {
    try {
      PoolAssertions.assertClean(pool);
    } finally {
      pool.close();
    }
  }

  /** {@code bytes} copied once into pooled memory, tagged {@code kind}. */
  ZeroCopyBuffer pooled(BufferKind kind, byte[] bytes) {
    BufferMut b = pool.acquire(bytes.length);
    return b.append(bytes).freeze(kind);
  }

  long live() {
    return pool.snapshot().liveBytes();
  }

  /**
   * An allocator over {@link #pool} whose builders fail on their {@code failAt}-th append, as a
   * pool that runs out of memory mid-way would: the transcoder must release what it holds.
   */
  BufferAllocator failingOnAppend(int failAt) {
    AtomicInteger appends = new AtomicInteger();
    return new BufferAllocator() {
      @Override
      public BufferMut acquire(int capacityHint) {
        BufferMut real = pool.acquire(capacityHint);
        return new BufferMut() {
          private void tick() {
            if (appends.incrementAndGet() >= failAt) {
              throw new BufferAllocationException(1, "simulated: no memory on append " + failAt, null);
            }
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
          public PoolClass poolClass() {
            return real.poolClass();
          }

          @Override
          public Optional<String> tenant() {
            return real.tenant();
          }

          @Override
          public BufferMut append(byte b) {
            tick();
            real.append(b);
            return this;
          }

          @Override
          public BufferMut append(byte[] src) {
            tick();
            real.append(src);
            return this;
          }

          @Override
          public BufferMut append(byte[] src, int offset, int length) {
            tick();
            real.append(src, offset, length);
            return this;
          }

          @Override
          public BufferMut append(ByteBuffer src) {
            tick();
            real.append(src);
            return this;
          }

          @Override
          public BufferMut append(ZeroCopyBuffer src) {
            tick();
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
        };
      }

      @Override
      public Optional<String> tenant() {
        return Optional.empty();
      }
    };
  }
}
