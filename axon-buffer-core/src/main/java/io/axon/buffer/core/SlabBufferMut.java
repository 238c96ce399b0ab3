package io.axon.buffer.core;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.BuilderRanges;
import io.axon.buffer.core.internal.InPlaceWrites;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link BufferMut} of a {@link SlabBufferPool}, and afterwards the storage of the views it
 * froze into: one object per lease, so that freezing allocates only the first view. The lifetime
 * rules are those of {@link BufferMut} and {@link ZeroCopyBuffer}.
 *
 * <p>While building, the bytes live in {@link #memory} at {@code [0, length)}; growth moves them
 * once to a slab of the class that holds the new length. {@link #freeze} hands the same memory to
 * the first view.
 */
final class SlabBufferMut extends Storage implements BufferMut {

  /** Building; no range shared yet. */
  private static final int BUILDING = 0;

  /**
   * Building, and ranges of the bytes shared as views ({@link #shareRange}): the storage counts the
   * builder as one reference, and the memory never moves.
   */
  private static final int SHARING = 1;

  private static final int FROZEN = 2;
  private static final int ABORTED = 3;

  private static final VarHandle PINNED;

  static {
    try {
      PINNED = MethodHandles.lookup().findVarHandle(SlabBufferMut.class, "pinned", PinnedRef.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    InPlaceWrites.install(
        new InPlaceWrites.Access() {
          @Override
          public int reserve(BufferMut builder, int bytes) {
            return builder instanceof SlabBufferMut
                ? ((SlabBufferMut) builder).reserveTail(bytes)
                : -1;
          }

          @Override
          public ByteBuffer memory(BufferMut builder) {
            SlabBufferMut m = (SlabBufferMut) builder;
            m.checkBuilding();
            return m.memory;
          }

          @Override
          public void commit(BufferMut builder, int bytes) {
            ((SlabBufferMut) builder).commitTail(bytes);
          }

          @Override
          public boolean copy(ZeroCopyBuffer src, ByteBuffer dst, int index) {
            if (!(src instanceof View)) {
              return false;
            }
            ((View) src).copyTo(dst, index);
            return true;
          }
        });
    BuilderRanges.install(
        new BuilderRanges.Access() {
          @Override
          public boolean canShare(BufferMut builder) {
            return builder instanceof SlabBufferMut;
          }

          @Override
          public ZeroCopyBuffer share(BufferMut builder, int from, int to, BufferKind kind) {
            return builder instanceof SlabBufferMut
                ? ((SlabBufferMut) builder).shareRange(from, to, kind)
                : null;
          }
        });
  }

  final SlabBufferPool pool;
  final Tenant tenant;

  /** The slab leased now; its stripe (release shortcut when released on the same thread). */
  Slab slab;

  Stripe stripe;

  /** The Cleaner registration, or null when this storage is not registered (sampled out). */
  Leak leak;

  private int state;

  /**
   * True while a builder that shared ranges is open: its reference is then one of the storage's,
   * but not a view ({@link #views}). Written by the builder's thread, read by any.
   */
  private volatile boolean holding;

  @SuppressWarnings("unused") // through PINNED
  private volatile PinnedRef pinned;

  SlabBufferMut(SlabBufferPool pool, Tenant tenant) {
    this.pool = pool;
    this.tenant = tenant;
  }

  /** Installs a freshly leased slab (acquisition or growth). */
  void attach(Slab slab, Stripe stripe) {
    this.slab = slab;
    this.stripe = stripe;
    setMemory(slab.memory, slab.capacity);
  }

  // ------------------------------------------------------------------ BufferMut

  @Override
  public int length() {
    checkBuilding();
    return length;
  }

  @Override
  public int capacity() {
    checkBuilding();
    return capacity;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return Unwrapping.unwrap(type, this);
  }

  @Override
  public boolean canUnwrap(Class<?> type) {
    return Unwrapping.canUnwrap(type, 1);
  }

  @Override
  public Optional<String> tenant() {
    return tenant == null ? Optional.empty() : tenant.optionalName;
  }

  @Override
  ZeroCopyBuffer pooledCopy(ZeroCopyBuffer src, boolean billed) {
    return pool.isClosed() ? null : pool.compactCopy(src, billed ? tenant : null);
  }

  @Override
  public BufferMut append(byte b) {
    ensureRoom(1);
    memory.put(length, b);
    length++;
    return this;
  }

  @Override
  public BufferMut append(byte[] src) {
    return append(src, 0, src.length);
  }

  @Override
  public BufferMut append(byte[] src, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, src.length);
    ensureRoom(length);
    memory.put(this.length, src, offset, length);
    this.length += length;
    return this;
  }

  @Override
  public BufferMut append(ByteBuffer src) {
    int n = src.remaining();
    ensureRoom(n);
    memory.put(length, src, src.position(), n);
    src.position(src.limit());
    length += n;
    return this;
  }

  @Override
  public BufferMut append(ZeroCopyBuffer src) {
    Objects.requireNonNull(src, "src");
    int n = src.length();
    ensureRoom(n);
    if (src instanceof View) {
      ((View) src).copyTo(memory, length);
    } else {
      int at = length;
      for (ByteBuffer piece : src.asReadOnlyByteBuffers()) {
        int k = piece.remaining();
        memory.put(at, piece, piece.position(), k);
        at += k;
      }
      if (at != length + n) {
        throw new IllegalStateException(
            "source changed length while appended: expected " + n + " bytes, got " + (at - length));
      }
    }
    length += n;
    return this;
  }

  @Override
  public BufferMut reserve(int additional) {
    if (additional < 0) {
      throw new IllegalArgumentException("additional must be >= 0, was " + additional);
    }
    ensureRoom(additional);
    return this;
  }

  @Override
  public int readFrom(ReadableByteChannel channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    checkBuilding();
    if (length == capacity) {
      grow(length + 1L);
    }
    ByteBuffer target = memory;
    target.limit(capacity).position(length);
    int n = channel.read(target);
    if (n > 0) {
      length += n;
    }
    return n;
  }

  @Override
  public ByteBuffer asReadOnlyByteBuffer() {
    checkBuilding();
    // Capacity = length: the memory past the appended bytes (a previous owner's) stays hidden.
    return memory.asReadOnlyBuffer().slice(0, length);
  }

  /**
   * The next {@code bytes} bytes of memory, after what was appended, as a buffer whose index 0 is
   * the first to write (the builder grows first if needed); appended by {@link #commitTail}.
   */
  ByteBuffer writableTail(int bytes) {
    int at = reserveTail(bytes);
    return memory.duplicate().position(at).limit(at + bytes).slice();
  }

  /** See {@link io.axon.buffer.core.internal.InPlaceWrites#reserve}. */
  int reserveTail(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    ensureRoom(bytes);
    return length;
  }

  /** See {@link io.axon.buffer.core.internal.InPlaceWrites#commit}. */
  void commitTail(int bytes) {
    checkBuilding();
    if (bytes < 0 || bytes > capacity - length) {
      throw new IndexOutOfBoundsException(
          "commit of "
              + bytes
              + " bytes, but only "
              + (capacity - length)
              + " are writable after "
              + length);
    }
    length += bytes;
  }

  /**
   * A view of the appended bytes {@code [from, to)}, frozen while this builder goes on building
   * after them: the storage's reference count then holds the builder too, so the memory returns to
   * the pool when the builder has ended ({@link #close} or {@link #freeze}) and every such view is
   * closed. From the first share on, the builder never grows (growth would move the bytes the views
   * read): an append past the capacity is refused. Appends write only after {@code length}, so the
   * views' bytes never change. See {@link io.axon.buffer.core.internal.BuilderRanges}.
   *
   * @throws IndexOutOfBoundsException if the range is not within the appended bytes
   */
  ZeroCopyBuffer shareRange(int from, int to, BufferKind kind) {
    Objects.requireNonNull(kind, "kind");
    checkBuilding();
    Objects.checkFromToIndex(from, to, length);
    if (state == BUILDING) {
      state = SHARING;
      holding = true;
      initBuilderReference();
    }
    contentUnits = computeUnits(length);
    long units = computeUnits(to - from);
    retain(units, null);
    return new View(this, memory, from, to - from, kind, units);
  }

  @Override
  public ZeroCopyBuffer freeze() {
    return freeze(BufferKind.raw());
  }

  @Override
  public ZeroCopyBuffer freeze(BufferKind kind) {
    Objects.requireNonNull(kind, "kind");
    if (state != BUILDING) {
      checkBuilding();
      ZeroCopyBuffer whole = shareRange(0, length, kind);
      endShared(FROZEN);
      return whole;
    }
    state = FROZEN;
    long units = initFirstReference();
    return View.first(this, memory, length, kind, units);
  }

  @Override
  public boolean isClosed() {
    return state > SHARING;
  }

  @Override
  public void close() {
    try {
      if (state == BUILDING) {
        state = ABORTED;
        pool.releaseStorage(this);
      } else if (state == SHARING) {
        endShared(ABORTED);
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Ends a builder that shared ranges: drops its reference (the last one releases the memory). */
  private void endShared(int newState) {
    state = newState;
    holding = false;
    release(0);
  }

  @Override
  int views() {
    int refs = refs();
    return holding ? refs - 1 : refs;
  }

  // ------------------------------------------------------------------ growth

  private void ensureRoom(int n) {
    checkBuilding();
    if (capacity - length < n) {
      grow((long) length + n);
    }
  }

  private void grow(long required) {
    if (state == SHARING) {
      throw new IllegalStateException(
          "a builder whose bytes are shared as views cannot grow: "
              + length
              + " bytes appended, capacity "
              + capacity
              + ", "
              + (required - length)
              + " more requested");
    }
    if (required > SlabBufferPool.MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "a buffer holds at most "
              + SlabBufferPool.MAX_CAPACITY
              + " bytes; "
              + length
              + " appended and "
              + (required - length)
              + " more requested");
    }
    pool.grow(this, (int) required);
  }

  private void checkBuilding() {
    if (state > SHARING) {
      throw new ClosedBufferException(
          "builder is " + (state == FROZEN ? "frozen" : "closed") + " (" + length + " bytes)");
    }
  }

  // ------------------------------------------------------------------ storage

  @Override
  void deallocate() {
    try {
      PinnedRef p = pinned;
      if (p != null) {
        pool.unpin(p);
      }
      pool.releaseStorage(this);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  boolean tracksPinning() {
    return true;
  }

  @Override
  void onPinned() {
    if (pinned == null) {
      PinnedRef p = new PinnedRef(this);
      if (PINNED.compareAndSet(this, null, p)) {
        pool.pin(p);
        if (isReleased()) {
          pool.unpin(p);
        }
      }
    }
  }

  @Override
  String describe() {
    return capacity + "-byte pooled storage (" + slab.poolClass + ")";
  }

  @Override
  public String toString() {
    return "BufferMut[length="
        + length
        + ", capacity="
        + capacity
        + (tenant == null ? "" : ", tenant=" + tenant.name)
        + (state <= SHARING ? "" : state == FROZEN ? ", frozen" : ", closed")
        + "]";
  }
}
