package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates a payload of unknown final size into pooled memory with exactly one copy per byte.
 * Internal. {@link #head} reads the payload's first bytes in place (for kind sniffing while the
 * rest is still arriving); {@link #firstSegmentAtLeast} makes sure they lie in the first segment.
 *
 * <p>Instead of letting a {@link BufferMut} grow (which copies what it holds into the next size
 * class), a full builder is frozen and the next bytes go to a new one of the next class: SMALL or
 * MEDIUM first (sized by the first write), then MEDIUM, LARGE, and HUGE segments once the payload
 * passes 8 MiB. {@link #build} returns the single frozen segment, or a composite view over all of
 * them (no copy). Memory is acquired lazily: an empty payload holds none.
 *
 * <p>With a limit (the most bytes the payload may reach, e.g. a multipart part limit), a new
 * segment never asks for more capacity than the payload may still hold: {@code min(next class,
 * limit - length)}, so that a payload that will be refused for its size is not first billed (by
 * capacity) for a slab it can never fill. The caller checks the limit; the builder only sizes by
 * it.
 *
 * <p>Not thread-safe. {@link #close()} releases everything not yet built.
 */
final class PayloadBuilder implements AutoCloseable {

  private static final long HUGE_SEGMENTS_FROM = 8L * 1024 * 1024;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private final BufferAllocator allocator;
  private final long limit;
  private List<ZeroCopyBuffer> frozen = List.of();
  private BufferMut current;
  private PoolClass lastClass;
  private long length;

  /** The least capacity of the first segment (see {@link #firstSegmentAtLeast}). */
  private int firstSegmentAtLeast;

  PayloadBuilder(BufferAllocator allocator) {
    this(allocator, Long.MAX_VALUE);
  }

  /**
   * A builder whose segments are sized for a payload of at most {@code limit} bytes (see the class
   * comment).
   */
  PayloadBuilder(BufferAllocator allocator, long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    this.allocator = allocator;
    this.limit = limit;
  }

  long length() {
    return length;
  }

  /** Appends {@code src[off, off + len)}. May throw the allocator's exceptions. */
  void append(byte[] src, int off, int len) {
    while (len > 0) {
      int room = room(len);
      int n = Math.min(len, room);
      current.append(src, off, n);
      off += n;
      len -= n;
      length += n;
    }
  }

  /**
   * Appends bytes {@code [from, to)} of {@code src}, using {@code scratch} (a duplicate of {@code
   * src} the caller owns) to set the range, so that {@code src} is not moved.
   */
  void append(ByteBuffer scratch, int from, int to) {
    while (from < to) {
      int room = room(to - from);
      int n = Math.min(to - from, room);
      scratch.limit(from + n).position(from);
      current.append(scratch);
      from += n;
      length += n;
    }
  }

  /** Appends the remaining bytes of {@code src}, moving its position to its limit. */
  void append(ByteBuffer src) {
    int to = src.limit();
    append(src, src.position(), to);
    src.limit(to).position(to);
  }

  /**
   * One read from {@code channel} into the current segment (a new one if it is full, sized by
   * {@code wanted}).
   *
   * @return the bytes read, or -1 at end of stream
   */
  int readFrom(ReadableByteChannel channel, int wanted) throws IOException {
    room(wanted);
    int n = current.readFrom(channel);
    if (n > 0) {
      length += n;
    }
    return n;
  }

  /** True if the current segment has no room left (or there is none). */
  boolean isFull() {
    return current == null || current.length() == current.capacity();
  }

  /**
   * Starts with one segment able to hold {@code capacity} bytes, of any class (used when the size
   * is known up front, so that the payload lands in one piece). Only before the first append.
   */
  void presize(int capacity) {
    if (current != null || !frozen.isEmpty()) {
      throw new IllegalStateException("presize after append");
    }
    current = allocator.acquire(capacity);
    lastClass = PoolClass.forCapacity(current.capacity());
  }

  /**
   * Makes the first segment hold at least {@code capacity} bytes whatever the first write's size,
   * so that the payload's first {@code capacity} bytes can be read in one piece by {@link #head}.
   * Costs nothing when {@code capacity} is at most a SMALL slab (4 KiB, what a first segment gets
   * anyway, or less when the limit leaves less, which the caller then passes here); above, the
   * first segment is of the class that holds {@code capacity} whatever the payload's final size.
   * Only before the first append.
   */
  void firstSegmentAtLeast(int capacity) {
    if (current != null || !frozen.isEmpty()) {
      throw new IllegalStateException("firstSegmentAtLeast after append");
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    firstSegmentAtLeast = capacity;
  }

  private int room(int wanted) {
    if (isFull()) {
      boolean first = current == null && frozen.isEmpty();
      nextSegment(first ? Math.max(wanted, firstSegmentAtLeast) : wanted);
    }
    return current.capacity() - current.length();
  }

  private void nextSegment(int wanted) {
    PoolClass next;
    if (lastClass == null) {
      next = PoolClass.forCapacity(Math.min(wanted, PoolClass.LARGE.slabBytes()));
    } else if (length >= HUGE_SEGMENTS_FROM) {
      next = PoolClass.HUGE;
    } else {
      next = lastClass.next();
      if (next.compareTo(PoolClass.LARGE) > 0) {
        next = PoolClass.LARGE;
      }
    }
    BufferMut fresh = allocator.acquire(capacity(next));
    if (current != null) {
      if (frozen.isEmpty()) {
        frozen = new ArrayList<>(4);
      }
      frozen.add(current.freeze());
    }
    current = fresh;
    lastClass = PoolClass.forCapacity(fresh.capacity());
  }

  /**
   * The capacity to ask for: the class's slab, but no more than the payload may still hold under
   * the limit (a write larger than a segment's room continues in the next one; past the limit, a
   * caller that writes anyway gets the smallest class).
   */
  private int capacity(PoolClass next) {
    return (int) Math.min(next.slabBytes(), Math.max(1, limit - length));
  }

  /** The payload as one view tagged {@code kind}; this builder is empty afterwards. */
  ZeroCopyBuffer build(BufferKind kind) {
    if (length == 0) {
      close();
      return Buffers.empty(kind);
    }
    if (frozen.isEmpty()) {
      BufferMut only = current;
      current = null;
      lastClass = null;
      length = 0;
      return only.freeze(kind);
    }
    frozen.add(current.freeze());
    current = null;
    try {
      return Buffers.composite(kind, frozen);
    } finally {
      closeFrozen();
      lastClass = null;
      length = 0;
    }
  }

  /**
   * The payload's first {@code n} bytes, read in place: a read-only buffer (position 0, limit
   * {@code n}) over the first segment's pooled memory, no copy. Valid until the next append, {@link
   * #build} or {@link #close}.
   *
   * @throws IllegalStateException if {@code n} is more than the first segment holds (ask {@link
   *     #firstSegmentAtLeast} for enough room up front)
   */
  ByteBuffer head(int n) {
    if (n < 0 || n > length) {
      throw new IndexOutOfBoundsException(
          "head of " + n + " bytes of a " + length + "-byte payload");
    }
    if (n == 0) {
      return EMPTY;
    }
    ByteBuffer first =
        frozen.isEmpty() ? current.asReadOnlyByteBuffer() : frozen.get(0).asReadOnlyByteBuffer();
    if (n > first.limit()) {
      throw new IllegalStateException(
          "the first " + n + " bytes span segments (the first holds " + first.limit() + ")");
    }
    return first.limit(n);
  }

  private void closeFrozen() {
    if (frozen.isEmpty()) {
      return;
    }
    for (ZeroCopyBuffer b : frozen) {
      b.close();
    }
    frozen.clear();
  }

  /** Releases whatever was not built. Idempotent. */
  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
    closeFrozen();
    lastClass = null;
    length = 0;
  }
}
