package io.axon.buffer;

/**
 * The size classes of a {@link BufferPool}. A request is served from the smallest class whose slab
 * holds it; each pooled class keeps a bounded free list of slabs of exactly its size. {@link
 * #OVERSIZE} requests (more than 10 MiB) are allocated directly at their exact size and never
 * pooled.
 *
 * <table>
 *   <caption>Class bounds (inclusive)</caption>
 *   <tr><th>class</th><th>slab</th></tr>
 *   <tr><td>{@link #SMALL}</td><td>4 KiB</td></tr>
 *   <tr><td>{@link #MEDIUM}</td><td>64 KiB</td></tr>
 *   <tr><td>{@link #LARGE}</td><td>1 MiB</td></tr>
 *   <tr><td>{@link #HUGE}</td><td>10 MiB</td></tr>
 *   <tr><td>{@link #OVERSIZE}</td><td>exact size, not pooled</td></tr>
 * </table>
 */
public enum PoolClass {
  /** Up to 4 KiB. */
  SMALL(4 * 1024),
  /** Up to 64 KiB. */
  MEDIUM(64 * 1024),
  /** Up to 1 MiB. */
  LARGE(1024 * 1024),
  /** Up to 10 MiB. */
  HUGE(10 * 1024 * 1024),
  /** More than 10 MiB: allocated directly at the requested size, never pooled. */
  OVERSIZE(Integer.MAX_VALUE);

  private static final PoolClass[] POOLED = {SMALL, MEDIUM, LARGE, HUGE};

  private final int maxBytes;

  PoolClass(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The slab size of this class (the largest request it serves). For {@link #OVERSIZE} this is
   * {@link Integer#MAX_VALUE}: its buffers are exactly as large as requested.
   *
   * @return the slab size in bytes
   */
  public int slabBytes() {
    return maxBytes;
  }

  /** {@return true for every class but {@link #OVERSIZE}} */
  public boolean isPooled() {
    return this != OVERSIZE;
  }

  /** {@return a new array of the pooled classes, smallest first} */
  public static PoolClass[] pooled() {
    return POOLED.clone();
  }

  /**
   * The class that serves a request of {@code bytes}: 4096 is {@link #SMALL}, 4097 is {@link
   * #MEDIUM}, 10 MiB + 1 is {@link #OVERSIZE}.
   *
   * @param bytes the size of the request
   * @return the smallest class whose slabs hold {@code bytes}
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public static PoolClass forCapacity(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + bytes);
    }
    if (bytes <= SMALL.maxBytes) {
      return SMALL;
    }
    if (bytes <= MEDIUM.maxBytes) {
      return MEDIUM;
    }
    if (bytes <= LARGE.maxBytes) {
      return LARGE;
    }
    if (bytes <= HUGE.maxBytes) {
      return HUGE;
    }
    return OVERSIZE;
  }

  /**
   * The largest pooled class whose slabs are no larger than {@code bytes}, {@link #SMALL} at least:
   * 4096 to 65535 are {@code SMALL}, 65536 is {@link #MEDIUM}, anything from 10 MiB is {@link
   * #HUGE}. The piece to take for a payload that will hold at least {@code bytes} bytes without
   * ever holding more than twice them (what {@code SegmentedBuilder} does).
   *
   * @param bytes the bytes the payload will hold at least
   * @return the class
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public static PoolClass largestAtMost(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    if (bytes >= HUGE.maxBytes) {
      return HUGE;
    }
    if (bytes >= LARGE.maxBytes) {
      return LARGE;
    }
    return bytes >= MEDIUM.maxBytes ? MEDIUM : SMALL;
  }

  /** {@return the next larger class ({@link #OVERSIZE} for {@link #HUGE} and itself)} */
  public PoolClass next() {
    return this == OVERSIZE ? OVERSIZE : values()[ordinal() + 1];
  }
}
