package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Netty buffer adopted as a view: its memory, released once by the last close, billed. */
class ByteBufViewsAdoptTest {

  @Test
  void theViewReadsNettysMemoryAndTheLastCloseReleasesTheBufferOnce() throws InterruptedException {
    SlabBufferPool pool = TestPools.newPool();
    byte[] bytes = MultipartBody.random(100_000, 30);
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    ZeroCopyBuffer view = ByteBufViews.adopt(buf, pool.forTenant("ws"), BufferKind.of("pcm16"));
    ByteBuffer memory = view.unwrap(ByteBuffer.class);
    assertEquals(buf.nioBuffer().duplicate().position(0), memory.duplicate().position(0));
    assertEquals(MultipartBody.sha256(bytes), view.sha256Hex());
    assertEquals(Optional.of("ws"), view.tenant());
    assertEquals(bytes.length, pool.snapshot().borrowedBytesByTenant().get("ws"));
    assertEquals(0, pool.snapshot().liveBytes(), "nothing pooled: Netty's memory is shown");
    ZeroCopyBuffer slice = view.slice(10, 20);
    view.close();
    assertEquals(1, buf.refCnt(), "a slice still shows it");
    slice.close();
    assertEquals(0, buf.refCnt(), "released once, by the last close");
    TestPools.awaitNoLiveBytes(pool, "the adopted view's close");
    pool.close();
  }

  @Test
  void aRefusedAdoptionLeavesTheBufferToTheCallerAndBillsNothing() throws InterruptedException {
    SlabBufferPool pool = SlabBufferPool.builder().hardLimit("poor", 1000).build();
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(5000).writeZero(5000);
    assertThrows(
        TenantLimitExceededException.class,
        () -> ByteBufViews.adopt(buf, pool.forTenant("poor"), BufferKind.raw()));
    assertEquals(1, buf.refCnt(), "still the caller's");
    assertTrue(buf.release());
    TestPools.awaitNoLiveBytes(pool, "the refused adoption");
    pool.close();
  }

  @Test
  void aReleasedBufferIsRefused() {
    SlabBufferPool pool = TestPools.newPool();
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(10).writeZero(10);
    buf.release();
    assertThrows(
        IllegalArgumentException.class,
        () -> ByteBufViews.adopt(buf, pool.forTenant("t"), BufferKind.raw()));
    pool.close();
  }
}
