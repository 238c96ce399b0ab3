package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ByteProcessor;
import io.netty.util.IllegalReferenceCountException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A view as a Netty {@code ByteBuf}: Netty's contract, no copy, the view closed exactly once. */
class ViewByteBufTest {

  private SlabBufferPool pool;

  @BeforeEach
  void pool() {
    pool = TestPools.newPool();
  }

  @AfterEach
  void noLiveBytes() throws InterruptedException {
    TestPools.awaitNoLiveBytes(pool, "the test");
    pool.close();
  }

  /** A pooled view of {@code bytes}. */
  private ZeroCopyBuffer pooled(byte[] bytes) {
    BufferMut m = pool.forTenant("t").acquire(bytes.length);
    return m.append(bytes).freeze(BufferKind.raw());
  }

  /** A composite view of {@code bytes} cut at {@code cuts}: one pooled piece per range. */
  private ZeroCopyBuffer composite(byte[] bytes, int... cuts) {
    List<ZeroCopyBuffer> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      byte[] piece = new byte[to - from];
      System.arraycopy(bytes, from, piece, 0, piece.length);
      parts.add(pooled(piece));
      from = to;
    }
    ZeroCopyBuffer c = Buffers.composite(BufferKind.raw(), parts);
    parts.forEach(ZeroCopyBuffer::close);
    return c;
  }

  @Test
  void aPlainViewIsOneDirectReadOnlyPieceWithTheViewsBytes() {
    byte[] bytes = MultipartBody.random(10_000, 1);
    ZeroCopyBuffer view = pooled(bytes);
    ByteBuf buf = ByteBufViews.toByteBuf(view);
    try {
      assertEquals(1, buf.nioBufferCount());
      assertTrue(buf.isDirect(), "the pool's memory is direct");
      assertTrue(buf.isReadOnly());
      assertTrue(buf.isContiguous());
      assertFalse(buf.hasArray());
      assertEquals(0, buf.readerIndex());
      assertEquals(bytes.length, buf.writerIndex());
      assertArrayEquals(bytes, ByteBufUtil.getBytes(buf));
      ByteBuffer nio = buf.nioBuffer();
      assertTrue(nio.isReadOnly());
      assertTrue(nio.isDirect(), "the piece itself, not a heap copy");
    } finally {
      buf.release();
    }
    assertTrue(view.isClosed(), "the last release closed the view");
  }

  @Test
  void aCompositeViewHasOneNioBufferPerPieceAndNoCopy() {
    byte[] bytes = MultipartBody.random(20_000, 2);
    ByteBuf buf = ByteBufViews.toByteBuf(composite(bytes, 5_000, 5_001, 12_345));
    try {
      assertEquals(4, buf.nioBufferCount());
      assertFalse(buf.isContiguous());
      ByteBuffer[] pieces = buf.nioBuffers();
      assertEquals(4, pieces.length);
      assertEquals(5_000, pieces[0].remaining());
      assertEquals(1, pieces[1].remaining());
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (ByteBuffer p : pieces) {
        assertTrue(p.isDirect() && p.isReadOnly(), "a piece of pooled memory: " + p);
        byte[] b = new byte[p.remaining()];
        p.get(b);
        joined.writeBytes(b);
      }
      assertArrayEquals(bytes, joined.toByteArray());
      // A range: only the pieces it covers, cut to it.
      ByteBuffer[] some = buf.nioBuffers(4_990, 20);
      assertEquals(3, some.length);
      assertEquals(10 + 1 + 9, some[0].remaining() + some[1].remaining() + some[2].remaining());
    } finally {
      buf.release();
    }
  }

  @Test
  void nioBufferAcrossPiecesIsAReadOnlyHeapCopyAndInsideOnePieceIsThePiece() {
    byte[] bytes = MultipartBody.random(1_000, 3);
    ByteBuf buf = ByteBufViews.toByteBuf(composite(bytes, 500));
    try {
      ByteBuffer across = buf.nioBuffer(490, 20);
      assertFalse(across.isDirect(), "spanning two pieces: a heap copy");
      assertTrue(across.isReadOnly());
      byte[] got = new byte[20];
      across.get(got);
      assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 490, 510), got);
      assertTrue(buf.nioBuffer(500, 100).isDirect(), "inside one piece: the piece");
      assertThrows(UnsupportedOperationException.class, () -> buf.internalNioBuffer(490, 20));
      assertEquals(20, buf.internalNioBuffer(0, 20).remaining());
    } finally {
      buf.release();
    }
  }

  @Test
  void everyReadAgreesWithTheBytesAcrossPieceBoundaries() throws Exception {
    Random random = new Random(4);
    for (int round = 0; round < 200; round++) {
      byte[] bytes = MultipartBody.random(1 + random.nextInt(300), round);
      int pieces = 1 + random.nextInt(Math.min(6, bytes.length));
      int[] cuts =
          random.ints(pieces - 1, 1, Math.max(2, bytes.length)).sorted().distinct().toArray();
      ByteBuf buf = ByteBufViews.toByteBuf(composite(bytes, cuts));
      ByteBuf expected = Unpooled.wrappedBuffer(bytes);
      try {
        for (int i = 0; i < bytes.length; i++) {
          assertEquals(expected.getByte(i), buf.getByte(i), "byte " + i);
          if (i + 2 <= bytes.length) {
            assertEquals(expected.getShort(i), buf.getShort(i), "short " + i);
            assertEquals(expected.getShortLE(i), buf.getShortLE(i), "shortLE " + i);
          }
          if (i + 3 <= bytes.length) {
            assertEquals(expected.getUnsignedMedium(i), buf.getUnsignedMedium(i), "medium " + i);
            assertEquals(expected.getUnsignedMediumLE(i), buf.getUnsignedMediumLE(i));
          }
          if (i + 4 <= bytes.length) {
            assertEquals(expected.getInt(i), buf.getInt(i), "int " + i);
            assertEquals(expected.getIntLE(i), buf.getIntLE(i), "intLE " + i);
          }
          if (i + 8 <= bytes.length) {
            assertEquals(expected.getLong(i), buf.getLong(i), "long " + i);
            assertEquals(expected.getLongLE(i), buf.getLongLE(i), "longLE " + i);
          }
        }
        int from = random.nextInt(bytes.length);
        int len = random.nextInt(bytes.length - from + 1);
        byte[] range = java.util.Arrays.copyOfRange(bytes, from, from + len);
        byte[] got = new byte[len];
        buf.getBytes(from, got);
        assertArrayEquals(range, got, "getBytes(byte[])");
        ByteBuffer direct = ByteBuffer.allocateDirect(len);
        buf.getBytes(from, direct);
        assertEquals(len, direct.position());
        assertEquals(ByteBuffer.wrap(range), direct.flip(), "getBytes(ByteBuffer)");
        ByteBuf dst = UnpooledByteBufAllocator.DEFAULT.directBuffer(len);
        try {
          buf.getBytes(from, dst, 0, len);
          dst.writerIndex(len);
          assertArrayEquals(range, ByteBufUtil.getBytes(dst), "getBytes(direct ByteBuf)");
        } finally {
          dst.release();
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        buf.getBytes(from, stream, len);
        assertArrayEquals(range, stream.toByteArray(), "getBytes(OutputStream)");
        ByteBuf copy = buf.copy(from, len);
        try {
          assertArrayEquals(range, ByteBufUtil.getBytes(copy), "copy()");
        } finally {
          copy.release();
        }
        assertEquals(expected, buf, "equals a heap buffer of the same bytes");
        assertEquals(expected.hashCode(), buf.hashCode());
        byte needle = bytes[bytes.length - 1];
        assertEquals(
            expected.indexOf(0, bytes.length, needle), buf.indexOf(0, bytes.length, needle));
        assertEquals(
            expected.forEachByte(ByteProcessor.FIND_NUL), buf.forEachByte(ByteProcessor.FIND_NUL));
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void aGatheringChannelGetsEveryPieceInOneWrite() throws Exception {
    byte[] bytes = MultipartBody.random(50_000, 5);
    ByteBuf buf = ByteBufViews.toByteBuf(composite(bytes, 10_000, 30_000));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Integer> writes = new ArrayList<>();
      java.nio.channels.GatheringByteChannel channel =
          new java.nio.channels.GatheringByteChannel() {
            final java.nio.channels.WritableByteChannel sink = Channels.newChannel(out);

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length)
                throws java.io.IOException {
              writes.add(length);
              long n = 0;
              for (int i = offset; i < offset + length; i++) {
                n += sink.write(srcs[i]);
              }
              return n;
            }

            @Override
            public long write(ByteBuffer[] srcs) throws java.io.IOException {
              return write(srcs, 0, srcs.length);
            }

            @Override
            public int write(ByteBuffer src) throws java.io.IOException {
              writes.add(1);
              return sink.write(src);
            }

            @Override
            public boolean isOpen() {
              return true;
            }

            @Override
            public void close() {}
          };
      assertEquals(bytes.length, buf.readBytes(channel, bytes.length));
      assertEquals(List.of(3), writes, "one gathering write of the three pieces");
      assertArrayEquals(bytes, out.toByteArray());
    } finally {
      buf.release();
    }
  }

  @Test
  void referenceCountingIsNettysAndTheLastReleaseClosesTheViewOnce() {
    ZeroCopyBuffer view = pooled(MultipartBody.random(4_000, 6));
    ByteBuf buf = ByteBufViews.toByteBuf(view);
    assertEquals(1, buf.refCnt());
    buf.retain(2);
    ByteBuf slice = buf.retainedSlice(10, 100);
    ByteBuf dup = buf.duplicate();
    assertEquals(4, buf.refCnt());
    assertEquals(4, slice.refCnt(), "derived buffers share the count");
    assertFalse(buf.release(2));
    assertFalse(slice.release());
    assertFalse(view.isClosed());
    assertEquals(1, dup.refCnt());
    assertTrue(dup.release(), "the last release, through a duplicate, deallocates");
    assertTrue(view.isClosed());
    assertEquals(0, buf.refCnt());
    assertThrows(IllegalReferenceCountException.class, buf::release);
    assertThrows(IllegalReferenceCountException.class, () -> buf.getByte(0));
    assertThrows(IllegalReferenceCountException.class, buf::nioBuffers);
    assertThrows(IllegalReferenceCountException.class, buf::retain);
  }

  @Test
  void everyWriteIsRefused() {
    ByteBuf buf = ByteBufViews.toByteBuf(pooled(new byte[64]));
    try {
      assertThrows(ReadOnlyBufferException.class, () -> buf.setByte(0, 1));
      assertThrows(ReadOnlyBufferException.class, () -> buf.setInt(0, 1));
      assertThrows(ReadOnlyBufferException.class, () -> buf.setBytes(0, new byte[1]));
      assertThrows(ReadOnlyBufferException.class, () -> buf.setBytes(0, ByteBuffer.allocate(1)));
      assertThrows(
          ReadOnlyBufferException.class,
          () -> buf.duplicate().writerIndex(0).writeByte(1),
          "a derived buffer writes through to this one, which refuses");
      assertThrows(ReadOnlyBufferException.class, () -> buf.capacity(10));
      assertThrows(ReadOnlyBufferException.class, buf::array);
      assertThrows(UnsupportedOperationException.class, buf::memoryAddress);
      assertThrows(ReadOnlyBufferException.class, () -> buf.nioBuffer().put((byte) 1));
      assertFalse(buf.isWritable());
      assertTrue(buf.asReadOnly() == buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void aClosedViewIsRefusedAndAFailedWrapClosesTheView() {
    ZeroCopyBuffer view = pooled(new byte[10]);
    view.close();
    assertThrows(ClosedBufferException.class, () -> ByteBufViews.toByteBuf(view));
  }

  @Test
  void anEmptyViewIsAnEmptyBuffer() {
    ByteBuf buf = ByteBufViews.toByteBuf(Buffers.empty(BufferKind.raw()));
    try {
      assertEquals(0, buf.readableBytes());
      assertEquals(1, buf.nioBufferCount());
      assertEquals(0, buf.nioBuffers()[0].remaining());
      assertEquals(0, buf.nioBuffer().remaining());
    } finally {
      assertTrue(buf.release());
    }
  }

  @Test
  void textDecodesAcrossPieces() {
    byte[] text = "héllo wörld, a view in three pieces".getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = ByteBufViews.toByteBuf(composite(text, 2, 9));
    try {
      assertEquals(new String(text, StandardCharsets.UTF_8), buf.toString(StandardCharsets.UTF_8));
    } finally {
      buf.release();
    }
  }

  @Test
  void copiesAreTheCallersAndNotTheView() {
    ZeroCopyBuffer view = pooled(MultipartBody.random(100, 7));
    ByteBuf buf = ByteBufViews.toByteBuf(view);
    ByteBuf copy = buf.copy();
    assertNotSame(buf, copy);
    assertTrue(buf.release());
    assertTrue(view.isClosed());
    assertEquals(100, copy.readableBytes(), "the copy outlives the view");
    copy.release();
  }
}
