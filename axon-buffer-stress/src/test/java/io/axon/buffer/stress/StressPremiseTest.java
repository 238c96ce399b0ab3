package io.axon.buffer.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The premise of {@link ReadRacingLastCloseStress}: a slab released by the closer's thread is the
 * one that thread's next acquisition takes, from each pool the proofs use, when the view was built
 * on another thread (as jcstress builds states). If the pool stopped handing it back, every race
 * would end with the closer holding another slab, and a stale read could never show.
 */
class StressPremiseTest {

  @Test
  void theCloserGetsTheSlabBackFromTheDefaultPool() throws Exception {
    assertEquals(1, closeAndReacquireOnAnotherThread(Pools.DEFAULT));
  }

  @Test
  void theCloserGetsTheSlabBackFromTheHeapPool() throws Exception {
    assertEquals(1, closeAndReacquireOnAnotherThread(Pools.HEAP));
  }

  @Test
  void theCloserGetsAPartsSlabBackAfterClosingAComposite() throws Exception {
    int stamp = Stamps.next();
    int nextOwner = Stamps.next();
    ByteBuffer aliasA;
    ByteBuffer aliasB;
    ZeroCopyBuffer composite;
    try (ZeroCopyBuffer a = Stamps.stamped(Pools.DEFAULT, stamp);
        ZeroCopyBuffer b = Stamps.stamped(Pools.DEFAULT, stamp)) {
      aliasA = a.asReadOnlyByteBuffer();
      aliasB = b.asReadOnlyByteBuffer();
      composite = Buffers.composite(BufferKind.raw(), List.of(a, b));
    }
    AtomicInteger reused = new AtomicInteger(-1);
    onAnotherThread(
        () -> {
          composite.close();
          try (ZeroCopyBuffer r1 = Stamps.stamped(Pools.DEFAULT, nextOwner);
              ZeroCopyBuffer r2 = Stamps.stamped(Pools.DEFAULT, nextOwner)) {
            reused.set(Stamps.reused(aliasA, nextOwner) | Stamps.reused(aliasB, nextOwner));
          }
        });
    assertEquals(1, reused.get());
  }

  /** A view built here, closed and replaced on another thread: 1 if the replacement reused it. */
  private static int closeAndReacquireOnAnotherThread(SlabBufferPool pool) throws Exception {
    int stamp = Stamps.next();
    int nextOwner = Stamps.next();
    ZeroCopyBuffer view = Stamps.stamped(pool, stamp);
    ByteBuffer alias = view.asReadOnlyByteBuffer();
    AtomicInteger reused = new AtomicInteger(-1);
    onAnotherThread(
        () -> {
          view.close();
          try (ZeroCopyBuffer replacement = Stamps.stamped(pool, nextOwner)) {
            reused.set(Stamps.reused(alias, nextOwner));
          }
        });
    return reused.get();
  }

  private static void onAnotherThread(Runnable r) throws InterruptedException {
    Thread t = new Thread(r, "closer");
    t.start();
    t.join();
  }
}
