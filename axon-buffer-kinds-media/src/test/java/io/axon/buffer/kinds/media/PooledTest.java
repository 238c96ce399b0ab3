package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.ForwardingBufferMut;
import io.axon.buffer.testing.PoolAssertions;
import java.nio.ByteBuffer;
import java.util.List;
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
        return new ForwardingBufferMut(pool.acquire(capacityHint)) {
          private void tick() {
            if (appends.incrementAndGet() >= failAt) {
              throw new BufferAllocationException(
                  1, "simulated: no memory on append " + failAt, null);
            }
          }

          @Override
          public BufferMut append(byte b) {
            tick();
            return super.append(b);
          }

          @Override
          public BufferMut append(byte[] src) {
            tick();
            return super.append(src);
          }

          @Override
          public BufferMut append(byte[] src, int offset, int length) {
            tick();
            return super.append(src, offset, length);
          }

          @Override
          public BufferMut append(ByteBuffer src) {
            tick();
            return super.append(src);
          }

          @Override
          public BufferMut append(ZeroCopyBuffer src) {
            tick();
            return super.append(src);
          }
        };
      }

      @Override
      public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {

        return pool.adopt(kind, pieces, release);
      }

      @Override
      public Optional<String> tenant() {
        return Optional.empty();
      }
    };
  }
}
