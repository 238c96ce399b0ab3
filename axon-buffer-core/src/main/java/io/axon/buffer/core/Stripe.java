package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * One thread's share of a pool: the lock that guards it, and the thread's part of each job: its
 * {@link Magazines} of free slabs (the slab cache's), its {@link PoolCounters}, its {@link
 * TenantCell}s (the tenant ledger's), and its leak-sampling countdowns (the leak detector's).
 *
 * <p>Only the owning thread acquires and releases through its stripe, so the lock is uncontended on
 * the hot path: one compare-and-set on a cache line no other thread writes. It exists so that,
 * rarely, another thread can take a consistent picture of every stripe ({@link
 * SlabBufferPool#snapshot()}), empty them ({@link SlabBufferPool#trim()}), revoke a tenant's
 * budgets, or retire the stripe of a thread that ended. It is a {@link Lock} so that every use
 * reads {@code lock(); try { ... } finally { unlock(); }}, which Error Prone's GuardedBy analysis
 * checks against the {@code @GuardedBy("this")} fields below.
 *
 * <p>What it does not do: it is not reentrant, has no conditions ({@link #newCondition()} throws)
 * and is not fair: a waiter spins, then yields. It decides nothing about slabs, tenants or leaks.
 *
 * <p>Threading: the owner calls {@link #lock()}; administrators call {@link #lockAdmin()} (both
 * exclude every other holder, the mode only says who holds it). An owner never waits for another
 * lock of the pool while holding its stripe, and administrators never wait for an owner's stripe
 * while an owner could be waiting for theirs, so the two kinds of holders cannot deadlock (the
 * order of all locks is in {@link SlabBufferPool}'s "Locking" section).
 */
final class Stripe implements Lock {

  private static final int FREE = 0;
  private static final int OWNER = 1;
  private static final int ADMIN = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Stripe.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through STATE
  private volatile int state;

  /** Dense index, for {@link Tenant}'s cells; reused after retirement. */
  final int index;

  /** The owning thread's id (ids are never reused by the JVM). */
  final long threadId;

  @GuardedBy("this")
  final PoolCounters counters = new PoolCounters();

  @GuardedBy("this")
  final Magazines magazines = new Magazines();

  /** The cells of the tenants this thread billed (for retirement and eviction). */
  @GuardedBy("this")
  final ArrayList<TenantCell> cells = new ArrayList<>();

  // Owner-only countdowns of the leak detector's sampling: no lock, no other reader.
  private int traceCount;
  private int smallRegistrationCountdown;
  private int mediumRegistrationCountdown;

  /** The registration that retires this stripe when its thread ends (set once, when created). */
  volatile Cleaner.Cleanable threadCleanable;

  /** Set under the registry's admin lock and this lock when the thread ended. */
  volatile boolean retired;

  Stripe(int index, long threadId) {
    this.index = index;
    this.threadId = threadId;
  }

  /** Owner: takes the lock (uncontended unless an administrator holds it). */
  @Override
  public void lock() {
    if (!STATE.compareAndSet(this, FREE, OWNER)) {
      spinUntil(OWNER);
    }
  }

  /** Administrator: takes the lock, waiting for the owner to finish its operation. */
  void lockAdmin() {
    if (!STATE.compareAndSet(this, FREE, ADMIN)) {
      spinUntil(ADMIN);
    }
  }

  @Override
  public void unlock() {
    STATE.setRelease(this, FREE);
  }

  @Override
  public boolean tryLock() {
    return STATE.compareAndSet(this, FREE, OWNER);
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(time);
    int spins = 0;
    while (!tryLock()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      spins = pause(spins);
    }
    return true;
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    int spins = 0;
    while (!tryLock()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      spins = pause(spins);
    }
  }

  /**
   * Not supported: nothing waits for a condition under a stripe's lock.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("a stripe's lock has no conditions");
  }

  private void spinUntil(int mode) {
    int spins = 0;
    while (!STATE.compareAndSet(this, FREE, mode)) {
      spins = pause(spins);
    }
  }

  @SuppressWarnings("ThreadPriorityCheck") // a spin lock's back-off, after 64 busy spins
  private static int pause(int spins) {
    if (spins < 64) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
    return spins + 1;
  }

  /** Owner only: true once in {@code interval} calls (a power of two), for sampled leak tracing. */
  boolean nextTraceSampled(int interval) {
    return (++traceCount & (interval - 1)) == 0;
  }

  /** Owner only: true once in {@code interval} small storages, starting with the first. */
  boolean nextSmallRegistrationSampled(int interval) {
    if (--smallRegistrationCountdown > 0) {
      return false;
    }
    smallRegistrationCountdown = interval;
    return true;
  }

  /** Owner only: true once in {@code interval} medium storages, starting with the first. */
  boolean nextMediumRegistrationSampled(int interval) {
    if (--mediumRegistrationCountdown > 0) {
      return false;
    }
    mediumRegistrationCountdown = interval;
    return true;
  }

  @Override
  public String toString() {
    return "Stripe[" + index + ", thread " + threadId + (retired ? ", retired" : "") + "]";
  }
}
