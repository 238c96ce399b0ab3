package io.axon.buffer.stress;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owner stamps: every buffer a proof acquires is filled with a 32-bit value no other buffer of the
 * run carries, so that a read can tell its own bytes from any other owner's, including a previous
 * owner of the same slab.
 */
final class Stamps {

  /** Bytes each stamped buffer holds (16 stamps; a SMALL slab). */
  static final int LENGTH = 64;

  /** What a reader reports. */
  static final int OWN_BYTES = 1;

  static final int CLOSED = 0;
  static final int FOREIGN_BYTES = -1;

  private static final AtomicInteger NEXT = new AtomicInteger(0x5EED0000);

  private Stamps() {}

  /** A stamp used by no other buffer in this JVM (until 2^32 stamps wrap). */
  static int next() {
    return NEXT.getAndIncrement();
  }

  /** A frozen buffer of {@link #LENGTH} bytes from {@code allocator}, filled with {@code stamp}. */
  static ZeroCopyBuffer stamped(BufferAllocator allocator, int stamp) {
    try (BufferMut m = allocator.acquire(LENGTH)) {
      byte[] pattern = pattern(stamp);
      m.append(pattern);
      return m.freeze();
    }
  }

  /** {@link #LENGTH} bytes of {@code stamp}, big-endian, repeated. */
  static byte[] pattern(int stamp) {
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i += 4) {
      out[i] = (byte) (stamp >>> 24);
      out[i + 1] = (byte) (stamp >>> 16);
      out[i + 2] = (byte) (stamp >>> 8);
      out[i + 3] = (byte) stamp;
    }
    return out;
  }

  /** {@link #OWN_BYTES} if {@code bytes} is exactly the pattern of {@code stamp}, else foreign. */
  static int judge(byte[] bytes, int stamp) {
    return java.util.Arrays.equals(bytes, pattern(stamp)) ? OWN_BYTES : FOREIGN_BYTES;
  }

  /** Reads {@code view} with {@code toByteArray()} and judges it; {@link #CLOSED} if refused. */
  static int check(ZeroCopyBuffer view, int stamp) {
    try {
      return judge(view.toByteArray(), stamp);
    } catch (ClosedBufferException e) {
      return CLOSED;
    }
  }

  /**
   * 1 if {@code alias}, a read-only buffer over a slab taken while its view was open, now shows
   * {@code stamp}: the slab was handed to that stamp's owner. 0 otherwise.
   */
  static int reused(ByteBuffer alias, int stamp) {
    byte[] now = new byte[LENGTH];
    alias.get(0, now, 0, LENGTH);
    return judge(now, stamp) == OWN_BYTES ? 1 : 0;
  }
}
