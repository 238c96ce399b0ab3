package io.axon.buffer.netty;

import io.axon.buffer.ZeroCopyBuffer;
import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.List;

/**
 * A read-only {@link ByteBuf} over the pieces of a {@link ZeroCopyBuffer}, owning one reference of
 * it: the {@code release()} that brings the count to zero closes the view (exactly once, by Netty's
 * own reference counting). See {@link ByteBufViews#toByteBuf} for the contract; this class is the
 * mechanics.
 *
 * <p>Pieces are kept as read-only {@link ByteBuffer}s (position 0, big-endian) read only through
 * absolute methods, so that reads from several threads never move a shared position; every buffer
 * handed out is a new duplicate. An index is mapped to its piece by a binary search over the
 * pieces' start indexes (a plain view has one piece and skips it).
 */
final class ViewByteBuf extends AbstractReferenceCountedByteBuf {

  private static final ResourceLeakDetector<ViewByteBuf> LEAKS =
      ResourceLeakDetectorFactory.instance().newResourceLeakDetector(ViewByteBuf.class);

  private static final ByteBuffer NO_BYTES = ByteBuffer.allocateDirect(0).asReadOnlyBuffer();

  /** The chunk through which bytes go to a stream or a buffer with no exposed memory. */
  private static final int COPY_CHUNK = 8192;

  private final ZeroCopyBuffer view;
  private final ByteBufAllocator alloc;

  /** The non-empty pieces in order (one empty piece for an empty view). */
  private final ByteBuffer[] pieces;

  /** {@code starts[i]}: the index of piece {@code i}'s first byte; {@code starts[n]}: length. */
  private final int[] starts;

  private final boolean direct;
  private final ResourceLeakTracker<ViewByteBuf> leak;

  /** Takes over {@code view}; the caller closes it if this constructor throws. */
  ViewByteBuf(ZeroCopyBuffer view, ByteBufAllocator alloc) {
    super(view.length());
    this.view = view;
    this.alloc = alloc;
    List<ByteBuffer> all = view.asReadOnlyByteBuffers();
    int nonEmpty = 0;
    for (ByteBuffer b : all) {
      if (b.hasRemaining()) {
        nonEmpty++;
      }
    }
    ByteBuffer[] ps = new ByteBuffer[Math.max(1, nonEmpty)];
    int[] st = new int[ps.length + 1];
    boolean allDirect = true;
    int n = 0;
    for (ByteBuffer b : all) {
      if (b.hasRemaining()) {
        ps[n] = b.slice().order(ByteOrder.BIG_ENDIAN);
        allDirect &= b.isDirect();
        st[n + 1] = st[n] + b.remaining();
        n++;
      }
    }
    if (n == 0) {
      ps[0] = all.isEmpty() ? NO_BYTES : all.get(0).slice();
      allDirect = ps[0].isDirect();
    }
    this.pieces = ps;
    this.starts = st;
    this.direct = allDirect;
    writerIndex(view.length());
    this.leak = LEAKS.track(this);
  }

  // ------------------------------------------------------------------ reference counting

  @Override
  protected void deallocate() {
    if (leak != null) {
      leak.close(this);
    }
    view.close();
  }

  @Override
  public ByteBuf retain() {
    record(null);
    return super.retain();
  }

  @Override
  public ByteBuf retain(int increment) {
    record(null);
    return super.retain(increment);
  }

  @Override
  public boolean release() {
    record(null);
    return super.release();
  }

  @Override
  public boolean release(int decrement) {
    record(null);
    return super.release(decrement);
  }

  @Override
  public ByteBuf touch() {
    record(null);
    return this;
  }

  @Override
  public ByteBuf touch(Object hint) {
    record(hint);
    return this;
  }

  /** Records an access for a leak report, as Netty's advanced leak-aware buffers do. */
  private void record(Object hint) {
    if (leak != null && ResourceLeakDetector.getLevel().ordinal() >= advanced()) {
      if (hint == null) {
        leak.record();
      } else {
        leak.record(hint);
      }
    }
  }

  private static int advanced() {
    return ResourceLeakDetector.Level.ADVANCED.ordinal();
  }

  // ------------------------------------------------------------------ shape

  @Override
  public int capacity() {
    return starts[pieces.length];
  }

  @Override
  public ByteBuf capacity(int newCapacity) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public ByteBufAllocator alloc() {
    return alloc;
  }

  @Override
  @Deprecated
  public ByteOrder order() {
    return ByteOrder.BIG_ENDIAN;
  }

  @Override
  public ByteBuf unwrap() {
    return null;
  }

