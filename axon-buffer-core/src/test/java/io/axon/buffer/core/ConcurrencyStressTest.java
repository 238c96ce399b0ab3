package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Threads acquire, share, slice, retag, compact and close views of common storage at random,
 * handing views to each other through shared slots. Every acquisition stamps its memory with its
 * owner (a unique id spread over the bytes); every time a thread takes a view it checks the stamp,
 * so a slab handed to two owners at once would show the second owner's bytes to the first. The pool
 * itself also stamps each slab with its storage when Java assertions are on (they are under
 * surefire) and fails on a second owner. At the end every view is closed and the pool's live bytes
 * must be 0.
 *
 * <p>By default it runs {@value #DEFAULT_OPERATIONS} operations (a few seconds). For a long run:
 * {@code -Daxon.buffer.stress.seconds=600} (runs for that long instead), or {@code
 * -Daxon.buffer.stress.operations=N}:
 *
 * <pre>{@code
 * ./mvnw -pl axon-buffer-core verify -Dtest=ConcurrencyStressTest -Daxon.buffer.stress.seconds=600
 * }</pre>
 */
class ConcurrencyStressTest {

  static final long DEFAULT_OPERATIONS = 2_000_000;
  private static final int SLOTS = 256;
  private static final String[] TENANTS = {"a", "b", "c", "d"};

  /** A view in a slot, with the owner stamp of its storage and where it starts in the content. */
  private record Held(ZeroCopyBuffer view, long owner, int base) {}

  static byte stamp(long owner, int k) {
    long h = owner * 0x9E3779B97F4A7C15L;
    h ^= h >>> 31;
    return (byte) ((h >>> ((k & 7) << 3)) + (k >>> 3));
  }

  @Test
  void noSlabIsEverHandedToTwoOwnersAndLiveBytesReturnToZero() throws Exception {
    long seconds = Long.getLong("axon.buffer.stress.seconds", 0);
    long operations = Long.getLong("axon.buffer.stress.operations", DEFAULT_OPERATIONS);
    long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
    long budget = seconds > 0 ? Long.MAX_VALUE : operations;
    int threads = 4;
    try (SlabBufferPool pool =
        SlabBufferPool.builder()
            .name("stress")
            .leakTracing(LeakTracing.OFF)
            .maxSlabsPerClass(12)
            .build()) {
      AtomicReferenceArray<Held> slots = new AtomicReferenceArray<>(SLOTS);
      AtomicLong owners = new AtomicLong();
      AtomicLong done = new AtomicLong();
      AtomicLong checks = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread w =
            new Thread(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(42 + id);
                  try {
                    start.await();
                    long local = 0;
                    while (failure.get() == null) {
                      if ((local & 1023) == 0) {
                        long total = done.addAndGet(1024);
                        if (total >= budget || System.nanoTime() > deadline) {
                          break;
                        }
                      }
                      local++;
                      step(pool, rnd, slots, owners, checks);
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "stress-" + t);
        workers.add(w);
        w.start();
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      for (int i = 0; i < SLOTS; i++) {
        Held h = slots.getAndSet(i, null);
        if (h != null) {
          check(h, new SplittableRandom(i), checks);
          h.view().close();
        }
      }
      if (failure.get() != null) {
        throw new AssertionError(
            "stress failed after " + done.get() + " operations", failure.get());
      }
      PoolSnapshot s = pool.snapshot();
      assertEquals(0, s.liveBytes(), () -> "live by tenant: " + s.liveBytesByTenant());
      assertTrue(
          s.liveBytesByTenant().values().stream().allMatch(v -> v == 0),
          s.liveBytesByTenant().toString());
      assertEquals(s.retainedBytes(), s.allocatedBytes());
      assertTrue(
          done.get() >= Math.min(budget, DEFAULT_OPERATIONS) || seconds > 0,
          "ran " + done.get() + " operations");
      assertTrue(checks.get() > done.get() / 4, "stamps were checked: " + checks.get());
      long acquisitions = 0;
      for (PoolClass c : PoolClass.values()) {
        acquisitions += s.of(c).hits() + s.of(c).misses();
      }
      assertTrue(acquisitions > done.get() / 10, "acquisitions: " + acquisitions);
    }
  }

  private static void step(
      SlabBufferPool pool,
      SplittableRandom rnd,
      AtomicReferenceArray<Held> slots,
      AtomicLong owners,
      AtomicLong checks) {
    int r = rnd.nextInt(100);
    int i = rnd.nextInt(SLOTS);
    if (r < 25) {
      put(slots, i, acquire(pool, rnd, owners), rnd, checks);
      return;
    }
    Held h = slots.getAndSet(i, null);
    if (h == null) {
      return;
    }
    check(h, rnd, checks);
    ZeroCopyBuffer v = h.view();
    if (r < 50) {
      int j = rnd.nextInt(SLOTS);
      Held derived;
      int kind = rnd.nextInt(3);
      if (kind == 0 || v.length() == 0) {
        derived = new Held(v.share(), h.owner(), h.base());
      } else if (kind == 1) {
        int from = rnd.nextInt(v.length());
        int to = from + rnd.nextInt(v.length() - from + 1);
        derived = new Held(v.slice(from, to), h.owner(), h.base() + from);
      } else {
        derived = new Held(v.retag(BufferKind.of("pcm16")), h.owner(), h.base());
      }
      put(slots, i, h, rnd, checks);
      put(slots, j, derived, rnd, checks);
    } else if (r < 80) {
      v.close();
    } else if (r < 96) {
      byte[] all = v.toByteArray();
      for (int k = 0; k < all.length; k++) {
        if (all[k] != stamp(h.owner(), h.base() + k)) {
          throw new AssertionError("owner " + h.owner() + " reads another owner's byte at " + k);
        }
      }
      checks.incrementAndGet();
      put(slots, i, h, rnd, checks);
    } else {
      ZeroCopyBuffer compact = v.compact();
      v.close();
      put(slots, i, new Held(compact, h.owner(), h.base()), rnd, checks);
    }
  }

  private static Held acquire(SlabBufferPool pool, SplittableRandom rnd, AtomicLong owners) {
    int r = rnd.nextInt(100);
    int hint =
        r < 75
            ? rnd.nextInt(4097)
            : r < 97 ? 4097 + rnd.nextInt(61440) : 65537 + rnd.nextInt(400_000);
    int length = Math.min(hint, 64 + rnd.nextInt(1500));
    long owner = owners.incrementAndGet();
    byte[] content = new byte[length];
    for (int k = 0; k < length; k++) {
      content[k] = stamp(owner, k);
    }
    try (BufferMut m = pool.acquire(hint, TENANTS[rnd.nextInt(TENANTS.length)])) {
      return new Held(m.append(content).freeze(), owner, 0);
    }
  }

  /** Puts {@code h} into slot {@code i}; whatever it displaces is now ours: check it, close it. */
  private static void put(
      AtomicReferenceArray<Held> slots, int i, Held h, SplittableRandom rnd, AtomicLong checks) {
    Held displaced = slots.getAndSet(i, h);
    if (displaced != null) {
      check(displaced, rnd, checks);
      displaced.view().close();
    }
  }

  private static void check(Held h, SplittableRandom rnd, AtomicLong checks) {
    ZeroCopyBuffer v = h.view();
    int n = v.length();
    for (int s = 0; s < 4 && n > 0; s++) {
      int k = rnd.nextInt(n);
      if (v.get(k) != stamp(h.owner(), h.base() + k)) {
        throw new AssertionError(
            "owner " + h.owner() + " reads another owner's byte at " + k + " of " + v);
      }
    }
    checks.incrementAndGet();
  }
}
