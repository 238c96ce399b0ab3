package io.axon.buffer.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SIMD within a register: byte searches eight bytes at a time, one {@code long} read and a few
 * arithmetic operations per word instead of a branch per byte. The one place axon-buffer's scanners
 * (the multipart delimiter search and header scan, the PDF sniffer) get their word tricks from.
 *
 * <p>Not public API: this package is exported only to axon-buffer's own modules.
 *
 * <h2>Flag words</h2>
 *
 * The tests return a <em>flag word</em>: bit 7 of each byte lane set where the lane matches, every
 * other bit clear. Lane {@code k} is bits {@code 8k..8k+7}, the byte at index {@code i + k} of a
 * little-endian read at {@code i} (see {@link #firstLane}).
 *
 * <p>The classic has-zero-byte test, {@code (x - 0x01..01) & ~x & 0x80..80}, is the cheapest but is
 * exact only in its lowest flag: the subtraction borrows out of a matching lane into the lane
 * above, so a lane holding 0x01 just above a zero lane is flagged too. Its lowest flag is always a
 * true match (no borrow enters the lowest matching lane), which is all a forward search of a
 * little-endian word needs; methods that return such words say "lowest flag exact". {@link
 * #zeroBytesExact} costs one more operation and flags exactly the zero lanes, which a big-endian
 * word (first byte in the most significant lane) and a count of matches need.
 *
 * <h2>Threads</h2>
 *
 * Stateless; every method is pure.
 */
public final class Swar {

  /** 0x01 in every lane. */
  public static final long ONES = 0x0101010101010101L;

  /** 0x80 in every lane: the flag bits. */
  public static final long HIGH = 0x8080808080808080L;

  /** 0x7F in every lane. */
  public static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  private static final VarHandle LONGS_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Swar() {}

  /** {@code value} in every lane. */
  public static long broadcast(byte value) {
    return (value & 0xffL) * ONES;
  }

  /**
   * The eight bytes of {@code a} at {@code [i, i + 8)} as a little-endian word: {@code a[i]} is
   * lane 0.
   *
   * @throws IndexOutOfBoundsException if the eight bytes are not all in {@code a}
   */
  public static long readLongLE(byte[] a, int i) {
    return (long) LONGS_LE.get(a, i);
  }

  /**
   * Flags the lanes of {@code x} that are zero; lowest flag exact (a lane holding 0x01 just above a
   * flagged lane may be flagged falsely).
   */
  public static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGH;
  }

  /** Flags exactly the lanes of {@code x} that are zero (no borrow crosses lanes). */
  public static long zeroBytesExact(long x) {
    long t = (x & LOW7) + LOW7;
    return ~(t | x | LOW7);
  }

  /**
   * Flags the lanes of {@code x} that are ASCII control characters (0x00 to 0x1F, and DEL 0x7F);
   * lowest flag exact: {@code (x - 0x20..20) & ~x} flags the lanes below 0x20 (a borrow can flag a
   * lane holding 0x20 above a flagged lane), the zero test of {@code x ^ 0x7F..7F} flags DEL (a
   * borrow can flag 0x7E above a DEL lane), and the lowest flag of either is a true one. Lanes of
   * 0x80 and above are never flagged.
   */
  public static long asciiControls(long x) {
    long del = x ^ LOW7;
    return (((x - 0x20 * ONES) & ~x) | ((del - ONES) & ~del)) & HIGH;
  }

  /**
   * The lane of the lowest flag of {@code flags} (0..7): the first matching byte in memory of a
   * little-endian word. 8 if {@code flags} is 0.
   */
  public static int firstLane(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }

  /**
   * The first matching byte in memory of a word read in {@code order}: the lowest flag for
   * little-endian, the highest for big-endian (which needs exact flags, see {@link
   * #zeroBytesExact}). 8 if {@code flags} is 0.
   */
  public static int firstLane(long flags, ByteOrder order) {
    return (order == ByteOrder.LITTLE_ENDIAN
            ? Long.numberOfTrailingZeros(flags)
            : Long.numberOfLeadingZeros(flags))
        >>> 3;
  }

  /**
   * The first index of {@code value} in {@code a[from, to)}, or -1; 32 bytes per step.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code a}
   */
  public static int indexOf(byte[] a, int from, int to, byte value) {
    final long pattern = broadcast(value);
    int i = from;
    for (; i <= to - 32; i += 32) {
      long h0 = zeroBytes(readLongLE(a, i) ^ pattern);
      long h1 = zeroBytes(readLongLE(a, i + 8) ^ pattern);
      long h2 = zeroBytes(readLongLE(a, i + 16) ^ pattern);
      long h3 = zeroBytes(readLongLE(a, i + 24) ^ pattern);
      if ((h0 | h1 | h2 | h3) != 0) {
        if (h0 != 0) {
          return i + firstLane(h0);
        }
        if (h1 != 0) {
          return i + 8 + firstLane(h1);
        }
        if (h2 != 0) {
          return i + 16 + firstLane(h2);
        }
        return i + 24 + firstLane(h3);
      }
    }
    for (; i <= to - 8; i += 8) {
      long h = zeroBytes(readLongLE(a, i) ^ pattern);
      if (h != 0) {
        return i + firstLane(h);
      }
    }
    for (; i < to; i++) {
      if (a[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first index of {@code value} in {@code b} between the absolute indexes {@code [from, to)},
   * or -1; eight bytes per step through {@link ByteBuffer#getLong(int)} in the buffer's byte order,
   * for buffers whose array is not accessible (direct, read-only). Position and limit are ignored
   * and left unchanged.
   *
   * @throws IndexOutOfBoundsException if the range is not within the buffer's limit
   */
  public static int indexOf(ByteBuffer b, int from, int to, byte value) {
    final long pattern = broadcast(value);
    final ByteOrder order = b.order();
    int i = from;
    for (; i <= to - 8; i += 8) {
      long z = zeroBytesExact(b.getLong(i) ^ pattern);
      if (z != 0) {
        return i + firstLane(z, order);
      }
    }
    for (; i < to; i++) {
      if (b.get(i) == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first index in {@code a[from, to)} of an ASCII control character (0x00 to 0x1F, or DEL
   * 0x7F: line breaks, tabs and the bytes a header line may not hold), or {@code to}; eight bytes
   * per step. Bytes 0x80 and above are not control characters here.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code a}
   */
  public static int indexOfAsciiControl(byte[] a, int from, int to) {
    int i = from;
    for (; i <= to - 8; i += 8) {
      long flags = asciiControls(readLongLE(a, i));
      if (flags != 0) {
        return i + firstLane(flags);
      }
    }
    for (; i < to; i++) {
      byte c = a[i];
      if ((c >= 0 && c < 0x20) || c == 0x7f) {
        return i;
      }
    }
    return to;
  }

  /**
   * True if every byte of {@code a[from, to)} is ASCII (below 0x80); eight bytes per step.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code a}
   */
  public static boolean isAscii(byte[] a, int from, int to) {
    int i = from;
    long any = 0;
    for (; i <= to - 8; i += 8) {
      any |= readLongLE(a, i);
    }
    for (; i < to; i++) {
      any |= a[i];
    }
    return (any & HIGH) == 0;
  }
}