  @Override
  public boolean isDirect() {
    return direct;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public ByteBuf asReadOnly() {
    return this;
  }

  @Override
  public boolean isWritable() {
    return false;
  }

  @Override
  public boolean isWritable(int numBytes) {
    return false;
  }

  @Override
  public ByteBuf ensureWritable(int minWritableBytes) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public int ensureWritable(int minWritableBytes, boolean force) {
    return 1;
  }

  @Override
  public boolean isContiguous() {
    return pieces.length == 1;
  }

  @Override
  public boolean hasArray() {
    return false;
  }

  @Override
  public byte[] array() {
    throw new ReadOnlyBufferException();
  }

  @Override
  public int arrayOffset() {
    throw new ReadOnlyBufferException();
  }

  @Override
  public boolean hasMemoryAddress() {
    return false;
  }

  @Override
  public long memoryAddress() {
    throw new UnsupportedOperationException("a view's memory is reached through nioBuffers()");
  }

  // ------------------------------------------------------------------ NIO buffers

  @Override
  public int nioBufferCount() {
    return pieces.length;
  }

  @Override
  public ByteBuffer[] nioBuffers(int index, int length) {
    checkIndex(index, length);
    if (length == 0) {
      return new ByteBuffer[] {NO_BYTES};
    }
    int first = piece(index);
    int last = piece(index + length - 1);
    ByteBuffer[] out = new ByteBuffer[last - first + 1];
    int end = index + length;
    for (int p = first; p <= last; p++) {
      int from = Math.max(index, starts[p]) - starts[p];
      int to = Math.min(end, starts[p + 1]) - starts[p];
      out[p - first] = pieces[p].duplicate().limit(to).position(from);
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A range inside one piece is shown without a copy; a range across pieces is copied into a new
   * read-only heap buffer (as Netty's {@code CompositeByteBuf} does). Netty's transports never ask
   * for it when {@link #nioBufferCount()} is above 1: they take {@link #nioBuffers(int, int)}.
   */
  @Override
  public ByteBuffer nioBuffer(int index, int length) {
    checkIndex(index, length);
    if (length == 0) {
      return NO_BYTES.duplicate();
    }
    int p = piece(index);
    if (index + length <= starts[p + 1]) {
      int from = index - starts[p];
      return pieces[p].duplicate().limit(from + length).position(from);
    }
    ByteBuffer copy = ByteBuffer.allocate(length);
    for (ByteBuffer b : nioBuffers(index, length)) {
      copy.put(b);
    }
    return copy.flip().asReadOnlyBuffer();
  }

  /**
   * {@inheritDoc}
   *
   * @throws UnsupportedOperationException if the range spans several pieces (use {@link
   *     #nioBuffers(int, int)})
   */
  @Override
  public ByteBuffer internalNioBuffer(int index, int length) {
    checkIndex(index, length);
    if (length == 0) {
      return NO_BYTES.duplicate();
    }
    int p = piece(index);
    if (index + length > starts[p + 1]) {
      throw new UnsupportedOperationException(
          "bytes "
              + index
              + ".."
              + (index + length)
              + " span "
              + (piece(index + length - 1) - p + 1)
              + " pieces of this view: use nioBuffers()");
    }
    int from = index - starts[p];
    return pieces[p].duplicate().limit(from + length).position(from);
  }

  /** The piece holding byte {@code index} ({@code 0 <= index < capacity()}). */
  private int piece(int index) {
    int hi = pieces.length - 1;
    if (hi == 0) {
      return 0;
    }
    int lo = 0;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // ------------------------------------------------------------------ reads

  @Override
  protected byte _getByte(int index) {
    int p = piece(index);
    return pieces[p].get(index - starts[p]);
  }

  @Override
  protected short _getShort(int index) {
    int p = piece(index);
    int off = index - starts[p];
    if (off + 2 <= pieces[p].limit()) {
      return pieces[p].getShort(off);
    }
    return (short) ((_getByte(index) & 0xff) << 8 | _getByte(index + 1) & 0xff);
  }

  @Override
  protected short _getShortLE(int index) {
    return Short.reverseBytes(_getShort(index));
  }

  @Override
  protected int _getUnsignedMedium(int index) {
    return (_getShort(index) & 0xffff) << 8 | _getByte(index + 2) & 0xff;
  }

  @Override
  protected int _getUnsignedMediumLE(int index) {
    return _getByte(index) & 0xff | (_getShortLE(index + 1) & 0xffff) << 8;
  }

  @Override
  protected int _getInt(int index) {
    int p = piece(index);
    int off = index - starts[p];
    if (off + 4 <= pieces[p].limit()) {
      return pieces[p].getInt(off);
    }
    return (_getShort(index) & 0xffff) << 16 | _getShort(index + 2) & 0xffff;
  }

  @Override
  protected int _getIntLE(int index) {
    return Integer.reverseBytes(_getInt(index));
  }

  @Override
  protected long _getLong(int index) {
    int p = piece(index);
    int off = index - starts[p];
    if (off + 8 <= pieces[p].limit()) {
      return pieces[p].getLong(off);
    }
    return (_getInt(index) & 0xffffffffL) << 32 | _getInt(index + 4) & 0xffffffffL;
  }

  @Override
  protected long _getLongLE(int index) {
    return Long.reverseBytes(_getLong(index));
  }

  @Override
  public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
    checkDstIndex(index, length, dstIndex, dst.length);
    int end = index + length;
    int at = index;
    int p = length == 0 ? 0 : piece(index);
    while (at < end) {
      int n = Math.min(end, starts[p + 1]) - at;
      pieces[p].get(at - starts[p], dst, dstIndex + (at - index), n);
      at += n;
      p++;
    }
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, ByteBuffer dst) {
    int length = dst.remaining();
    checkIndex(index, length);
    int end = index + length;
    int at = index;
    int p = length == 0 ? 0 : piece(index);
    while (at < end) {
      int n = Math.min(end, starts[p + 1]) - at;
      dst.put(dst.position(), pieces[p], at - starts[p], n);
      dst.position(dst.position() + n);
      at += n;
      p++;
    }
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
    checkDstIndex(index, length, dstIndex, dst.capacity());
    if (dst.hasArray()) {
      return getBytes(index, dst.array(), dst.arrayOffset() + dstIndex, length);
    }
    if (dst.nioBufferCount() > 0 && !dst.isReadOnly()) {
      for (ByteBuffer b : dst.nioBuffers(dstIndex, length)) {
        int n = b.remaining();
        getBytes(index, b);
        index += n;
      }
      return this;
    }
    byte[] chunk = new byte[Math.min(length, COPY_CHUNK)];
    for (int done = 0; done < length; ) {
      int n = Math.min(chunk.length, length - done);
      getBytes(index + done, chunk, 0, n);
      dst.setBytes(dstIndex + done, chunk, 0, n);
      done += n;
    }
    return this;
  }

  @Override
  public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
    checkIndex(index, length);
    byte[] chunk = new byte[Math.min(length, COPY_CHUNK)];
    for (int done = 0; done < length; ) {
      int n = Math.min(chunk.length, length - done);
      getBytes(index + done, chunk, 0, n);
      out.write(chunk, 0, n);
      done += n;
    }
    return this;
  }

  /** One gathering write of the pieces that hold the range. */
  @Override
  public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
    checkIndex(index, length);
    if (length == 0) {
      return 0;
    }
    return (int) out.write(nioBuffers(index, length));
  }

  @Override
  public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
    checkIndex(index, length);
    int written = 0;
    if (length == 0) {
      return 0;
    }
    for (ByteBuffer b : nioBuffers(index, length)) {
      int want = b.remaining();
      int n = out.write(b, position + written);
      written += n;
      if (n < want) {
        break;
      }
    }
    return written;
  }

  /** {@inheritDoc} A new buffer from {@link #alloc()}, direct if this one is. */
  @Override
  public ByteBuf copy(int index, int length) {
    checkIndex(index, length);
    ByteBuf copy = direct ? alloc.directBuffer(length) : alloc.heapBuffer(length);
    try {
      for (ByteBuffer b : nioBuffers(index, length)) {
        copy.writeBytes(b);
      }
      return copy;
    } catch (RuntimeException | Error e) {
      copy.release();
      throw e;
    }
  }

  @Override
  public int forEachByte(int index, int length, ByteProcessor processor) {
    checkIndex(index, length);
    int end = index + length;
    int at = index;
    int p = length == 0 ? 0 : piece(index);
    try {
      while (at < end) {
        ByteBuffer b = pieces[p];
        int base = starts[p];
        int stop = Math.min(end, starts[p + 1]);
        for (; at < stop; at++) {
          if (!processor.process(b.get(at - base))) {
            return at;
          }
        }
        p++;
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the byte processor failed at index " + at, e);
    }
    return -1;
  }

  @Override
  public int forEachByte(ByteProcessor processor) {
    return forEachByte(readerIndex(), readableBytes(), processor);
  }

  // ------------------------------------------------------------------ writes: refused

  @Override
  protected void _setByte(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setShort(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setShortLE(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setMedium(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setMediumLE(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setInt(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setIntLE(int index, int value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setLong(int index, long value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  protected void _setLongLE(int index, long value) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public ByteBuf setBytes(int index, ByteBuffer src) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public int setBytes(int index, InputStream in, int length) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public int setBytes(int index, ScatteringByteChannel in, int length) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public int setBytes(int index, FileChannel in, long position, int length) {
    throw new ReadOnlyBufferException();
  }

  @Override
  public String toString() {
    return "ViewByteBuf(ridx: "
        + readerIndex()
        + ", widx: "
        + writerIndex()
        + ", pieces: "
        + pieces.length
        + ", refCnt: "
        + refCnt()
        + ", view: "
        + view
        + ")";
  }
}
