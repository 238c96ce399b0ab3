package io.axon.buffer.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every word test of {@link Swar} against a per-byte reference: every byte value in every lane
 * (over every uniform filler), every pair of lanes with every pair of values, and the borrow cases
 * that make the classic has-zero-byte test exact only in its lowest flag.
 */
class SwarTest {

  private static boolean zero(int v) {
    return v == 0;
  }

  private static boolean control(int v) {
    return v < 0x20 || v == 0x7f;
  }

  /** The flag word a per-byte test gives (bit 7 of each matching lane). */
  private static long reference(long x, IntPredicate matches) {
    long flags = 0;
    for (int lane = 0; lane < 8; lane++) {
      if (matches.test((int) (x >>> (8 * lane)) & 0xff)) {
        flags |= 0x80L << (8 * lane);
      }
    }
    return flags;
  }

  /** {@code x} with lane {@code lane} set to {@code value}. */
  private static long withLane(long x, int lane, int value) {
    long mask = 0xffL << (8 * lane);
    return (x & ~mask) | ((long) value << (8 * lane));
  }

  /**
   * {@code got} flags every true lane, its lowest flag is the lowest true lane, and any false flag
   * sits above a true one.
   */
  private static void assertLowestExact(long truth, long got, String test, long x) {
    Supplier<String> what = () -> test + " of " + Long.toHexString(x);
    assertEquals(truth, got & truth, () -> what.get() + ": a matching lane is not flagged");
    assertEquals(
        Long.numberOfTrailingZeros(truth),
        Long.numberOfTrailingZeros(got),
        () -> what.get() + ": lowest flag");
    long spurious = got & ~truth;
    if (spurious != 0) {
      assertTrue(
          Long.numberOfTrailingZeros(spurious) > Long.numberOfTrailingZeros(truth),
          () -> what.get() + ": a false flag below every true one");
    }
    assertEquals(0, got & ~Swar.HIGH, () -> what.get() + ": bits other than the flags");
  }

  private static void checkWord(long x) {
    long zeros = reference(x, SwarTest::zero);
    assertEquals(zeros, Swar.zeroBytesExact(x), () -> "zeroBytesExact of " + Long.toHexString(x));
    assertLowestExact(zeros, Swar.zeroBytes(x), "zeroBytes", x);
    assertLowestExact(reference(x, SwarTest::control), Swar.asciiControls(x), "asciiControls", x);
  }

  @Test
  void everyByteValueInEveryLaneOverEveryFillerIsFlaggedAsTheBytewiseTestSays() {
    for (int lane = 0; lane < 8; lane++) {
      for (int value = 0; value < 256; value++) {
        for (int filler = 0; filler < 256; filler++) {
          checkWord(withLane(Swar.broadcast((byte) filler), lane, value));
        }
      }
    }
  }

  @Test
  void everyPairOfLanesWithEveryPairOfValuesIsFlaggedAsTheBytewiseTestSays() {
    // The filler matches none of the tests: every flag comes from the two lanes (or a borrow).
    long filler = Swar.broadcast((byte) 'A');
    for (int low = 0; low < 8; low++) {
      for (int high = low + 1; high < 8; high++) {
        for (int a = 0; a < 256; a++) {
          long x = withLane(filler, low, a);
          for (int b = 0; b < 256; b++) {
            checkWord(withLane(x, high, b));
          }
        }
      }
    }
  }

  @Test
  void theClassicZeroTestBorrowsIntoTheLaneAboveAZeroAndTheExactOneDoesNot() {
    // Lane 0 is zero, lane 1 holds 0x01: the subtraction borrows out of lane 0 and turns lane 1
    // into 0xFF, a false flag; the lowest flag is still the true one.
    long x = 0x4141414141410100L;
    assertEquals(0x8080L, Swar.zeroBytes(x));
    assertEquals(0x80L, Swar.zeroBytesExact(x));
    assertEquals(0, Swar.firstLane(Swar.zeroBytes(x)));
    // The borrow runs on through a chain of 0x01 lanes.
    assertEquals(0x80808080L, Swar.zeroBytes(0x4141414101010100L));
    // So a big-endian word (first byte in memory = highest lane) needs the exact test: lane 7 is
    // the first byte and is not zero, lane 6 (the second byte) is.
    long be = 0x0100414141414141L;
    assertEquals(0x0080000000000000L, Swar.zeroBytesExact(be));
    assertEquals(1, Swar.firstLane(Swar.zeroBytesExact(be), ByteOrder.BIG_ENDIAN));
    assertEquals(0, Swar.firstLane(Swar.zeroBytes(be), ByteOrder.BIG_ENDIAN), "misread: borrow");
  }

