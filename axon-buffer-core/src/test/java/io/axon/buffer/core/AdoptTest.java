package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.LeakDetection;
import io.axon.buffer.core.internal.UnexpectedLeaks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link Buffers#adopt}: foreign memory as a view, released exactly once by its last close. */
class AdoptTest {

  private static final BufferKind KIND = BufferKind.of("pcm16");

  private static ByteBuffer direct(int from, int n) {
    ByteBuffer b = ByteBuffer.allocateDirect(n);
    for (int i = 0; i < n; i++) {
      b.put(i, (byte) (from + i));
    }
    return b;
  }

  @Test
  void theLastCloseOfAnyViewRunsTheReleaseOnceAndNotBefore() {
    AtomicInteger released = new AtomicInteger();
    ByteBuffer memory = direct(0, 100).position(10).limit(90);
    ZeroCopyBuffer v = Buffers.adopt(KIND, List.of(memory), released::incrementAndGet);
    assertEquals(10, memory.position(), "the caller's position does not move");
    assertEquals(80, v.length());
    assertEquals(10, v.get(0));
    assertTrue(v.unwrap(ByteBuffer.class).isDirect(), "the foreign memory itself, no copy");
    ZeroCopyBuffer slice = v.slice(5, 6);
    ZeroCopyBuffer share = v.share();
    v.close();
    share.close();
    assertEquals(0, released.get(), "a slice still holds the memory");
    assertEquals(15, slice.get(0));
    slice.close();
    slice.close();
    assertEquals(1, released.get());
  }

  @Test
  void severalPiecesAreOneCompositeReleasedWhenTheLastViewOfAnyPieceCloses() {
    AtomicInteger released = new AtomicInteger();
    ZeroCopyBuffer v =
        Buffers.adopt(
            KIND,
            List.of(direct(0, 10), ByteBuffer.allocate(0), ByteBuffer.wrap(new byte[] {10, 11})),
            released::incrementAndGet);
    assertEquals(12, v.length());
    assertEquals(2, v.unwrap(ByteBuffer[].class).length, "the empty piece is skipped");
    try (ZeroCopyBuffer spanning = v.slice(8, 12)) {
      assertArrayEquals(new byte[] {8, 9, 10, 11}, spanning.toByteArray());
    }
    ZeroCopyBuffer insideFirst = v.slice(2, 4);
    v.close();
    assertEquals(0, released.get(), "a slice of the first piece outlives the composite");
    insideFirst.close();
    assertEquals(1, released.get());
  }

  @Test
  void anAdoptionOfNoBytesIsReleasedByItsClose() {
    AtomicInteger released = new AtomicInteger();
    ZeroCopyBuffer v = Buffers.adopt(KIND, List.of(), released::incrementAndGet);
    assertEquals(0, v.length());
    v.close();
    assertEquals(1, released.get());
  }

  @Test
  void ifAdoptThrowsTheReleaseIsNotRun() {
    AtomicInteger released = new AtomicInteger();
    List<ByteBuffer> withNull = Arrays.asList(direct(0, 4), null);
    assertThrows(
        NullPointerException.class, () -> Buffers.adopt(KIND, withNull, released::incrementAndGet));
    assertThrows(
        NullPointerException.class,
        () -> Buffers.adopt(null, List.of(direct(0, 4)), released::incrementAndGet));
    assertEquals(0, released.get(), "the caller still owns the memory");
  }

