package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentedBuilderTest {

  private static final int SMALL = 4096;
  private static final int MEDIUM = 64 * 1024;
  private static final int LARGE = 1024 * 1024;

  private final SlabBufferPool pool =
      SlabBufferPool.builder().name("segmented-test").hardLimit("capped", 1 << 20).build();
  private final BufferAllocator tenant = pool.forTenant("t");

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static int[] pieceSizes(ZeroCopyBuffer v) {
    return Arrays.stream(v.unwrap(ByteBuffer[].class)).mapToInt(ByteBuffer::remaining).toArray();
  }

  private long billed() {
    return pool.snapshot().liveBytes("t");
  }

  /** Appends {@code data} in chunks of {@code chunk} bytes. */
  private static void appendInChunks(SegmentedBuilder b, byte[] data, int chunk) {
    for (int at = 0; at < data.length; at += chunk) {
      b.append(data, at, Math.min(chunk, data.length - at));
    }
  }

  @Test
  void anEmptyBuilderHoldsNoMemoryAndFreezesToAnEmptyView() {
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      assertEquals(0, billed());
      try (ZeroCopyBuffer v = b.freeze(BufferKind.of("json"))) {
        assertEquals(0, v.length());
        assertEquals(BufferKind.of("json"), v.kind());
      }
    }
  }

  @Test
  void aSmallPayloadIsOnePlainPieceOfTheClassOfTheFirstWrite() {
    byte[] data = bytes(100, 1);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      b.append(data);
      assertEquals(SMALL, billed());
      try (ZeroCopyBuffer v = b.freeze(BufferKind.of("png"))) {
        assertInstanceOf(View.class, v);
        assertArrayEquals(data, v.toByteArray());
        assertEquals(BufferKind.of("png"), v.kind());
        assertEquals(Optional.of("t"), v.tenant());
      }
    }
  }

  @Test
  void piecesAreNoLargerThanThePayloadAndNoByteIsEverMoved() {
    byte[] data = bytes(200_000, 2);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      appendInChunks(b, data, 1000);
      assertEquals(200_000, b.length());
      assertEquals(16 * SMALL + 3 * MEDIUM, billed(), "4 KiB pieces to 64 KiB, then 64 KiB ones");
      try (ZeroCopyBuffer v = b.freeze()) {
        int[] sizes = pieceSizes(v);
        assertEquals(19, sizes.length);
        assertEquals(SMALL, sizes[15]);
        assertEquals(MEDIUM, sizes[16]);
        assertEquals(200_000 - 16 * SMALL - 2 * MEDIUM, sizes[18]);
        assertArrayEquals(data, v.toByteArray());
        assertEquals(Optional.of("t"), v.tenant(), "the pieces share the allocator's tenant");
      }
    }
  }

  @Test
  void theCapacityHeldIsAtMostTwiceThePayloadWhateverTheWrites() {
    Random random = new Random(12);
    int[] edges = {1, SMALL - 1, SMALL, SMALL + 1, MEDIUM - 1, MEDIUM, MEDIUM + 1, LARGE + 1};
    for (int round = 0; round < 100; round++) {
      try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
        for (int w = 0; w < 6; w++) {
          int n =
              random.nextBoolean()
                  ? edges[random.nextInt(edges.length)]
                  : 1 + random.nextInt(random.nextBoolean() ? 5000 : 300_000);
          b.append(new byte[n]);
          long held = billed();
          assertTrue(
              held <= Math.max(2 * b.length(), SMALL),
              "round " + round + ": " + held + " bytes held for " + b.length());
        }
      }
    }
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      b.append(new byte[SMALL]).append(new byte[1]);
      assertEquals(2 * SMALL, billed(), "4 KiB and a byte hold 8 KiB, not 68 KiB");
    }
  }

  @Test
  void aLargeFirstWriteStartsWithItsClassAtMostLarge() {
    byte[] data = bytes(3 * LARGE, 3);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      b.append(data);
      try (ZeroCopyBuffer v = b.freeze()) {
        assertArrayEquals(new int[] {LARGE, LARGE, LARGE}, pieceSizes(v));
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void piecesNearTheLimitAreRoundedDownToAClassSoTheLastOneWastesLessThanASmallPiece() {
    byte[] data = bytes(100_000, 4);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant, 100_000)) {
      appendInChunks(b, data, 1000);
      // Sixteen 4 KiB pieces, then 34,464 bytes left: no 64 KiB piece fits, so nine 4 KiB ones.
      assertEquals(25 * SMALL, billed());
      try (ZeroCopyBuffer v = b.freeze()) {
        assertEquals(25, pieceSizes(v).length);
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void capacityBilledExceedsTheBytesStoredByAtMostOneSmallPiece() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      long limit = 1L + random.nextInt(3 * LARGE);
      int stored = random.nextBoolean() ? (int) limit : random.nextInt((int) limit + 1);
      int chunk = 1 + random.nextInt(random.nextBoolean() ? 100 : 70_000);
      String what = "round " + round + ": limit " + limit + ", " + stored + " bytes by " + chunk;
      try (SegmentedBuilder b = new SegmentedBuilder(tenant, limit)) {
        appendInChunks(b, new byte[stored], chunk);
        long billed = billed();
        assertTrue(billed <= Math.max(stored + SMALL, limit), what + ": billed " + billed);
        if (stored == limit) {
          assertTrue(billed - stored < SMALL, what + ": billed " + billed);
        }
      }
    }
  }

  @Test
  void aMillionBytePayloadFitsAOneMebibyteHardLimit() {
    BufferAllocator capped = pool.forTenant("capped");
    byte[] data = bytes(1_000_000, 6);
    for (long limit : new long[] {1_000_000, 1 << 20}) {
      try (SegmentedBuilder b = new SegmentedBuilder(capped, limit)) {
        appendInChunks(b, data, 8192);
        try (ZeroCopyBuffer v = b.freeze()) {
          assertEquals(Buffers.wrap(data).sha256Hex(), v.sha256Hex());
          assertTrue(pool.snapshot().liveBytes("capped") <= 1 << 20);
        }
      }
    }
    assertEquals(0, pool.snapshot().hardLimitRefusals().getOrDefault("capped", 0L));
  }

  @Test
  void theHeadIsReadInPlaceFromTheFirstPiece() {
    byte[] data = bytes(10_000, 7);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant).firstPieceAtLeast(8192)) {
      appendInChunks(b, data, 100);
      ByteBuffer head = b.head(8192);
      assertTrue(head.isReadOnly());
      assertTrue(head.isDirect(), "the pooled memory itself");
      assertEquals(8192, head.remaining());
      byte[] seen = new byte[8192];
      head.get(seen);
      assertArrayEquals(Arrays.copyOf(data, 8192), seen);
      assertEquals(0, b.head(0).remaining());
      assertThrows(IndexOutOfBoundsException.class, () -> b.head(10_001));
    }
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      appendInChunks(b, data, 100);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.head(8192));
      assertTrue(e.getMessage().contains("4096"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> b.firstPieceAtLeast(1));
    }
  }

  @Test
  void firstPieceAtLeastLandsAPayloadOfKnownSizeInOnePiece() {
    byte[] data = bytes(3 * LARGE, 8);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant).firstPieceAtLeast(data.length)) {
      appendInChunks(b, data, 8192);
      try (ZeroCopyBuffer v = b.freeze()) {
        assertInstanceOf(View.class, v);
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void readFromReadsStraightIntoPiecesUntilTheEndOfTheStream() throws IOException {
    byte[] data = bytes(300_000, 9);
    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(data));
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      int reads = 0;
      while (b.readFrom(in) >= 0) {
        reads++;
      }
      assertTrue(reads > 1);
      assertEquals(300_000, b.length());
      try (ZeroCopyBuffer v = b.freeze()) {
        assertEquals(SMALL, pieceSizes(v)[0], "a read starts with a small piece");
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void theWritableTailIsPooledMemoryThatCommitCounts() {
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      b.append(new byte[] {1, 2});
      ByteBuffer tail = b.writableTail(100);
      assertFalse(tail.isReadOnly());
      assertTrue(tail.isDirect(), "no scratch for the pool's own builders");
      assertEquals(0, tail.position());
      assertEquals(SMALL - 2, tail.remaining(), "all the room of the current piece");
      tail.put(0, (byte) 3).put(1, (byte) 4).put(2, (byte) 5);
      b.commit(3);
      assertEquals(5, b.length());
      assertThrows(IllegalStateException.class, () -> b.commit(0), "one commit per tail");
      ByteBuffer next = b.writableTail(1);
      b.append(new byte[] {6});
      assertThrows(IllegalStateException.class, () -> b.commit(1), "another call came between");
      assertEquals(SMALL - 5, next.remaining());
      ByteBuffer big = b.writableTail(SMALL);
      assertEquals(SMALL, big.remaining(), "a new piece when the current one has less room");
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> b.commit(SMALL + 1));
      assertTrue(e.getMessage().contains(String.valueOf(SMALL + 1)), e.getMessage());
      big.put(0, (byte) 7);
      b.commit(1);
      assertThrows(IllegalArgumentException.class, () -> b.writableTail(0));
      try (ZeroCopyBuffer v = b.freeze()) {
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, v.toByteArray());
        assertArrayEquals(new int[] {6, 1}, pieceSizes(v));
      }
    }
  }

  @Test
  void anotherAllocatorsBuildersGetAScratchTailThatCommitCopiesIn() {
    int[] appends = new int[1];
    BufferAllocator foreign =
        new BufferAllocator() {
          @Override
          public BufferMut acquire(int capacityHint) {
            BufferMut real = tenant.acquire(capacityHint);
            InvocationHandler forward =
                (proxy, method, args) -> {
                  if (method.getName().equals("append")) {
                    appends[0]++;
                  }
                  try {
                    Object result = method.invoke(real, args);
                    return result == real ? proxy : result;
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                };
            return (BufferMut)
                Proxy.newProxyInstance(
                    BufferMut.class.getClassLoader(), new Class<?>[] {BufferMut.class}, forward);
          }

          @Override
          public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {

            return tenant.adopt(kind, pieces, release);
          }

          @Override
          public Optional<String> tenant() {
            return tenant.tenant();
          }
        };
    try (SegmentedBuilder b = new SegmentedBuilder(foreign)) {
      ByteBuffer tail = b.writableTail(10);
      assertFalse(tail.isDirect(), "a scratch buffer");
      tail.put(0, (byte) 42);
      b.commit(1);
      assertEquals(1, appends[0], "the commit appended the scratch");
      try (ZeroCopyBuffer v = b.freeze()) {
        assertArrayEquals(new byte[] {42}, v.toByteArray());
      }
    }
  }

  @Test
  void aRefusedPieceKeepsTheBytesThatFitAndTheBuilderStaysUsable() {
    try (SlabBufferPool small = SlabBufferPool.builder().hardLimit("t", SMALL).build()) {
      SegmentedBuilder b = new SegmentedBuilder(small.forTenant("t"));
      b.append(new byte[SMALL - 10]);
      assertThrows(TenantLimitExceededException.class, () -> b.append(new byte[100]));
      assertEquals(SMALL, b.length(), "the 10 bytes that fit the first piece stay");
      assertEquals(SMALL, b.head(SMALL).remaining(), "and stay readable");
      b.close();
      assertEquals(0, small.snapshot().liveBytes());
    }
  }

  @Test
  void closeBeforeFreezeReleasesEveryPieceAndEndsTheBuilder() {
    SegmentedBuilder b = new SegmentedBuilder(tenant);
    appendInChunks(b, bytes(100_000, 10), 5000);
    assertTrue(billed() > 0);
    b.close();
    b.close();
    assertEquals(0, billed());
    assertTrue(b.isClosed());
    assertThrows(ClosedBufferException.class, () -> b.append(new byte[1]));
    assertThrows(ClosedBufferException.class, b::freeze);
  }

  @Test
  void freezeHandsEveryPieceToTheViewAndEndsTheBuilder() throws IOException {
    SegmentedBuilder b = new SegmentedBuilder(tenant);
    appendInChunks(b, bytes(100_000, 11), 5000);
    long held = billed();
    ZeroCopyBuffer v = b.freeze();
    b.close();
    assertEquals(held, billed(), "close after freeze does nothing");
    assertTrue(b.isClosed());
    assertThrows(ClosedBufferException.class, () -> b.append(ByteBuffer.allocate(1)));
    assertThrows(ClosedBufferException.class, () -> b.head(0));
    assertThrows(
        ClosedBufferException.class,
        () -> b.readFrom(Channels.newChannel(new ByteArrayInputStream(new byte[1]))));
    assertThrows(ClosedBufferException.class, () -> b.writableTail(1));
    assertEquals(1, v.sharers());
    v.close();
    assertEquals(0, billed(), "the view's close released every piece");
  }

  @Test
  void appendingAByteBufferMovesItsPositionAcrossPieces() {
    byte[] data = bytes(70_000, 12);
    ByteBuffer src = ByteBuffer.wrap(data);
    try (SegmentedBuilder b = new SegmentedBuilder(tenant)) {
      b.append(ByteBuffer.allocate(5000).limit(4000)); // a first piece of 4 KiB, 96 bytes left
      b.append(src);
      assertEquals(data.length, src.position());
      assertEquals(data.length, src.limit(), "the limit is put back");
      try (ZeroCopyBuffer v = b.freeze()) {
        assertArrayEquals(data, Arrays.copyOfRange(v.toByteArray(), 4000, 74_000));
        assertEquals(IntStream.of(pieceSizes(v)).sum(), 74_000, "every byte in exactly one piece");
      }
    }
  }
}