  @Test
  void controlFlagsBorrowOnlyAboveATrueControl() {
    // Below 0x20: a NUL in lane 0 borrows and flags the 0x20 in lane 1.
    assertEquals(0x8080L, Swar.asciiControls(0x4141414141412000L));
    // DEL: a DEL in lane 0 borrows and flags the 0x7E in lane 1.
    assertEquals(0x8080L, Swar.asciiControls(0x4141414141417E7FL));
    // Alone, 0x20 and 0x7E are plain bytes; 0x80 and above are never controls.
    assertEquals(0, Swar.asciiControls(0x20207E7E80FF9FA0L));
  }

  @Test
  void firstLaneOfAnEmptyFlagWordIsEight() {
    assertEquals(8, Swar.firstLane(0));
    assertEquals(8, Swar.firstLane(0, ByteOrder.BIG_ENDIAN));
    assertEquals(8, Swar.firstLane(0, ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void readLongLeTakesTheFirstByteAsLaneZero() {
    byte[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertEquals(0x0807060504030201L, Swar.readLongLE(a, 0));
    assertEquals(0x0908070605040302L, Swar.readLongLE(a, 1));
  }

  @Test
  void broadcastFillsEveryLane() {
    for (int v = 0; v < 256; v++) {
      long x = Swar.broadcast((byte) v);
      for (int lane = 0; lane < 8; lane++) {
        assertEquals(v, (x >>> (8 * lane)) & 0xff);
      }
    }
  }

  private static int naiveIndexOf(byte[] a, int from, int to, byte v) {
    for (int i = from; i < to; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void indexOfFindsEveryByteValueAtEveryPositionInArraysAndBuffers() {
    int n = 72; // two unrolled steps, a word step and a tail
    byte[] a = new byte[n];
    ByteBuffer bigEndian = ByteBuffer.allocateDirect(n);
    ByteBuffer littleEndian = ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer readOnlyHeap = ByteBuffer.wrap(a).asReadOnlyBuffer();
    ByteBuffer[] buffers = {bigEndian, littleEndian, readOnlyHeap};
    for (int v = 0; v < 256; v++) {
      // Fillers that trip the borrow (v ^ 1), differ only in the high bit, or are neighbours.
      int[] fillers = {v ^ 0x01, v ^ 0x80, v ^ 0xff, (v + 1) & 0xff, (v - 1) & 0xff, 0, 0xff};
      for (int filler : fillers) {
        if (filler == v) {
          continue;
        }
        for (int at = -1; at < n; at++) {
          Arrays.fill(a, (byte) filler);
          if (at >= 0) {
            a[at] = (byte) v;
            // A borrow-tripping byte and a second occurrence after the first must not matter.
            if (at + 3 < n) {
              a[at + 1] = (byte) (v ^ 1);
              a[at + 3] = (byte) v;
            }
          }
          bigEndian.put(0, a);
          littleEndian.put(0, a);
          for (int from = 0; from <= 8; from++) {
            for (int to : new int[] {n, n - 1, from + 31, from + 8, from}) {
              int expected = naiveIndexOf(a, from, to, (byte) v);
              int value = v;
              int f = from;
              Supplier<String> what = () -> "byte " + value + " in [" + f + ", " + to + ")";
              assertEquals(expected, Swar.indexOf(a, f, to, (byte) v), what);
              for (ByteBuffer b : buffers) {
                assertEquals(
                    expected, Swar.indexOf(b, f, to, (byte) v), () -> what.get() + " of " + b);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void indexOfInABufferIgnoresPositionAndLimitAndLeavesThem() {
    ByteBuffer b = ByteBuffer.allocateDirect(40);
    b.put(33, (byte) '%').position(5).limit(35);
    assertEquals(33, Swar.indexOf(b, 2, 35, (byte) '%'));
    assertEquals(-1, Swar.indexOf(b, 2, 33, (byte) '%'));
    assertEquals(5, b.position());
    assertEquals(35, b.limit());
  }

  @Test
  void indexOfAsciiControlFindsEveryByteValueAtEveryPosition() {
    int n = 20;
    byte[] a = new byte[n];
    for (int v = 0; v < 256; v++) {
      boolean control = control(v);
      for (int filler : new int[] {'a', 0x20, 0x21, 0x7e, 0x80, 0xff}) {
        for (int at = 0; at < n; at++) {
          Arrays.fill(a, (byte) filler);
          a[at] = (byte) v;
          if (at + 1 < n) {
            a[at + 1] = (byte) (v == 0x7f ? 0x7e : 0x20); // the bytes a borrow would flag
          }
          for (int from = 0; from <= Math.min(at + 1, 9); from++) {
            int expected = from <= at && control ? at : n;
            int value = v;
            int f = from;
            int position = at;
            assertEquals(
                expected,
                Swar.indexOfAsciiControl(a, from, n),
                () -> "byte " + value + " at " + position + " from " + f + " filler " + filler);
          }
        }
      }
    }
  }
}
