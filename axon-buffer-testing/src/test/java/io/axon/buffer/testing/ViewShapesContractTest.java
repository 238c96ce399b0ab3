package io.axon.buffer.testing;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SegmentedBuilder;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;

/** {@link ZeroCopyBufferContract} over every shape of view the core makes: one factory each. */
class ViewShapesContractTest {

  private static final SlabBufferPool DIRECT =
      SlabBufferPool.builder().name("contract-direct").build();
  private static final SlabBufferPool HEAP =
      SlabBufferPool.builder().name("contract-heap").direct(false).build();

  private static ZeroCopyBuffer pooled(SlabBufferPool pool, String tenant, byte[] content) {
    try (BufferMut m = pool.acquire(content.length, tenant)) {
      return m.append(content).freeze(ZeroCopyBufferContract.KIND);
    }
  }

  /** A contract over a pool: its live bytes must come back. */
  abstract static class Pooled extends ZeroCopyBufferContract {
    @Override
    protected long liveBytes() {
      return DIRECT.snapshot().liveBytes() + HEAP.snapshot().liveBytes();
    }

    @Override
    protected Optional<String> tenant() {
      return Optional.of("acme");
    }
  }

  @Nested
  class PooledDirect extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      return pooled(DIRECT, "acme", content);
    }
  }

  @Nested
  class PooledHeap extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      return pooled(HEAP, "acme", content);
    }
  }

  @Nested
  class SliceOfALargerView extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      byte[] larger = new byte[content.length + 300];
      System.arraycopy(content, 0, larger, 100, content.length);
      try (ZeroCopyBuffer parent = pooled(DIRECT, "acme", larger)) {
        return parent.slice(100, 100 + content.length);
      }
    }
  }

  @Nested
  class CompactedView extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      byte[] larger = new byte[content.length + 8];
      System.arraycopy(content, 0, larger, 4, content.length);
      try (ZeroCopyBuffer parent = pooled(DIRECT, "acme", larger);
          ZeroCopyBuffer slice = parent.slice(4, 4 + content.length)) {
        return slice.compact();
      }
    }
  }

  @Nested
  class CompositeOfOneByteParts extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      List<ZeroCopyBuffer> parts = new ArrayList<>();
      try {
        for (byte b : content) {
          parts.add(pooled(HEAP, "acme", new byte[] {b}));
        }
        return Buffers.composite(KIND, parts);
      } finally {
        parts.forEach(ZeroCopyBuffer::close);
      }
    }
  }

  @Nested
  class CompositeOfTwoTenantsParts extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      int half = content.length / 2;
      try (ZeroCopyBuffer a = pooled(DIRECT, "acme", Arrays.copyOf(content, half));
          ZeroCopyBuffer b =
              pooled(DIRECT, "globex", Arrays.copyOfRange(content, half, content.length))) {
        return Buffers.composite(KIND, List.of(a, b));
      }
    }

    @Override
    protected Optional<String> tenant() {
      return Optional.empty(); // the parts' tenants differ
    }
  }

  @Nested
  class SegmentedBuilderInSmallPieces extends Pooled {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      try (SegmentedBuilder b = new SegmentedBuilder(DIRECT.forTenant("acme"), content.length)) {
        for (int at = 0; at < content.length; at += 100) {
          b.append(content, at, Math.min(100, content.length - at));
        }
        return b.freeze(KIND);
      }
    }

    @Override
    protected int contentLength() {
      return 10_000; // three pieces: 4 KiB and two more under the 10,000-byte limit
    }
  }

  @Nested
  class AdoptedForeignMemory extends ZeroCopyBufferContract {
    private final java.util.concurrent.atomic.AtomicLong unreleased =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      int half = content.length / 3;
      ByteBuffer first = ByteBuffer.allocateDirect(half).put(0, content, 0, half);
      ByteBuffer rest = ByteBuffer.wrap(content, half, content.length - half);
      unreleased.incrementAndGet();
      return Buffers.adopt(KIND, List.of(first, rest), unreleased::decrementAndGet);
    }

    @Override
    protected long liveBytes() {
      return unreleased.get(); // adoptions whose release has not run
    }
  }

  @Nested
  class WrappedArray extends ZeroCopyBufferContract {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      return Buffers.wrap(KIND, content);
    }
  }

  @Nested
  class WrappedDirectBuffer extends ZeroCopyBufferContract {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      ByteBuffer direct = ByteBuffer.allocateDirect(content.length + 2);
      direct.put(1, content).position(1).limit(1 + content.length);
      return Buffers.wrap(KIND, direct);
    }
  }

  @Nested
  class WrappedReadOnlyBuffer extends ZeroCopyBufferContract {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      return Buffers.wrap(KIND, ByteBuffer.wrap(content).asReadOnlyBuffer());
    }
  }

  @Nested
  class CopyOf extends ZeroCopyBufferContract {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      return Buffers.copyOf(KIND, content);
    }
  }
}
