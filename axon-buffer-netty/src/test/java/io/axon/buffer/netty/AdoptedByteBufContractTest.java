package io.axon.buffer.netty;

import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.ZeroCopyBufferContract;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The view contract over Netty memory adopted without a copy ({@link ByteBufViews#adopt}): a pooled
 * direct {@code ByteBuf} (its readable bytes inside a larger buffer), and a {@code
 * CompositeByteBuf} of three pooled buffers (a composite view). "Memory held" is the tenant's
 * borrowed bytes plus the Netty buffers not yet released: both come back to 0 once every view is
 * closed, the buffer released exactly once.
 */
class AdoptedByteBufContractTest {

  private static final SlabBufferPool POOL = TestPools.newPool();

  /** Every buffer adopted, to count those still holding a reference. */
  private static final List<ByteBuf> ADOPTED = new CopyOnWriteArrayList<>();

  @AfterAll
  static void closePool() throws InterruptedException {
    TestPools.awaitNoLiveBytes(POOL, "the contract");
    POOL.close();
  }

  private static long held() {
    long unreleased = ADOPTED.stream().filter(b -> b.refCnt() > 0).count();
    PoolSnapshot s = POOL.snapshot();
    return s.borrowedBytes() + s.liveBytes() + unreleased; // live: compact()'s pooled copies
  }

  /** What both shapes share: the tenant and the memory held. */
  abstract class AdoptedShape extends ZeroCopyBufferContract {
    @Override
    protected Optional<String> tenant() {
      return Optional.of("netty");
    }

    @Override
    protected long liveBytes() {
      return held();
    }
  }

  /** A pooled direct buffer with a few bytes before and after the adopted ones. */
  @Nested
  class OnePooledBuffer extends AdoptedShape {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(content.length + 16);
      buf.writeZero(8).writeBytes(content).writeZero(8);
      buf.setIndex(8, 8 + content.length);
      ADOPTED.add(buf);
      return ByteBufViews.adopt(buf, POOL.forTenant("netty"), KIND);
    }
  }

  /** A composite of three pooled buffers, one of them heap: a composite view of three pieces. */
  @Nested
  class ACompositeBuffer extends AdoptedShape {
    @Override
    protected ZeroCopyBuffer create(byte[] content) {
      int third = content.length / 3;
      CompositeByteBuf buf = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(3);
      buf.addComponent(
          true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(content, 0, third));
      buf.addComponent(
          true, PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(content, third, third));
      buf.addComponent(
          true,
          PooledByteBufAllocator.DEFAULT
              .directBuffer()
              .writeBytes(content, 2 * third, content.length - 2 * third));
      ADOPTED.add(buf);
      return ByteBufViews.adopt(buf, POOL.forTenant("netty"), KIND);
    }
  }
}
