package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A reader reads through a view while another thread closes that same view (a caller bug) and
 * immediately refills the memory for someone else. The reader must get the original bytes or {@link
 * ClosedBufferException}, never a mix with the next owner's bytes.
 */
class BulkReadRaceTest {

  private static final int SIZE = 4096;
  private static final byte OLD = 0x11;
  private static final byte NEW = 0x22;

  private enum Read {
    TO_BYTE_ARRAY,
    SHA256,
    WRITE_TO,
    GET_BYTES,
    GET
  }

  @Test
  void bulkAndSingleReadsNeverObserveARecycledSlab() throws Exception {
    byte[] old = new byte[SIZE];
    Arrays.fill(old, OLD);
    byte[] oldSha = MessageDigest.getInstance("SHA-256").digest(old);
    byte[] fresh = new byte[SIZE];
    Arrays.fill(fresh, NEW);
    int rounds = 4000;
    try (SlabBufferPool pool = SlabBufferPool.builder().leakTracing(LeakTracing.OFF).build()) {
      CyclicBarrier go = new CyclicBarrier(2);
      CyclicBarrier done = new CyclicBarrier(2);
      AtomicReference<ZeroCopyBuffer> shared = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger reused = new AtomicInteger();
      AtomicInteger completed = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      Thread closer =
          new Thread(
              () -> {
                try {
                  for (int round = 0; round < rounds; round++) {
                    ZeroCopyBuffer v;
                    try (BufferMut m = pool.acquire(SIZE)) {
                      v = m.append(old).freeze();
                    }
                    shared.set(v);
                    go.await();
                    Slab slab = ((SlabBufferMut) ((View) v).storage).slab;
                    v.close();
                    try (BufferMut next = pool.acquire(SIZE)) {
                      next.append(fresh);
                      if (((SlabBufferMut) next).slab == slab) {
                        reused.incrementAndGet();
                      }
                      ZeroCopyBuffer nv = next.freeze();
                      try {
                        done.await();
                      } finally {
                        nv.close();
                      }
                    }
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                  go.reset();
                  done.reset();
                }
              });
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (int round = 0; round < rounds; round++) {
                    go.await();
                    ZeroCopyBuffer v = shared.get();
                    Read kind = Read.values()[round % Read.values().length];
                    try {
                      switch (kind) {
                        case TO_BYTE_ARRAY:
                          assertArrayEquals(old, v.toByteArray(), "round " + round);
                          break;
                        case SHA256:
                          assertArrayEquals(oldSha, v.sha256(), "round " + round);
                          break;
                        case WRITE_TO:
                          ByteArrayOutputStream out = new ByteArrayOutputStream();
                          v.writeTo(Channels.newChannel(out));
                          assertArrayEquals(old, out.toByteArray(), "round " + round);
                          break;
                        case GET_BYTES:
                          byte[] dst = new byte[SIZE];
                          v.getBytes(0, dst, 0, SIZE);
                          assertArrayEquals(old, dst, "round " + round);
                          break;
                        default:
                          for (int i = 0; i < SIZE; i += 64) {
                            assertEquals(OLD, v.get(i), "round " + round + " byte " + i);
                          }
                      }
                      completed.incrementAndGet();
                    } catch (ClosedBufferException expected) {
                      refused.incrementAndGet();
                    }
                    done.await();
                  }
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                  go.reset();
                  done.reset();
                }
              });
      closer.start();
      reader.start();
      closer.join();
      reader.join();
      if (failure.get() != null) {
        throw new AssertionError("a read saw another owner's bytes or failed", failure.get());
      }
      assertEquals(rounds, completed.get() + refused.get());
      assertTrue(reused.get() > 0, "the closed view's slab was handed on in some rounds");
      assertEquals(0, pool.snapshot().liveBytes());
    }
  }
}
