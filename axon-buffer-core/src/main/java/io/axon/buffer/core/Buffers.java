package io.axon.buffer.core;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Views over memory that no pool owns, and composite views.
 *
 * <ul>
 *   <li>{@code wrap(...)}: a view over an existing array or {@link ByteBuffer}, <b>without
 *       copying</b>. The view sees later writes to that memory; don't change it while views are
 *       alive (the view promises immutable bytes only as far as its owner keeps that promise).
 *   <li>{@code copyOf(...)}: a view over a private heap copy.
 *   <li>{@link #composite}: several views read as one.
 *   <li>{@link #adopt}: a view over foreign memory whose owner is told, once, when the last view
 *       closes.
 *   <li>{@link #empty}: a view of no bytes.
 * </ul>
 *
 * Views made here follow the lifetime rules of {@link ZeroCopyBuffer} (close each one, derived
 * views hold their own reference) but hold no pooled memory: closing the last one frees nothing,
 * the garbage collector does, and no tenant is billed ({@link ZeroCopyBuffer#tenant()} is empty; a
 * composite carries the tenant its parts share). Kinds default to {@code raw}.
 */
public final class Buffers {

  private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

  private Buffers() {}

  /** A {@code raw} view of all of {@code bytes}, without copying. */
  public static ZeroCopyBuffer wrap(byte[] bytes) {
    return wrap(BufferKind.raw(), bytes);
  }

  /** A view of kind {@code kind} of all of {@code bytes}, without copying. */
  public static ZeroCopyBuffer wrap(BufferKind kind, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return view(kind, ByteBuffer.wrap(bytes));
  }

  /**
   * A {@code raw} view of {@code length} bytes of {@code bytes} from {@code offset}, without
   * copying.
   *
   * @throws IndexOutOfBoundsException if the range is outside the array
   */
  public static ZeroCopyBuffer wrap(byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return view(BufferKind.raw(), ByteBuffer.wrap(bytes, offset, length).slice());
  }

  /**
   * A {@code raw} view of the remaining bytes of {@code buffer} (position to limit), without
   * copying and without moving its position. Direct or heap, read-only or not.
   */
  public static ZeroCopyBuffer wrap(ByteBuffer buffer) {
    return wrap(BufferKind.raw(), buffer);
  }

  /** As {@link #wrap(ByteBuffer)}, tagged {@code kind}. */
  public static ZeroCopyBuffer wrap(BufferKind kind, ByteBuffer buffer) {
    Objects.requireNonNull(buffer, "buffer");
    return view(kind, buffer.slice());
  }

  /** A {@code raw} view of a copy of {@code bytes}. */
  public static ZeroCopyBuffer copyOf(byte[] bytes) {
    return copyOf(BufferKind.raw(), bytes);
  }

  /** A view of kind {@code kind} of a copy of {@code bytes}. */
  public static ZeroCopyBuffer copyOf(BufferKind kind, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return view(kind, ByteBuffer.wrap(bytes.clone()));
  }

  /**
   * A {@code raw} view of a heap copy of the remaining bytes of {@code buffer}; its position does
   * not move.
   */
  public static ZeroCopyBuffer copyOf(ByteBuffer buffer) {
    Objects.requireNonNull(buffer, "buffer");
    int n = buffer.remaining();
    ByteBuffer copy = ByteBuffer.allocate(n);
    copy.put(0, buffer, buffer.position(), n);
    return view(BufferKind.raw(), copy);
  }

  /**
   * One view of kind {@code kind} over {@code parts}, in order, without copying. It takes its own
   * reference to every part ({@link ZeroCopyBuffer#share()}), so the caller may close its parts
   * right away; the parts' memory is released when the composite (and every view derived from it)
   * is closed. Empty parts are skipped; a single non-empty part gives a plain view of it. Its
   * tenant is the one the parts share, none when they differ, and every view derived from it
   * reports the same.
   *
   * @throws IllegalArgumentException if the total length exceeds {@link Integer#MAX_VALUE}
   * @throws io.axon.buffer.ClosedBufferException if a part is closed (no reference is kept)
   */
  public static ZeroCopyBuffer composite(BufferKind kind, List<? extends ZeroCopyBuffer> parts) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(parts, "parts");
    long total = 0;
    int nonEmpty = 0;
    for (int i = 0; i < parts.size(); i++) {
      ZeroCopyBuffer p = Objects.requireNonNull(parts.get(i), () -> "parts contains null");
      total += p.length();
      if (p.length() > 0) {
        nonEmpty++;
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a composite holds at most "
              + Integer.MAX_VALUE
              + " bytes; its parts add up to "
              + total);
    }
    if (nonEmpty == 0) {
      for (ZeroCopyBuffer p : parts) {
        if (p.isClosed()) {
          p.share(); // throws ClosedBufferException naming the part
        }
      }
      return empty(kind);
    }
    ZeroCopyBuffer[] owned = new ZeroCopyBuffer[nonEmpty];
    int n = 0;
    try {
      for (ZeroCopyBuffer p : parts) {
        if (p.length() == 0) {
          if (p.isClosed()) {
            p.share();
          }
          continue;
        }
        owned[n] = nonEmpty == 1 ? p.retag(kind) : p.share();
        n++;
      }
    } catch (RuntimeException | Error e) {
      for (int i = 0; i < n; i++) {
        owned[i].close();
      }
      throw e;
    }
    return nonEmpty == 1 ? owned[0] : compositeOwning(kind, owned);
  }

  /**
   * A composite view of kind {@code kind} that takes over {@code owned}: at least two open,
   * non-empty views adding up to at most {@link Integer#MAX_VALUE} bytes, whose references now
   * belong to the composite (closed with its last view).
   */
  static ZeroCopyBuffer compositeOwning(BufferKind kind, ZeroCopyBuffer[] owned) {
    int[] starts = new int[owned.length + 1];
    for (int i = 0; i < owned.length; i++) {
      starts[i + 1] = starts[i] + owned[i].length();
    }
    CompositeStorage storage = new CompositeStorage(owned, starts);
    storage.initFirstReference();
    return new CompositeView(storage, 0, starts[owned.length], kind);
  }

  /**
   * One view of kind {@code kind} over foreign memory, without a copy: {@code pieces} (their bytes
   * from position to limit, in order; their positions do not move) stay owned by whoever made them
   * (a Netty {@code ByteBuf}, a Jetty chunk, memory native code filled) until {@code release} runs.
   * The view is a plain view for one non-empty piece, a composite view for several.
   *
   * <ul>
   *   <li>{@code release} runs exactly once, on the thread that closes the last view of any piece
   *       (the view returned and every view derived from it, whichever closes last), never before.
   *       What it throws is logged, never passed on ({@code close()} never throws).
   *   <li>If this method throws, {@code release} is not run: the caller still owns the memory.
   *   <li>Safety net: if every view becomes unreachable without {@code close()}, the release runs
   *       anyway (on the Cleaner's thread) and the leak is reported to the leak listeners (pool
   *       name {@code "adopted"}).
   *   <li>Billed to nobody (see {@code BufferAllocator.adopt} to bill a tenant). The memory must
   *       not change while views are alive, as for {@link #wrap(ByteBuffer)}.
   * </ul>
   *
   * @param kind the view's kind
   * @param pieces the memory, in order; read-only or writable, heap or direct
   * @param release what gives the memory back to its owner
   * @return the view
   * @throws IllegalArgumentException if the pieces add up to more than {@link Integer#MAX_VALUE}
   *     bytes
   * @throws NullPointerException if an argument or a piece is null
   */
  public static ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {
    return adopt(kind, pieces, release, bytes -> Borrowing.UNBILLED);
  }

  /**
   * {@link #adopt}, billed by {@code billing} (called once with the bytes, after every argument was
   * checked; if it throws, nothing else happens and the release is not run).
   */
  static ZeroCopyBuffer adopt(
      BufferKind kind,
      List<ByteBuffer> pieces,
      Runnable release,
      java.util.function.LongFunction<Borrowing> billing) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pieces, "pieces");
    Objects.requireNonNull(release, "release");
    long total = 0;
    ByteBuffer[] memory = new ByteBuffer[Math.max(1, pieces.size())];
    int n = 0;
    for (ByteBuffer p : pieces) {
      Objects.requireNonNull(p, "pieces contains null");
      total += p.remaining();
      if (p.hasRemaining()) {
        memory[n++] = p.slice();
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a view holds at most " + Integer.MAX_VALUE + " bytes; the pieces add up to " + total);
    }
    if (n == 0) {
      memory[n++] = NO_BYTES;
    }
    Borrowing borrowing = billing.apply(total);
    AdoptedStorage.Owner owner = new AdoptedStorage.Owner(n, release, borrowing);
    if (n == 1) { // one piece (a network frame): one view, no composite
      return adoptedView(kind, memory[0], owner);
    }
    ZeroCopyBuffer[] views = new ZeroCopyBuffer[n];
    for (int i = 0; i < n; i++) {
      views[i] = adoptedView(kind, memory[i], owner);
    }
    return compositeOwning(kind, views);
  }

  /** The first view of one adopted piece, owned with the others by {@code owner}. */
  private static ZeroCopyBuffer adoptedView(
      BufferKind kind, ByteBuffer memory, AdoptedStorage.Owner owner) {
    AdoptedStorage storage = new AdoptedStorage(memory, owner);
    return View.first(storage, memory, memory.capacity(), kind, storage.initFirstReference());
  }

  /** A fresh view of no bytes. */
  public static ZeroCopyBuffer empty(BufferKind kind) {
    return view(kind, NO_BYTES);
  }

  private static ZeroCopyBuffer view(BufferKind kind, ByteBuffer memory) {
    Objects.requireNonNull(kind, "kind");
    UnpooledStorage storage = new UnpooledStorage(memory);
    long units = storage.initFirstReference();
    return View.first(storage, memory, memory.capacity(), kind, units);
  }
}
