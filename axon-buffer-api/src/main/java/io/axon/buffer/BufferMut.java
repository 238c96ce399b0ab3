package io.axon.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * A single-threaded, append-only builder over pooled memory (the Java counterpart of {@code
 * BytesMut}, used like a {@link StringBuilder}). Bytes land here once, then {@link #freeze()}
 * turns the builder into a {@link ZeroCopyBuffer} over the same memory, without copying.
 *
 * <h2>Lifetime</h2>
 *
 * <ul>
 *   <li>Obtained from a {@link BufferAllocator}; billed to its tenant by the capacity it holds.
 *   <li>{@link #freeze()} ends the builder: the memory now belongs to the returned view, and any
 *       later use of the builder throws {@link ClosedBufferException}.
 *   <li>{@link #close()} before {@code freeze} returns the memory to the pool (the abort path of a
 *       failed parse). {@code close()} after {@code freeze} does nothing. Use try-with-resources:
 *       a builder that is frozen is also safely closed.
 * </ul>
 *
 * <h2>Growth</h2>
 *
 * When an append does not fit, the builder moves to a slab of the next {@link PoolClass} that
 * holds the new length (one copy of the bytes so far, amortised: at most about 7% of the final
 * size across SMALL → MEDIUM → LARGE). A capacity hint at acquisition picks the right class up
 * front and avoids any growth copy. Beyond {@link PoolClass#HUGE} the memory is allocated at its
 * exact size ({@link PoolClass#OVERSIZE}), and grows by half again when it is full. Growth bills
 * the new memory before it releases the old (both are held during the copy), so it may throw
 * {@link TenantLimitExceededException}; the builder then keeps its bytes and stays usable.
 *
 * <p>Not thread-safe: one thread builds, then hands the frozen view to others.
 */
public interface BufferMut extends AutoCloseable {

  /** The number of bytes appended so far. */
  int length();

  /** The bytes the current memory holds before the next growth. */
  int capacity();

  /** The size class of the current memory. */
  PoolClass poolClass();

  /** The tenant billed, if any. */
  Optional<String> tenant();

  /** Appends one byte. */
  BufferMut append(byte b);

  /** Appends all of {@code src}. */
  BufferMut append(byte[] src);

  /**
   * Appends {@code length} bytes of {@code src} from {@code offset}.
   *
   * @throws IndexOutOfBoundsException if the range is outside {@code src}
   */
  BufferMut append(byte[] src, int offset, int length);

  /** Appends the remaining bytes of {@code src}, moving its position to its limit. */
  BufferMut append(ByteBuffer src);

  /** Appends the visible bytes of {@code src} (one copy); {@code src} stays open. */
  BufferMut append(ZeroCopyBuffer src);

  /**
   * Makes room for at least {@code additional} more bytes without further growth (moving to a
   * larger class now if needed).
   *
   * @throws IllegalArgumentException if {@code additional} is negative or the total would pass
   *     {@link Integer#MAX_VALUE}
   */
  BufferMut reserve(int additional);

  /**
   * One read from {@code channel} straight into the pooled memory (the one unavoidable copy,
   * kernel to user), growing first if the builder is full.
   *
   * @return the number of bytes read, possibly 0, or -1 at end of stream
   * @throws IOException if the channel fails (the bytes appended so far stay)
   */
  int readFrom(ReadableByteChannel channel) throws IOException;

  /**
   * Turns the builder into a {@link ZeroCopyBuffer} of kind {@code raw} over the same memory,
   * without copying. The builder is unusable afterwards.
   */
  ZeroCopyBuffer freeze();

  /** As {@link #freeze()}, tagging the view with {@code kind}. */
  ZeroCopyBuffer freeze(BufferKind kind);

  /** True once frozen or closed. */
  boolean isClosed();

  /** Returns the memory to the pool unless frozen. Idempotent. Never throws. */
  @Override
  void close();
}
