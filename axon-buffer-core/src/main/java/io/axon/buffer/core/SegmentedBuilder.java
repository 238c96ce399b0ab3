package io.axon.buffer.core;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds one {@link ZeroCopyBuffer} of unknown final size in pieces of pooled memory, with exactly
 * one copy per byte: for payloads that arrive in chunks (a multipart part, a WebSocket message, a
 * stream read to its end, the output of native code).
 *
 * <pre>{@code
 * try (SegmentedBuilder body = new SegmentedBuilder(pool.forTenant("acme"), maxBytes)) {
 *   while (body.readFrom(channel) >= 0) {
 *     if (body.length() > maxBytes) throw ...;   // the caller enforces its limit
 *   }
 *   return body.freeze(BufferKind.of("jpeg"));   // one view: a composite when several pieces
 * }
 * }</pre>
 *
 * <h2>Pieces</h2>
 *
 * A {@link BufferMut} grows by moving its bytes to a larger slab (a copy); this builder never moves
 * a byte: when a piece is full, it is frozen and the next bytes go to a new piece. Memory is
 * acquired lazily (an empty builder holds none), one piece at a time, sized as follows:
 *
 * <ul>
 *   <li>each piece: the largest {@link PoolClass} (up to {@link PoolClass#HUGE}) no larger than the
 *       payload will be once the write at hand is done ({@link #length()} plus the bytes being
 *       written; plus 1 for {@link #readFrom}), {@link PoolClass#SMALL} at least. So a payload that
 *       grows in small writes takes 4 KiB pieces up to 64 KiB, 64 KiB pieces up to 1 MiB, 1 MiB
 *       pieces up to 10 MiB, then 10 MiB pieces; one large write takes large pieces at once;
 *   <li>with a limit (the most bytes the payload may reach): never a piece larger than what the
 *       payload may still hold, rounded <em>down</em> to a class ({@code SMALL} at least), so that
 *       a payload that will be refused for its size is not first billed for memory it can never
 *       fill.
 * </ul>
 *
 * Cost, for a payload that follows these rules: every piece but the last is full, and no piece is
 * larger than the payload, so the capacity billed is at most {@code max(2 × length(), 4 KiB)}
 * whatever the sizes of the writes (a sender cannot make a few bytes hold a piece of the next
 * class: 4 KiB and one byte hold 8 KiB, not 68 KiB), and under a limit at most {@code max(length()
 * + 4 KiB, limit)}: a payload that fills its limit wastes less than one small piece (a
 * 1,000,000-byte message under a 1 MiB limit fits a 1 MiB hard limit). Two requests may pass the
 * rule, each on purpose: {@link #firstPieceAtLeast} (a head read in one piece) and {@link
 * #writableTail} (room asked for). Reads of the frozen view cost a part lookup when there are
 * several pieces (see {@link Buffers#composite}); a payload grown from small writes to 1 MiB has 31
 * pieces, to 64 MiB 46.
 *
 * <p>The limit only sizes pieces: the builder does not refuse bytes past it (the caller checks,
 * since it knows which error to raise); pieces past the limit are {@code SMALL}.
 *
 * <h2>Lifetime</h2>
 *
 * Like {@link BufferMut}: {@link #freeze} ends the builder and hands every piece to the returned
 * view; {@link #close()} before that releases every piece (the abort path of a failed parse), and
 * does nothing after it. Any use after either throws {@link ClosedBufferException}. If acquiring a
 * piece throws ({@link io.axon.buffer.TenantLimitExceededException}, {@link
 * io.axon.buffer.BufferAllocationException}), the bytes that fit before stay appended ({@link
 * #length()} counts them) and the builder stays usable.
 *
 * <p>Not thread-safe: one thread builds, then hands the frozen view to others.
 */
public final class SegmentedBuilder implements AutoCloseable {

  private static final int SCRATCH_TAIL_BYTES = 8192;
  private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();

  private final BufferAllocator allocator;
  private final long limit;
  private int firstPieceAtLeast;

  /**
   * The full pieces, frozen, in order; null until a second piece is begun (most payloads fit one
   * piece, and then no list is made).
   */
  private List<ZeroCopyBuffer> frozen;

  /** The piece being filled, or null before the first write and after the end. */
  private BufferMut current;

  private long length;
  private boolean ended;

  /** The room of the last {@link #writableTail} not yet committed, or -1. */
  private int tailBytes = -1;

  /** The tail handed out for a builder that is not the core's (committed by a copy), or null. */
  private ByteBuffer scratchTail;

  /**
   * A builder with no limit on the payload's size, taking its pieces from {@code allocator} (whose
   * tenant pays for them).
   *
   * @param allocator where the pieces come from
   */
  public SegmentedBuilder(BufferAllocator allocator) {
    this(allocator, Long.MAX_VALUE);
  }

  /**
   * A builder whose pieces are sized for a payload of at most {@code limit} bytes (see the class
   * comment), taken from {@code allocator}.
   *
   * @param allocator where the pieces come from
   * @param limit the most bytes the payload may reach (sizes pieces; not enforced)
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public SegmentedBuilder(BufferAllocator allocator, long limit) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    this.limit = limit;
  }

  /**
   * Makes the first piece hold at least {@code bytes} bytes whatever the first write's size, so
   * that the payload's first {@code bytes} bytes can be read in one piece by {@link #head}, or so
   * that a payload of known size lands in one piece (pass its size). Free up to 4 KiB (what a first
   * piece holds anyway); above, the first piece is of the class that holds {@code bytes} (or
   * exactly {@code bytes} past {@link PoolClass#HUGE}), whatever the limit. Only before the first
   * write.
   *
   * @param bytes the least capacity of the first piece
   * @return this builder
   * @throws IllegalArgumentException if {@code bytes} is negative
   * @throws IllegalStateException if bytes were already written
   */
  public SegmentedBuilder firstPieceAtLeast(int bytes) {
    checkBuilding();
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    if (current != null || frozen != null) {
      throw new IllegalStateException("firstPieceAtLeast after the first write");
    }
    firstPieceAtLeast = bytes;
    return this;
  }

  /**
   * The bytes written so far.
   *
   * @return the payload's length
   */
  public long length() {
    return length;
  }

  /**
   * The tenant the pieces are billed to: the allocator's.
   *
   * @return the tenant, if any
   */
  public Optional<String> tenant() {
    return allocator.tenant();
  }

  /**
   * Appends all of {@code src}.
   *
   * @param src the bytes
   * @return this builder
   */
  public SegmentedBuilder append(byte[] src) {
    return append(src, 0, src.length);
  }

  /**
   * Appends {@code len} bytes of {@code src} from {@code off}, into as many pieces as they need.
   *
   * @param src the bytes
   * @param off where they start in {@code src}
   * @param len how many
   * @return this builder
   * @throws IndexOutOfBoundsException if the range is outside {@code src}
   */
  public SegmentedBuilder append(byte[] src, int off, int len) {
    Objects.checkFromIndexSize(off, len, src.length);
    checkWrite(len);
    while (len > 0) {
      int n = Math.min(len, room(len, 1));
      current.append(src, off, n);
      off += n;
      len -= n;
      length += n;
    }
    return this;
  }

  /**
   * Appends the remaining bytes of {@code src}, moving its position to its limit (as far as they
   * were appended, if acquiring a piece throws).
   *
   * @param src the bytes
   * @return this builder
   */
  public SegmentedBuilder append(ByteBuffer src) {
    checkWrite(src.remaining());
    int end = src.limit();
    try {
      while (src.hasRemaining()) {
        int n = Math.min(src.remaining(), room(src.remaining(), 1));
        src.limit(src.position() + n);
        current.append(src);
        length += n;
        src.limit(end);
      }
    } finally {
      src.limit(end);
    }
    return this;
  }

  /**
   * One read from {@code channel} straight into the current piece (a new piece if it is full): the
   * one unavoidable copy, kernel to user. As with {@link BufferMut#readFrom}, the channel is handed
   * pooled memory that may still hold a previous owner's bytes: pass channels that only write into
   * the buffer they are given (the JDK's socket, file and pipe channels do).
   *
   * @param channel the channel to read
   * @return the bytes read, possibly 0, or -1 at end of stream
   * @throws IOException if the channel fails (the bytes appended so far stay)
   */
  public int readFrom(ReadableByteChannel channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    checkWrite(1);
    room(1, 1);
    int n = current.readFrom(channel);
    if (n > 0) {
      length += n;
    }
    return n;
  }

  /**
   * The memory after the bytes written, for code that writes in place (native code through a {@code
   * MemorySegment} of it, a decoder, a {@code read} into a {@code ByteBuffer}): a writable {@link
   * ByteBuffer} with position 0 and limit all the room of the current piece, at least {@code
   * minBytes} (a new piece is started, sized to hold them, when the current one has less). Write
   * into it, then {@link #commit} the bytes written; nothing counts as written until then.
   *
   * <ul>
   *   <li>Valid until the next call on this builder: {@code commit} or any other. Never keep it:
   *       once its piece is frozen and its views closed, the memory belongs to its next owner.
   *   <li>Pooled memory is not cleared between owners: the tail may hold a previous owner's bytes.
   *       Write before you read.
   *   <li>No copy when the allocator is a {@link SlabBufferPool}'s; for other allocators the tail
   *       is a scratch buffer (at most 8 KiB more than asked) that {@code commit} appends, one
   *       copy.
   * </ul>
   *
   * @param minBytes the least room wanted, at least 1
   * @return the writable tail
   * @throws IllegalArgumentException if {@code minBytes} is less than 1
   */
  public ByteBuffer writableTail(int minBytes) {
    if (minBytes < 1) {
      throw new IllegalArgumentException("minBytes must be >= 1, was " + minBytes);
    }
    checkWrite(minBytes);
    int room = room(minBytes, minBytes);
    ByteBuffer tail;
    if (current instanceof SlabBufferMut) {
      tail = ((SlabBufferMut) current).writableTail(room);
    } else {
      tail = ByteBuffer.allocate(Math.min(room, Math.max(minBytes, SCRATCH_TAIL_BYTES)));
      scratchTail = tail;
    }
    tailBytes = tail.capacity();
    return tail;
  }

  /**
   * {@link #writableTail(int)} seen as {@code type}: {@code ByteBuffer.class} on every JDK; on JDK
   * 22 and later also {@code java.lang.foreign.MemorySegment.class}, a writable segment over the
   * same memory that native code fills in place (pass it to a downcall, then {@link #commit} what
   * the native code wrote): the bytes land once, written by the native code itself. The segment is
   * native for a direct pool (the default) and heap for a heap pool or a scratch tail; native code
   * takes a heap segment only through a downcall linked with {@code Linker.Option.critical(true)}.
   * Its rules are the {@code ByteBuffer}'s: valid until the next call on this builder, may hold a
   * previous owner's bytes. The type is checked before any memory is acquired.
   *
   * <pre>{@code
   * MemorySegment tail = builder.writableTail(64 * 1024, MemorySegment.class);
   * long written = (long) nativeDecode.invokeExact(input, tail, tail.byteSize());
   * builder.commit((int) written);
   * }</pre>
   *
   * @param minBytes the least room wanted, at least 1
   * @param type the type wanted
   * @param <T> the type wanted
   * @return the writable tail as {@code type}
   * @throws UnsupportedOperationException if the tail is not offered as {@code type} on this JDK;
   *     the message says why (a {@code java.lang.foreign} type names the JDK it needs)
   * @throws IllegalArgumentException if {@code minBytes} is less than 1
   * @throws NullPointerException if {@code type} is null
   */
  public <T> T writableTail(int minBytes, Class<T> type) {
    return Unwrapping.writableTail(type, () -> writableTail(minBytes));
  }

  /**
   * Counts the first {@code bytes} bytes of the last {@link #writableTail} as written.
   *
   * @param bytes how many were written, from the tail's index 0
   * @return this builder
   * @throws IllegalStateException if no tail is outstanding (none was taken, or another call came
   *     between)
   * @throws IndexOutOfBoundsException if {@code bytes} is negative or more than the tail held
   */
  public SegmentedBuilder commit(int bytes) {
    checkBuilding();
    int room = tailBytes;
    if (room < 0) {
      throw new IllegalStateException("commit without a writableTail just before it");
    }
    if (bytes < 0 || bytes > room) {
      throw new IndexOutOfBoundsException(
          "commit of " + bytes + " bytes, but the tail held " + room);
    }
    tailBytes = -1;
    if (scratchTail != null) {
      ByteBuffer written = scratchTail.limit(bytes);
      scratchTail = null;
      current.append(written);
    } else {
      ((SlabBufferMut) current).commitTail(bytes);
    }
    length += bytes;
    return this;
  }

  /**
   * The payload's first {@code n} bytes, read in place: a read-only buffer (position 0, limit
   * {@code n}) over the first piece's pooled memory, no copy. For detecting a payload's kind while
   * the rest is still arriving. Valid until the next write, {@link #freeze} or {@link #close}.
   *
   * @param n how many bytes, at most {@link #length()}
   * @return the head
   * @throws IndexOutOfBoundsException if {@code n} is negative or more than {@link #length()}
   * @throws IllegalStateException if the first {@code n} bytes span pieces (ask {@link
   *     #firstPieceAtLeast} for enough room up front)
   */
  public ByteBuffer head(int n) {
    checkBuilding();
    if (n < 0 || n > length) {
      throw new IndexOutOfBoundsException(
          "head of " + n + " bytes of a " + length + "-byte payload");
    }
    if (n == 0) {
      return NO_BYTES.duplicate();
    }
    ByteBuffer first =
        frozen == null ? current.asReadOnlyByteBuffer() : frozen.get(0).asReadOnlyByteBuffer();
    if (n > first.limit()) {
      throw new IllegalStateException(
          "the first " + n + " bytes span pieces (the first holds " + first.limit() + ")");
    }
    return first.limit(n);
  }

  /**
   * Ends the builder: the payload as one {@code raw} view.
   *
   * @return the view
   * @see #freeze(BufferKind)
   */
  public ZeroCopyBuffer freeze() {
    return freeze(BufferKind.raw());
  }

  /**
   * Ends the builder: the payload as one view tagged {@code kind}, without copying: the one piece's
   * view, or a composite view over the pieces ({@link Buffers#composite}); an empty view when
   * nothing was written. The builder is unusable afterwards.
   *
   * @param kind the view's kind
   * @return the view, owning every piece
   * @throws ClosedBufferException if the builder is frozen or closed
   */
  public ZeroCopyBuffer freeze(BufferKind kind) {
    Objects.requireNonNull(kind, "kind");
    checkBuilding();
    ended = true;
    tailBytes = -1;
    BufferMut last = current;
    current = null;
    boolean lastHasBytes = last != null && last.length() > 0;
    if (last != null && !lastHasBytes) {
      last.close();
    }
    if (frozen == null) {
      return lastHasBytes ? tagged(last.freeze(), kind) : Buffers.empty(kind);
    }
    if (lastHasBytes) {
      frozen.add(last.freeze());
    }
    if (frozen.size() == 1) {
      return tagged(frozen.remove(0), kind);
    }
    ZeroCopyBuffer view = Buffers.compositeOwning(kind, frozen.toArray(new ZeroCopyBuffer[0]));
    frozen.clear();
    return view;
  }

  /**
   * {@code piece}, or its retagged view (closing {@code piece}) when its kind is not {@code kind}.
   */
  private static ZeroCopyBuffer tagged(ZeroCopyBuffer piece, BufferKind kind) {
    if (piece.kind().equals(kind)) {
      return piece;
    }
    try (piece) {
      return piece.retag(kind);
    }
  }

  /**
   * True once frozen or closed.
   *
   * @return whether the builder has ended
   */
  public boolean isClosed() {
    return ended;
  }

  /** Releases every piece unless frozen. Idempotent. Never throws. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    tailBytes = -1;
    if (current != null) {
      current.close();
      current = null;
    }
    if (frozen != null) {
      for (ZeroCopyBuffer piece : frozen) {
        piece.close();
      }
      frozen.clear();
    }
  }

  // ------------------------------------------------------------------ pieces

  /**
   * The room of the current piece, after starting a new one if it has less than {@code need} bytes;
   * {@code wanted} sizes a first piece.
   */
  private int room(int wanted, int need) {
    int room = current == null ? 0 : current.capacity() - current.length();
    if (room >= need) {
      return room;
    }
    BufferMut fresh = allocator.acquire(nextCapacity(wanted, need));
    if (current != null) {
      if (current.length() > 0) {
        if (frozen == null) {
          frozen = new ArrayList<>(4);
        }
        frozen.add(current.freeze());
      } else {
        current.close();
      }
    }
    current = fresh;
    return fresh.capacity() - fresh.length();
  }

  /** The capacity of the next piece (see the class comment). */
  private int nextCapacity(int wanted, int need) {
    boolean first = current == null && frozen == null;
    // No larger than the payload once this write is done, nor than the room under the limit.
    long left = Math.max(0, limit - length);
    PoolClass cls = PoolClass.largestAtMost(Math.min(length + wanted, left));
    int floor = Math.max(need, first ? firstPieceAtLeast : 0);
    return Math.max(cls.slabBytes(), floor);
  }

  private void checkWrite(int bytes) {
    checkBuilding();
    tailBytes = -1;
    scratchTail = null;
    if (length + bytes > SlabBufferPool.MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "a view holds at most "
              + SlabBufferPool.MAX_CAPACITY
              + " bytes; "
              + length
              + " written and "
              + bytes
              + " more requested");
    }
  }

  private void checkBuilding() {
    if (ended) {
      throw new ClosedBufferException(
          "segmented builder is frozen or closed (" + length + " bytes)");
    }
  }

  @Override
  public String toString() {
    return "SegmentedBuilder[length="
        + length
        + ", pieces="
        + ((frozen == null ? 0 : frozen.size()) + (current == null ? 0 : 1))
        + tenant().map(t -> ", tenant=" + t).orElse("")
        + (ended ? ", ended" : "")
        + "]";
  }
}
