package io.axon.buffer.core.internal;

import io.axon.buffer.core.LeakReport;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The process-wide side of the core's leak safety net: the one {@link Cleaner} whose thread runs
 * every safety-net action of every pool (leaked storages, retired threads' stripes, pools dropped
 * without {@code close()}), the listeners that hear of every leak any pool finds, and a way to wait
 * until the safety net has caught up with the garbage collector.
 *
 * <p>For test harnesses (axon-buffer-testing's {@code LeakGuard}, the core's own tests) that fail a
 * test on leaks it did not cause on purpose. Not public API: this package is exported only to
 * axon-buffer's own modules, and nothing here is needed to use a pool; an application reads leaks
 * from {@link io.axon.buffer.core.SlabBufferPool#leakReports()} and the pool's snapshot.
 */
public final class LeakDetection {

  /**
   * By default one {@code SMALL} storage in this many (per thread) gets the safety net, unless its
   * site is traced or the pool reclaims every leak ({@code
   * SlabBufferPool.Builder.fullLeakReclamation}): registering costs more than the rest of a small
   * acquisition (see the benchmarks' RESULTS.md).
   */
  public static final int SMALL_CLEANER_INTERVAL = 64;

  /**
   * By default one {@code MEDIUM} (64 KiB) storage in this many (per thread) gets the safety net,
   * under the same exceptions as {@link #SMALL_CLEANER_INTERVAL}: a registration (a {@code Cleaner}
   * list insertion and, at close, a removal and a native {@code Reference.clear}) cost about 35 ns,
   * half of a 64 KiB acquisition (see the benchmarks' RESULTS.md). {@code LARGE} and larger
   * storages are always registered.
   */
  public static final int MEDIUM_CLEANER_INTERVAL = 16;

  private static final Cleaner CLEANER = Cleaner.create();

  private static final CopyOnWriteArrayList<Consumer<? super LeakReport>> LISTENERS =
      new CopyOnWriteArrayList<>();

  private LeakDetection() {}

  /**
   * The core's one Cleaner. Its thread runs each pool's safety-net actions; {@link
   * #awaitLeakDetection} waits for it.
   *
   * @return the Cleaner
   */
  public static Cleaner cleaner() {
    return CLEANER;
  }

  /**
   * Calls {@code listener} with every leak any pool of this class loader finds from now on, on the
   * Cleaner's thread: keep it short, never throw (what it throws is logged and ignored).
   *
   * @param listener the listener
   */
  public static void addListener(Consumer<? super LeakReport> listener) {
    LISTENERS.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stops calling a listener added with {@link #addListener}.
   *
   * @param listener the listener
   */
  public static void removeListener(Consumer<? super LeakReport> listener) {
    LISTENERS.remove(listener);
  }

  /**
   * Tells every listener of a leak; for the core's pools.
   *
   * @param report the leak found
   */
  public static void publish(LeakReport report) {
    for (Consumer<? super LeakReport> l : LISTENERS) {
      try {
        l.accept(report);
      } catch (RuntimeException e) {
        System.getLogger(LeakDetection.class.getName())
            .log(System.Logger.Level.WARNING, "leak listener " + l + " threw", e);
      }
    }
  }

  /**
   * Runs the garbage collector and waits until the safety net has processed what it found, so that
   * every storage unreachable now is counted in its pool's snapshot and reported. It costs at least
   * two full collections.
   *
   * @param timeout how long to wait at most
   * @return false if the safety net did not catch up within {@code timeout}
   */
  public static boolean awaitLeakDetection(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Thread[] cleanerThread = new Thread[1];
    // Markers registered with the same Cleaner run on its thread once the collector found them.
    // Its queue is last-in first-out, so a marker may run before storages found by the same
    // collection: after two marker rounds, wait until the Cleaner's thread idles on its empty
    // queue.
    for (int round = 0; round < 2; round++) {
      CountDownLatch ran = new CountDownLatch(1);
      registerMarker(ran, cleanerThread);
      while (ran.getCount() > 0) {
        System.gc();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          ran.await(Math.min(left, 20_000_000L), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    int idleChecks = 0;
    while (idleChecks < 3) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      idleChecks = isIdleOnItsQueue(cleanerThread[0]) ? idleChecks + 1 : 0;
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static void registerMarker(CountDownLatch ran, Thread[] thread) {
    CLEANER.register(
        new Object(),
        () -> {
          thread[0] = Thread.currentThread();
          ran.countDown();
        });
  }

  /** True if {@code t} waits for references on an empty queue (it only waits when empty). */
  private static boolean isIdleOnItsQueue(Thread t) {
    if (t == null || t.getState() != Thread.State.TIMED_WAITING) {
      return false;
    }
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().equals("java.lang.ref.ReferenceQueue")
          && frame.getMethodName().startsWith("remove")) {
        return true;
      }
    }
    return false;
  }
}