  @Test
  void theReleaseRunsOnceWhenTheLastViewsCloseOnSeveralThreadsAtOnce() throws Exception {
    int threads = 4;
    ExecutorService exec = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 500; round++) {
        AtomicInteger released = new AtomicInteger();
        ZeroCopyBuffer root =
            Buffers.adopt(KIND, List.of(direct(0, 64), direct(64, 64)), released::incrementAndGet);
        List<ZeroCopyBuffer> views = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          views.add(i % 2 == 0 ? root.share() : root.slice(i, 64 + i));
        }
        root.close();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        for (ZeroCopyBuffer v : views) {
          done.add(
              exec.submit(
                  () -> {
                    start.await();
                    v.close();
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertEquals(1, released.get(), "round " + round);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void aReleaseThatThrowsIsLoggedAndCloseStillReturns() {
    ZeroCopyBuffer v =
        Buffers.adopt(
            KIND,
            List.of(direct(0, 4)),
            () -> {
              throw new IllegalStateException("the owner is gone");
            });
    v.close();
    assertTrue(v.isClosed());
  }

  @Test
  void adoptedMemoryDroppedWithoutCloseIsReleasedByTheSafetyNetAndReported() {
    UnexpectedLeaks.expectFrom(AdoptedStorage.LEAK_SOURCE);
    List<LeakReport> heard = new CopyOnWriteArrayList<>();
    Consumer<LeakReport> listener = heard::add;
    LeakDetection.addListener(listener);
    try {
      AtomicInteger released = new AtomicInteger();
      leak(released);
      UnexpectedLeaks.awaitDetection();
      assertEquals(1, released.get(), "the safety net ran the release");
      assertTrue(
          heard.stream()
              .anyMatch(r -> r.pool().equals(AdoptedStorage.LEAK_SOURCE) && r.capacity() == 4096),
          heard.toString());
    } finally {
      LeakDetection.removeListener(listener);
    }
  }

  private static void leak(AtomicInteger released) {
    Buffers.adopt(KIND, List.of(direct(0, 4096)), released::incrementAndGet).slice(1, 2);
  }

  @Test
  void aTenantsAdoptionIsBilledAsBorrowedBytesApartFromPooledOnesUntilTheRelease() {
    try (SlabBufferPool pool = SlabBufferPool.builder().name("adopt-billing").build()) {
      AtomicInteger released = new AtomicInteger();
      ZeroCopyBuffer v =
          pool.forTenant("acme")
              .adopt(KIND, List.of(direct(0, 600), direct(0, 400)), released::incrementAndGet);
      assertEquals(java.util.Optional.of("acme"), v.tenant());
      assertEquals(1000, pool.snapshot().borrowedBytes());
      assertEquals(1000L, pool.snapshot().borrowedBytesByTenant().get("acme"));
      assertEquals(0, pool.snapshot().liveBytes("acme"), "borrowed, not pooled");
      ZeroCopyBuffer untenanted = pool.adopt(KIND, List.of(direct(0, 24)), () -> {});
      assertEquals(java.util.Optional.empty(), untenanted.tenant());
      assertEquals(1024, pool.snapshot().borrowedBytes());
      untenanted.close();
      v.close();
      assertEquals(1, released.get());
      assertEquals(0, pool.snapshot().borrowedBytes());
      assertEquals(null, pool.snapshot().borrowedBytesByTenant().get("acme"));
    }
  }

  @Test
  void anAdoptionTheHardLimitRefusesBillsNothingAndDoesNotRelease() {
    try (SlabBufferPool pool = SlabBufferPool.builder().hardLimit("acme", 4096).build()) {
      AtomicInteger released = new AtomicInteger();
      assertThrows(
          io.axon.buffer.TenantLimitExceededException.class,
          () ->
              pool.forTenant("acme")
                  .adopt(KIND, List.of(direct(0, 5000)), released::incrementAndGet));
      assertEquals(0, released.get(), "the caller still owns the memory");
      assertEquals(0, pool.snapshot().borrowedBytes());
      try (ZeroCopyBuffer fits =
          pool.forTenant("acme").adopt(KIND, List.of(direct(0, 4000)), () -> {})) {
        assertEquals(4000, pool.snapshot().borrowedBytes());
        assertThrows(
            io.axon.buffer.TenantLimitExceededException.class,
            () -> pool.forTenant("acme").acquire(100),
            "borrowed bytes count toward the hard limit");
      }
    }
  }

  @Test
  void aBilledAdoptionDroppedWithoutCloseIsReleasedUnbilledAndCountedAsALeak() {
    try (SlabBufferPool pool = SlabBufferPool.builder().name("adopt-leak").build()) {
      UnexpectedLeaks.expectFrom(pool.name());
      AtomicInteger released = new AtomicInteger();
      leakBilled(pool, released);
      UnexpectedLeaks.awaitDetection();
      assertEquals(1, released.get());
      assertEquals(1, pool.snapshot().leaksReclaimed());
      assertEquals(0, pool.snapshot().borrowedBytes());
    }
  }

  private static void leakBilled(SlabBufferPool pool, AtomicInteger released) {
    pool.forTenant("acme").adopt(KIND, List.of(direct(0, 2048)), released::incrementAndGet);
  }
}
