package io.axon.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * A single-threaded, append-only builder over pooled memory (the Java counterpart of {@code
 * BytesMut}, used like a {@link StringBuilder}). Bytes land here once, then {@link #freeze()} turns
 * the builder into a {@link ZeroCopyBuffer} over the same memory, without copying.
 *
 * <h2>Lifetime</h2>
 *
 * <ul>
 *   <li>Obtained from a {@link BufferAllocator}; billed to its tenant by the capacity it holds.
 *   <li>{@link #freeze()} ends the builder: the memory now belongs to the returned view, and any
 *       later use of the builder throws {@link ClosedBufferException}.
 *   <li>{@link #close()} before {@code freeze} returns the memory to the pool (the abort path of a
 *       failed parse). {@code close()} after {@code freeze} does nothing. Use try-with-resources: a
 *       builder that is frozen is also safely closed.
 * </ul>
 *
 * <h2>Growth</h2>
 *
 * When an append does not fit, the builder moves to a slab of the next {@link PoolClass} that holds
 * the new length (one copy of the bytes so far, amortised: at most about 7% of the final size
 * across SMALL → MEDIUM → LARGE). A capacity hint at acquisition picks the right class up front and
 * avoids any growth copy. Beyond {@link PoolClass#HUGE} the memory is allocated at its exact size
 * ({@link PoolClass#OVERSIZE}), and grows by half again when it is full. Growth bills the new
 * memory before it releases the old (both are held during the copy), so it may throw {@link
 * TenantLimitExceededException}; the builder then keeps its bytes and stays usable.
 *
 * <p>Not thread-safe: one thread builds, then hands the frozen view to others.
 */
public interface BufferMut extends AutoCloseable {

  /** {@return the number of bytes appended so far} */
  int length();

  /** {@return the bytes the current memory holds before the next growth} */
  int capacity();

  /** {@return the tenant billed, or empty if none is} */
  Optional<String> tenant();

  /**
   * Appends one byte.
   *
   * @param b the byte
   * @return this builder
   */
  BufferMut append(byte b);

  /**
   * Appends all of {@code src}.
   *
   * @param src the bytes to copy in
   * @return this builder
   */
  BufferMut append(byte[] src);

  /**
   * Appends {@code length} bytes of {@code src} from {@code offset}.
   *
   * @param src the array to copy from
   * @param offset the index of the first byte to copy
   * @param length the number of bytes to copy
   * @return this builder
   * @throws IndexOutOfBoundsException if the range is outside {@code src}
   */
  BufferMut append(byte[] src, int offset, int length);

  /**
   * Appends the remaining bytes of {@code src}, moving its position to its limit.
   *
   * @param src the buffer to copy from
   * @return this builder
   */
  BufferMut append(ByteBuffer src);

  /**
   * Appends the visible bytes of {@code src} (one copy); {@code src} stays open.
   *
   * @param src the view to copy from
   * @return this builder
   */
  BufferMut append(ZeroCopyBuffer src);

  /**
   * Makes room for at least {@code additional} more bytes without further growth (moving to a
   * larger class now if needed).
   *
   * @param additional the bytes to make room for, 0 or more
   * @return this builder
   * @throws IllegalArgumentException if {@code additional} is negative or the total would pass
   *     {@link Integer#MAX_VALUE}
   */
  BufferMut reserve(int additional);

  /**
   * One read from {@code channel} straight into the pooled memory (the one unavoidable copy, kernel
   * to user), growing first if the builder is full.
   *
   * <p>The channel is handed the builder's memory past its length to write into. Pooled memory is
   * not cleared between owners, so those bytes may still hold a previous owner's data: pass
   * channels that only write into the buffer they are given (the JDK's socket, file and pipe
   * channels do), never one that reads it.
   *
   * @param channel the channel to read from
   * @return the number of bytes read, possibly 0, or -1 at end of stream
   * @throws IOException if the channel fails (the bytes appended so far stay)
   */
  int readFrom(ReadableByteChannel channel) throws IOException;

  /**
   * The bytes appended so far, read in place: a read-only {@link ByteBuffer} over the builder's
   * memory with position 0 and limit (and capacity) {@link #length()}. Nothing is copied; the cost
   * is one small {@code ByteBuffer} object. For reading what is being built without freezing it,
   * such as the head of a payload still arriving, to detect its kind.
   *
   * <ul>
   *   <li>The bytes it shows never change: later appends land after its limit, so its content only
   *       grows in the builder, never under the view (take a new one to see the new bytes). Its
   *       capacity is its limit, so the memory past what was appended (which may still hold a
   *       previous owner's bytes) is out of its reach.
   *   <li>It reads the builder's current memory, and is valid as long as that memory stays with
   *       this builder (or with the views it is frozen into): it must not be read once the builder
   *       is closed, once the views it was frozen into are all closed, or once the builder has
   *       grown into larger memory (an append, {@link #reserve} or {@link #readFrom} past {@link
   *       #capacity()}: the bytes move and the old memory goes back to the pool, where another
   *       owner may overwrite it). Appends within {@link #capacity()} keep it valid.
   * </ul>
   *
   * @return a read-only buffer over the bytes appended so far
   * @throws ClosedBufferException if the builder is frozen or closed
   */
  ByteBuffer asReadOnlyByteBuffer();

  /**
   * The bytes appended so far seen as another type, without a copy (see {@link
   * ZeroCopyBuffer#unwrap}). On every JDK: {@code ByteBuffer.class} (what {@link
   * #asReadOnlyByteBuffer()} returns) and {@code ByteBuffer[].class} (that buffer, alone in an
   * array); on JDK 22+ also {@code java.lang.foreign.MemorySegment.class} and {@code
   * MemorySegment[].class} (read-only, as for a view). Valid as {@link #asReadOnlyByteBuffer()}
   * says: not past the builder's next growth, close or freeze's views.
   *
   * @param type the type wanted
   * @param <T> the type wanted
   * @return the appended bytes as {@code type}
   * @throws UnsupportedOperationException if the builder does not offer {@code type}; the message
   *     says why
   * @throws ClosedBufferException if the builder is frozen or closed
   * @throws NullPointerException if {@code type} is null
   */
  <T> T unwrap(Class<T> type);

  /**
   * True if {@link #unwrap unwrap(type)} would succeed on a builder still building. Cheap.
   *
   * @param type the type asked about
   * @return whether the builder offers {@code type} on the running JDK
   * @throws NullPointerException if {@code type} is null
   */
  boolean canUnwrap(Class<?> type);

  /**
   * Turns the builder into a {@link ZeroCopyBuffer} of kind {@code raw} over the same memory,
   * without copying. The builder is unusable afterwards.
   *
   * @return the view of the bytes appended, which now owns the memory
   */
  ZeroCopyBuffer freeze();

  /**
   * As {@link #freeze()}, tagging the view with {@code kind}.
   *
   * @param kind the kind of the bytes
   * @return the view of the bytes appended, which now owns the memory
   */
  ZeroCopyBuffer freeze(BufferKind kind);

  /** {@return true once frozen or closed} */
  boolean isClosed();

  /** Returns the memory to the pool unless frozen. Idempotent. Never throws. */
  @Override
  void close();
}
