package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Netty buffer's readable bytes copied once into pooled memory billed to a tenant. */
class ByteBufViewsCopyTest {

  @Test
  void theReadableBytesAreCopiedBilledAndTheBufferLeftAsItWas() throws InterruptedException {
    SlabBufferPool pool = TestPools.newPool();
    byte[] bytes = MultipartBody.random(300_000, 20);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 10);
    buf.writeBytes(new byte[10]).writeBytes(bytes).readerIndex(10);
    try (ZeroCopyBuffer copy =
        ByteBufViews.copyOf(buf, pool.forTenant("acme"), BufferKind.of("pcm16"))) {
      assertEquals(MultipartBody.sha256(bytes), copy.sha256Hex());
      assertEquals(Optional.of("acme"), copy.tenant());
      assertEquals("pcm16", copy.kind().slug());
      assertTrue(pool.snapshot().liveBytes("acme") >= bytes.length, pool.snapshot().toString());
      assertEquals(10, buf.readerIndex(), "the source's reader index is left");
      assertEquals(1, buf.refCnt(), "the source is not released");
    } finally {
      buf.release();
    }
    TestPools.awaitNoLiveBytes(pool, "the copy's close");
    pool.close();
  }

  @Test
  void aCompositeSourceIsCopiedPieceByPiece() throws InterruptedException {
    SlabBufferPool pool = TestPools.newPool();
    byte[] a = MultipartBody.random(5_000, 21);
    byte[] b = MultipartBody.random(7_000, 22);
    CompositeByteBuf buf = Unpooled.compositeBuffer();
    buf.addComponents(true, Unpooled.wrappedBuffer(a), Unpooled.directBuffer().writeBytes(b));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    try (ZeroCopyBuffer copy = ByteBufViews.copyOf(buf, pool.forTenant("t"), BufferKind.raw())) {
      assertEquals(MultipartBody.sha256(both), copy.sha256Hex());
    } finally {
      buf.release();
    }
    TestPools.awaitNoLiveBytes(pool, "the copy's close");
    pool.close();
  }

  @Test
  void aCopyTheTenantCannotPayForAllocatesNothing() throws InterruptedException {
    SlabBufferPool pool = SlabBufferPool.builder().hardLimit("poor", 8192).build();
    ByteBuf buf = Unpooled.wrappedBuffer(MultipartBody.random(100_000, 23));
    try {
      assertThrows(
          TenantLimitExceededException.class,
          () -> ByteBufViews.copyOf(buf, pool.forTenant("poor"), BufferKind.raw()));
    } finally {
      buf.release();
    }
    TestPools.awaitNoLiveBytes(pool, "the refused copy");
    pool.close();
  }
}
