package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.BuilderRanges;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ranges of a pooled builder shared as views while it goes on building ({@link BuilderRanges}). */
class BuilderRangesTest {

  private static final int SMALL = 4096;
  private static final BufferKind TEXT = BufferKind.of("text");

  private final SlabBufferPool pool = SlabBufferPool.builder().name("builder-ranges").build();
  private final BufferAllocator tenant = pool.forTenant("t");

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private long billed() {
    return pool.snapshot().liveBytes("t");
  }

  @Test
  void rangesAreViewsOfTheirOwnBytesAndKindBilledOnceWithTheSlab() {
    byte[] a = bytes(40, 1);
    byte[] b = bytes(100, 2);
    BufferMut builder = tenant.acquire(SMALL);
    builder.append(a);
    ZeroCopyBuffer first = BuilderRanges.share(builder, 0, 40, TEXT);
    builder.append(b);
    ZeroCopyBuffer second = BuilderRanges.share(builder, 40, 140, BufferKind.raw());
    assertArrayEquals(a, first.toByteArray());
    assertArrayEquals(b, second.toByteArray());
    assertEquals(TEXT, first.kind());
    assertEquals(Optional.of("t"), second.tenant());
    assertEquals(SMALL, billed(), "one slab for both");
    builder.close();
    first.close();
    assertEquals(SMALL, billed(), "the second view holds the slab");
    assertArrayEquals(b, second.toByteArray());
    second.close();
    assertEquals(0, billed());
  }

  @Test
  void theBuilderHoldsTheSlabWhileItBuildsThoughEveryViewIsClosed() {
    BufferMut builder = tenant.acquire(SMALL);
    builder.append(bytes(10, 3));
    BuilderRanges.share(builder, 0, 10, TEXT).close();
    assertEquals(SMALL, billed());
    byte[] more = bytes(20, 4);
    builder.append(more);
    try (ZeroCopyBuffer v = BuilderRanges.share(builder, 10, 30, TEXT)) {
      assertArrayEquals(more, v.toByteArray());
    }
    builder.close();
    assertEquals(0, billed());
    builder.close(); // a second close does nothing
    assertEquals(0, billed());
  }

  @Test
  void aBuilderThatSharedNeverGrowsSoItsViewsKeepTheirBytes() {
    BufferMut builder = tenant.acquire(SMALL);
    int capacity = builder.capacity();
    byte[] a = bytes(capacity - 8, 5);
    builder.append(a);
    ZeroCopyBuffer v = BuilderRanges.share(builder, 0, a.length, TEXT);
    builder.append(new byte[8]); // fits exactly
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.append((byte) 1));
    assertTrue(e.getMessage().contains("cannot grow"), e.getMessage());
    assertEquals(capacity, builder.length(), "the refused append appended nothing");
    assertArrayEquals(a, v.toByteArray());
    builder.close();
    v.close();
  }

  @Test
  void freezeAfterSharingGivesTheWholeContentAndEndsTheBuilder() {
    byte[] a = bytes(300, 6);
    BufferMut builder = tenant.acquire(SMALL);
    builder.append(a);
    ZeroCopyBuffer part = BuilderRanges.share(builder, 100, 200, TEXT);
    ZeroCopyBuffer whole = builder.freeze(TEXT);
    assertTrue(builder.isClosed());
    assertThrows(ClosedBufferException.class, () -> BuilderRanges.share(builder, 0, 1, TEXT));
    assertArrayEquals(a, whole.toByteArray());
    assertArrayEquals(Arrays.copyOfRange(a, 100, 200), part.toByteArray());
    whole.close();
    assertEquals(SMALL, billed());
    part.close();
  }

  @Test
  void aRangeOutsideTheAppendedBytesIsRefusedAndHoldsNothing() {
    try (BufferMut builder = tenant.acquire(SMALL)) {
      builder.append(bytes(10, 7));
      assertThrows(
          IndexOutOfBoundsException.class, () -> BuilderRanges.share(builder, 5, 11, TEXT));
      assertThrows(IndexOutOfBoundsException.class, () -> BuilderRanges.share(builder, 6, 5, TEXT));
    }
    assertEquals(0, billed(), "the refused shares took no reference");
  }

  @Test
  void aBuilderThatIsNotTheCoresGivesNull() {
    try (BufferMut pooled = tenant.acquire(SMALL)) {
      BufferMut other =
          (BufferMut)
              Proxy.newProxyInstance(
                  BufferMut.class.getClassLoader(),
                  new Class<?>[] {BufferMut.class},
                  (proxy, method, args) -> {
                    try {
                      return method.invoke(pooled, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      other.append(bytes(4, 8));
      assertNull(BuilderRanges.share(other, 0, 4, TEXT));
    }
  }

  @Test
  void viewsClosedOnOtherThreadsWhileTheBuilderGoesOnPackingReleaseEverySlabOnce()
      throws Exception {
    int payloads = 20_000;
    BlockingQueue<ZeroCopyBuffer> handed = new ArrayBlockingQueue<>(256);
    ExecutorService closers = Executors.newFixedThreadPool(2);
    CountDownLatch packed = new CountDownLatch(1);
    List<Future<Integer>> checked = new ArrayList<>();
    try {
      for (int t = 0; t < 2; t++) {
        checked.add(
            closers.submit(
                () -> {
                  int n = 0;
                  while (true) {
                    ZeroCopyBuffer v = handed.poll(10, TimeUnit.MILLISECONDS);
                    if (v == null) {
                      if (packed.getCount() == 0 && handed.isEmpty()) {
                        return n;
                      }
                      continue;
                    }
                    byte[] got = v.toByteArray();
                    // Each payload is its length, repeated: a byte of another payload shows.
                    for (byte x : got) {
                      if (x != (byte) got.length) {
                        throw new AssertionError("a view showed another payload's bytes");
                      }
                    }
                    v.close();
                    n++;
                  }
                }));
      }
      Random random = new Random(9);
      BufferMut builder = null;
      for (int i = 0; i < payloads; i++) {
        int n = 1 + random.nextInt(200);
        if (builder == null || builder.capacity() - builder.length() < n) {
          if (builder != null) {
            builder.close();
          }
          builder = tenant.acquire(SMALL);
        }
        byte[] payload = new byte[n];
        Arrays.fill(payload, (byte) n);
        int from = builder.length();
        builder.append(payload);
        handed.put(BuilderRanges.share(builder, from, from + n, TEXT));
      }
      builder.close();
      packed.countDown();
      int closed = 0;
      for (Future<Integer> f : checked) {
        closed += f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(payloads, closed);
    } finally {
      closers.shutdownNow();
    }
  }
}
