package io.axon.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view over a byte range of shared storage, tagged with a {@link BufferKind} and,
 * optionally, the tenant that pays for the storage's memory. The Java counterpart of an {@code
 * Arc<[u8]>} view.
 *
 * <h2>Cost</h2>
 *
 * {@link #share()}, {@link #slice(int, int)} and {@link #retag(BufferKind)} are O(1): no copy, no
 * new storage, one reference-count increment. Kind and tenant propagate to the new view ({@code
 * retag} changes the kind of the new view only). {@link #toByteArray()} is the one explicit copy;
 * {@link #compact()} is a deliberate copy into right-sized storage.
 *
 * <h2>Lifetime</h2>
 *
 * <ul>
 *   <li>Each view is released once by {@link #close()}; a second close does nothing.
 *   <li>Every derived view (share, slice, retag, compact) holds its own reference to the storage:
 *       closing the parent never invalidates a child, and the child must be closed too. There is no
 *       "borrowed" slice whose life hangs on its parent's.
 *   <li>The storage goes back to its pool exactly once, when its last view is closed.
 *   <li>Any access through a closed view throws {@link ClosedBufferException}: every read of its
 *       bytes and every new view of its storage. A closed view can never show bytes of storage that
 *       has since been handed to another owner. What the view says about itself stays readable
 *       ({@link #length()}, {@link #kind()}, {@link #tenant()}, {@link #isClosed()}, {@code
 *       toString()}): it reveals nothing of the storage's next owner, and error paths and logs that
 *       run after a close need it.
 *   <li>A {@link ByteBuffer} obtained from a view ({@link #asReadOnlyByteBuffer()}, {@link
 *       #asReadOnlyByteBuffers()}) is valid only until that view is closed: after that its bytes
 *       may belong to someone else. Do not keep it past {@code close()}.
 *   <li>Views whose storage became unreachable without {@code close()} may be reclaimed by a safety
 *       net and counted as leaks in {@link PoolSnapshot#leaksReclaimed()}; do not rely on it. The
 *       core's pool registers every storage larger than 64 KiB with that net, but only a sample of
 *       the smaller ones (one in 64 of 4 KiB, one in 16 of 64 KiB per thread, unless leak tracing
 *       or full reclamation is on): a storage that leaks without having been sampled is never
 *       reclaimed, its memory never returns to the pool, and its bytes stay billed to its tenant.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * Views are immutable and may be read from many threads at once. {@code share()} on one thread
 * while another closes a different view of the same storage is safe. Closing a view while another
 * thread reads through that same view is a bug in the caller, but never exposes another owner's
 * bytes: the read either completes with the right bytes or throws {@link ClosedBufferException}.
 *
 * <p>Indexes are relative to the view: {@code get(0)} is the view's first byte. Out-of-range
 * arguments throw {@link IndexOutOfBoundsException} with the numbers in the message.
 */
public interface ZeroCopyBuffer extends AutoCloseable {

  /** {@return the number of visible bytes} */
  int length();

  /** {@return true if {@link #length()} is 0} */
  default boolean isEmpty() {
    return length() == 0;
  }

  /** {@return the content kind} */
  BufferKind kind();

  /**
   * The tenant billed for the storage, if any. A composite view (several views read as one) reports
   * the tenant its parts share, and none when they differ; every view derived from it (share,
   * slice, retag, compact) reports the composite's answer, whichever parts it covers.
   *
   * @return the tenant, or empty if none is billed
   */
  Optional<String> tenant();

  /**
   * The byte at {@code index}.
   *
   * @param index the byte's index in this view
   * @return the byte
   * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, length())}
   * @throws ClosedBufferException if this view is closed
   */
  byte get(int index);

  /**
   * Copies {@code length} bytes starting at {@code index} into {@code dst} at {@code dstOffset}.
   *
   * @param index the index in this view of the first byte to copy
   * @param dst the array to copy into
   * @param dstOffset the index in {@code dst} of the first byte written
   * @param length the number of bytes to copy
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws ClosedBufferException if this view is closed
   */
  void getBytes(int index, byte[] dst, int dstOffset, int length);

  /**
   * A new view of the same bytes, kind and tenant, holding its own reference. O(1).
   *
   * @return the new view, to be closed on its own
   * @throws ClosedBufferException if this view is closed
   */
  ZeroCopyBuffer share();

  /**
   * A new view of bytes {@code [from, to)} of this view, same kind and tenant, holding its own
   * reference. O(1).
   *
   * @param from the index of the first byte of the slice
   * @param to the index after its last byte
   * @return the new view, to be closed on its own
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
   */
  ZeroCopyBuffer slice(int from, int to);

  /**
   * A new view of the same bytes tagged with {@code kind}; this view keeps its kind. O(1).
   *
   * @param kind the new view's kind
   * @return the new view, to be closed on its own
   * @throws ClosedBufferException if this view is closed
   */
  ZeroCopyBuffer retag(BufferKind kind);

  /**
   * The visible bytes as one read-only {@link ByteBuffer} (position 0, limit {@link #length()}). No
   * copy for a view over contiguous storage; a composite view of several pieces is consolidated
   * into one heap copy (use {@link #asReadOnlyByteBuffers()} or {@link #writeTo} to avoid it).
   *
   * <p>Valid only until this view is closed. Precisely: while this view is open its storage is not
   * recycled, so the buffer shows exactly this view's bytes, whatever other views and threads do.
   * Once the storage's last view is closed, pooled memory is handed to its next owner, which may be
   * another tenant: reads through a buffer kept past that point are not checked and may return
   * bytes the next owner wrote. Such a buffer is read-only (it cannot change anyone's bytes) and
   * never reaches freed memory (pooled memory is never freed explicitly; the buffer keeps it
   * reachable), but what it shows is not yours: do not keep it past {@code close()}. Every method
   * of this view, by contrast, throws {@link ClosedBufferException} once it is closed.
   *
   * @return a read-only buffer over the visible bytes
   */
  ByteBuffer asReadOnlyByteBuffer();

  /**
   * The visible bytes as read-only {@link ByteBuffer}s, one per contiguous piece, in order; no
   * copy. One element for a plain view, one per piece for a composite view.
   *
   * <p>Valid only until this view is closed, as {@link #asReadOnlyByteBuffer()} says.
   *
   * @return read-only buffers over the visible bytes, in order
   */
  List<ByteBuffer> asReadOnlyByteBuffers();

  /**
   * The visible bytes seen as another type, without a copy: the hook through which later versions
   * hand out other views of the same memory without a new public type. On every JDK:
   *
   * <ul>
   *   <li>{@code ByteBuffer.class}: the visible bytes as one read-only {@link ByteBuffer} (position
   *       0, limit {@link #length()}), offered only when they lie in one contiguous piece (a plain
   *       view, or a slice of a composite inside one part). Unlike {@link #asReadOnlyByteBuffer()},
   *       it never copies: a view of several pieces refuses it.
   *   <li>{@code ByteBuffer[].class}: one read-only buffer per piece, in order, as {@link
   *       #asReadOnlyByteBuffers()} gives them (a new array each call).
   * </ul>
   *
   * On JDK 22 and later, axon-buffer-core's multi-release JAR also offers:
   *
   * <ul>
   *   <li>{@code java.lang.foreign.MemorySegment.class}: the visible bytes as one read-only segment
   *       (same rule as {@code ByteBuffer.class}: one contiguous piece only), to hand to native
   *       code through the JDK's {@code Linker} without a copy;
   *   <li>{@code java.lang.foreign.MemorySegment[].class}: one read-only segment per piece.
   * </ul>
   *
   * A segment is native for a direct pool (the default) and heap for a heap pool: native code takes
   * a heap segment only through a downcall linked with {@code Linker.Option.critical(true)} (any
   * other throws the JDK's {@code IllegalArgumentException: Heap segment not allowed}). {@link
   * #canUnwrap} tells what this view offers on the running JDK. What is returned is valid only
   * until this view is closed, as {@link #asReadOnlyByteBuffer()} says (a segment keeps the memory
   * reachable, never freed, but once the view is closed the memory may hold another owner's bytes;
   * native code must not keep the address past the call); each call returns new objects (their
   * positions are the caller's).
   *
   * @param type the type wanted
   * @param <T> the type wanted
   * @return the visible bytes as {@code type}
   * @throws UnsupportedOperationException if this view does not offer {@code type}; the message
   *     says why (not offered by this view, listing what is; or it needs a newer JDK)
   * @throws ClosedBufferException if this view is closed
   * @throws NullPointerException if {@code type} is null
   */
  <T> T unwrap(Class<T> type);

  /**
   * True if {@link #unwrap unwrap(type)} would succeed on an open view. Cheap (no allocation); it
   * answers for the view's shape, also once the view is closed.
   *
   * @param type the type asked about
   * @return whether this view offers {@code type} on the running JDK
   * @throws NullPointerException if {@code type} is null
   */
  boolean canUnwrap(Class<?> type);

  /** {@return a new {@code byte[]} holding the visible bytes: the one explicit copy} */
  byte[] toByteArray();

  /** {@return the SHA-256 digest of the visible bytes only (32 bytes)} */
  byte[] sha256();

  /** {@return {@link #sha256()} as 64 lowercase hex digits} */
  default String sha256Hex() {
    return HexFormat.of().formatHex(sha256());
  }

  /**
   * Writes all visible bytes to {@code channel} (a gathering write for a composite view when the
   * channel supports it), looping until everything is written.
   *
   * @param channel the channel to write to
   * @return the number of bytes written ({@link #length()})
   * @throws IOException if the channel fails; how much was written is then unknown
   */
  long writeTo(WritableByteChannel channel) throws IOException;

  /**
   * The number of live views over this view's storage (for observability): 1 for a fresh view, 2
   * after one {@link #share()}, back to 1 when either is closed. For a composite view: the live
   * views of the composite itself.
   *
   * @return the live views over this view's storage
   */
  int sharers();

  /** {@return true once {@link #close()} has been called on this view} */
  boolean isClosed();

  /**
   * A new view holding a copy of the visible bytes in right-sized storage, same kind and tenant
   * (one copy). Use it for long-lived small views of large storage, which otherwise keep the whole
   * storage alive (see {@link PoolSnapshot#pinnedUnusedBytes()}). This view stays open.
   *
   * @return the new view over the copy, to be closed on its own
   */
  ZeroCopyBuffer compact();

  /** Releases this view's reference. Idempotent. Never throws. */
  @Override
  void close();
}
