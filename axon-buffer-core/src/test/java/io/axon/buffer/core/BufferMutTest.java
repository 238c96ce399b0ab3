package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferMutTest {

  private final SlabBufferPool pool = SlabBufferPool.builder().name("mut-test").build();

  @AfterEach
  void poolIsEmpty() {
    assertEquals(0, pool.snapshot().liveBytes(), "live bytes after the test");
    pool.close();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void appendsFromBytesArraysBuffersAndViews() {
    byte[] a = random(100, 1);
    ByteBuffer heap = ByteBuffer.wrap(random(50, 2));
    heap.position(10);
    ByteBuffer direct = ByteBuffer.allocateDirect(30).put(random(30, 3)).flip();
    byte[] c = random(40, 4);
    try (BufferMut m = pool.acquire(0);
        ZeroCopyBuffer other = Buffers.wrap(random(20, 5));
        ZeroCopyBuffer comp =
            Buffers.composite(
                BufferKind.raw(),
                List.of(Buffers.wrap(new byte[] {1, 2}), Buffers.wrap(new byte[] {3})))) {
      m.append((byte) 7)
          .append(a)
          .append(c, 5, 10)
          .append(heap)
          .append(direct)
          .append(other)
          .append(comp);
      assertEquals(heap.limit(), heap.position());
      assertEquals(direct.limit(), direct.position());
      assertEquals(1 + 100 + 10 + 40 + 30 + 20 + 3, m.length());
      assertFalse(other.isClosed(), "an appended view stays open");
      try (ZeroCopyBuffer v = m.freeze()) {
        byte[] all = v.toByteArray();
        assertEquals(7, all[0]);
        assertArrayEquals(a, Arrays.copyOfRange(all, 1, 101));
        assertArrayEquals(Arrays.copyOfRange(c, 5, 15), Arrays.copyOfRange(all, 101, 111));
        assertArrayEquals(
            Arrays.copyOfRange(random(50, 2), 10, 50), Arrays.copyOfRange(all, 111, 151));
        assertArrayEquals(random(30, 3), Arrays.copyOfRange(all, 151, 181));
        assertArrayEquals(random(20, 5), Arrays.copyOfRange(all, 181, 201));
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(all, 201, 204));
      }
    }
  }

  @Test
  void appendRangeOutsideTheArrayThrowsWithTheNumbers() {
    try (BufferMut m = pool.acquire(10)) {
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> m.append(new byte[5], 3, 4));
      assertTrue(
          e.getMessage().contains("3")
              && e.getMessage().contains("4")
              && e.getMessage().contains("5"),
          e.getMessage());
      assertEquals(0, m.length());
    }
  }

  @Test
  void readFromReadsStraightIntoPooledMemory() throws IOException {
    byte[] data = random(10_000, 9);
    try (BufferMut m = pool.acquire(0)) {
      ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(data));
      int total = 0;
      int n;
      while ((n = m.readFrom(ch)) >= 0) {
        total += n;
      }
      assertEquals(-1, n);
      assertEquals(10_000, total);
      assertEquals(PoolClass.MEDIUM, PoolClass.forCapacity(m.capacity()), "grew from SMALL");
      try (ZeroCopyBuffer v = m.freeze()) {
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void readFromALoopbackSocketLandsInDirectPooledMemory() throws Exception {
    byte[] data = random(200_000, 11);
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread writer =
          new Thread(
              () -> {
                try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                  ByteBuffer src = ByteBuffer.wrap(data);
                  while (src.hasRemaining()) {
                    out.write(src);
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      writer.start();
      try (SocketChannel in = server.accept();
          BufferMut m = pool.acquire(256 * 1024)) {
        assertEquals(
            PoolClass.LARGE,
            PoolClass.forCapacity(m.capacity()),
            "the hint picked the class up front");
        assertTrue(((SlabBufferMut) m).memory.isDirect());
        while (m.readFrom(in) >= 0) {
          // keep reading
        }
        assertEquals(PoolClass.LARGE, PoolClass.forCapacity(m.capacity()), "no growth was needed");
        try (ZeroCopyBuffer v = m.freeze()) {
          assertArrayEquals(data, v.toByteArray());
        }
      }
      writer.join();
    }
  }

  @Test
  void growthMovesToTheNextClassAndKeepsTheBytes() {
    byte[] data = random(PoolClass.MEDIUM.slabBytes() + 10, 3);
    try (BufferMut m = pool.acquire(0, "t")) {
      assertEquals(PoolClass.SMALL, PoolClass.forCapacity(m.capacity()));
      m.append(data, 0, 4096);
      assertEquals(PoolClass.SMALL, PoolClass.forCapacity(m.capacity()), "4096 bytes fit SMALL");
      assertEquals(4096, pool.snapshot().liveBytes("t"));
      m.append(data[4096]);
      assertEquals(
          PoolClass.MEDIUM, PoolClass.forCapacity(m.capacity()), "4097 bytes moved to MEDIUM");
      PoolSnapshot s = pool.snapshot();
      assertEquals(0, s.of(PoolClass.SMALL).leasedSlabs(), "the SMALL slab went back");
      assertEquals(65536, s.liveBytes("t"), "billed by the capacity held");
      m.append(data, 4097, data.length - 4097);
      assertEquals(PoolClass.LARGE, PoolClass.forCapacity(m.capacity()));
      assertEquals(PoolClass.LARGE.slabBytes(), m.capacity());
      try (ZeroCopyBuffer v = m.freeze()) {
        assertArrayEquals(data, v.toByteArray());
      }
    }
  }

  @Test
  void capacityHintsPickTheClassUpFront() {
    int[][] cases = {
      {0, 0},
      {1, 0},
      {4096, 0},
      {4097, 1},
      {65536, 1},
      {65537, 2},
      {1 << 20, 2},
      {(1 << 20) + 1, 3},
      {10 << 20, 3},
      {(10 << 20) + 1, 4}
    };
    for (int[] c : cases) {
      try (BufferMut m = pool.acquire(c[0])) {
        PoolClass expected = PoolClass.values()[c[1]];
        assertEquals(expected, PoolClass.forCapacity(m.capacity()), "hint " + c[0]);
        assertEquals(
            expected.isPooled() ? expected.slabBytes() : c[0], m.capacity(), "hint " + c[0]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> pool.acquire(-1));
  }

  @Test
  void reserveMakesRoomOrRefusesNegative() {
    try (BufferMut m = pool.acquire(0)) {
      m.append(new byte[100]);
      m.reserve(5000);
      assertEquals(PoolClass.MEDIUM, PoolClass.forCapacity(m.capacity()));
      assertEquals(100, m.length());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.reserve(-3));
      assertTrue(e.getMessage().contains("-3"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> m.reserve(Integer.MAX_VALUE));
      assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
    }
  }

  @Test
  void oversizeBuildersGrowBeyondTheirExactSize() {
    int size = (10 << 20) + 100;
    try (BufferMut m = pool.acquire(size)) {
      assertEquals(size, m.capacity());
      m.append(new byte[size]);
      m.append((byte) 1);
      assertTrue(m.capacity() >= size + size / 2, "grows by half: " + m.capacity());
      try (ZeroCopyBuffer v = m.freeze()) {
        assertEquals(size + 1, v.length());
        assertEquals(1, v.get(size));
      }
    }
    assertEquals(0, pool.snapshot().of(PoolClass.OVERSIZE).retainedSlabs(), "never pooled");
  }

  @Test
  void afterFreezeTheBuilderRefusesUse() {
    BufferMut m = pool.acquire(10);
    m.append((byte) 1);
    try (ZeroCopyBuffer v = m.freeze()) {
      assertTrue(m.isClosed());
      List<Consumer<BufferMut>> uses =
          List.of(
              b -> b.append((byte) 1),
              b -> b.append(new byte[1]),
              b -> b.append(new byte[2], 0, 1),
              b -> b.append(ByteBuffer.allocate(1)),
              b -> b.append(v),
              b -> b.reserve(1),
              BufferMut::freeze,
              b -> b.freeze(BufferKind.raw()),
              BufferMut::length,
              BufferMut::capacity,
              b -> b.unwrap(ByteBuffer.class),
              BufferMut::asReadOnlyByteBuffer,
              b -> {
                try {
                  b.readFrom(Channels.newChannel(new ByteArrayInputStream(new byte[1])));
                } catch (IOException e) {
                  throw new AssertionError(e);
                }
              });
      for (Consumer<BufferMut> use : uses) {
        ClosedBufferException e = assertThrows(ClosedBufferException.class, () -> use.accept(m));
        assertTrue(e.getMessage().contains("frozen"), e.getMessage());
      }
      m.close();
      assertEquals(1, v.get(0), "closing a frozen builder does nothing to the view");
      assertEquals(1, v.sharers());
    }
  }

  @Test
  void closeBeforeFreezeReturnsTheMemory() {
    BufferMut m = pool.acquire(100_000, "t");
    m.append(new byte[1000]);
    assertEquals(PoolClass.LARGE.slabBytes(), pool.snapshot().liveBytes("t"));
    m.close();
    m.close();
    assertTrue(m.isClosed());
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.liveBytes());
    assertEquals(0, s.liveBytes("t"));
    assertEquals(1, s.of(PoolClass.LARGE).retainedSlabs());
    ClosedBufferException e = assertThrows(ClosedBufferException.class, m::freeze);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void readOnlyViewReadsTheBuildersMemoryInPlace() {
    try (BufferMut m = pool.acquire(4096)) {
      m.append(new byte[] {1, 2, 3});
      ByteBuffer early = m.asReadOnlyByteBuffer();
      assertTrue(early.isReadOnly());
      assertEquals(0, early.position());
      assertEquals(3, early.limit());
      assertEquals(3, early.capacity(), "the memory past the appended bytes is out of reach");
      assertEquals(((SlabBufferMut) m).memory.isDirect(), early.isDirect());
      // No copy: a write into the builder's memory (here behind its back, inside the view's
      // limit) shows through the view taken before it.
      ((SlabBufferMut) m).memory.put(1, (byte) 99);
      assertEquals(99, early.get(1));
      // Appends within the capacity land after the early view's limit: its bytes stay as they were.
      m.append(random(1000, 7));
      assertEquals(3, early.limit());
      assertEquals(1, early.get(0));
      assertEquals(3, early.get(2));
      ByteBuffer later = m.asReadOnlyByteBuffer();
      assertEquals(1003, later.limit());
      byte[] seen = new byte[1000];
      later.get(3, seen);
      assertArrayEquals(random(1000, 7), seen);
      assertEquals(0, later.position(), "absolute reads do not move it");
      assertThrows(java.nio.ReadOnlyBufferException.class, () -> later.put(0, (byte) 5));
      assertEquals(1, m.asReadOnlyByteBuffer().get(0), "a refused write changed nothing");
    }
  }

  @Test
  void readOnlyViewOfAnEmptyBuilderIsEmpty() {
    try (BufferMut m = pool.acquire(0)) {
      ByteBuffer b = m.asReadOnlyByteBuffer();
      assertEquals(0, b.remaining());
      assertEquals(0, b.capacity());
    }
  }

  @Test
  void readOnlyViewIsRefusedAfterClose() {
    BufferMut m = pool.acquire(10);
    m.append((byte) 1);
    m.close();
    ClosedBufferException e = assertThrows(ClosedBufferException.class, m::asReadOnlyByteBuffer);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void tenantOfTheBuilder() {
    try (BufferMut m = pool.forTenant("acme").acquire(1)) {
      assertEquals(java.util.Optional.of("acme"), m.tenant());
    }
    try (BufferMut m = pool.acquire(1)) {
      assertEquals(java.util.Optional.empty(), m.tenant());
    }
  }
}
