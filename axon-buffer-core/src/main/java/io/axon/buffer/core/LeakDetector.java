package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.core.internal.LeakDetection;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leak safety net of one pool: which storages get a {@link java.lang.ref.Cleaner} registration
 * (a {@link Leak}) and a recorded allocation site, and what is done with a leak once found: counted
 * ({@link PoolSnapshot#leaksReclaimed()}, {@link PoolSnapshot#leakedBytes()}), kept among the last
 * {@value #MAX_REPORTS} reports, told to the process's listeners ({@link LeakDetection}) and
 * logged.
 *
 * <p>Registration policy: every storage whose site is traced ({@link LeakTracing}), every storage
 * above {@link PoolClass#MEDIUM}, one {@code SMALL} storage in {@value
 * LeakDetection#SMALL_CLEANER_INTERVAL} and one {@code MEDIUM} storage in {@value
 * LeakDetection#MEDIUM_CLEANER_INTERVAL} per thread, or every one with full reclamation on. A
 * storage left unregistered that leaks is never found: it is never returned to the pool and stays
 * billed to its tenant (its bytes stay counted as live).
 *
 * <p>What it does not do: it returns no memory (the pool releases a reclaimed leak's slab) and
 * never holds a storage or a view.
 *
 * <p>Threading: {@link #watch} and {@link #moved} run on the thread that owns the storage, using
 * its stripe's sampling countdowns; {@link #report} runs on the Cleaner's thread; the reports are
 * guarded by this object's monitor (a leaf lock), the counters are atomic.
 */
final class LeakDetector {

  private static final int MAX_REPORTS = 256;
  private static final int MAX_SITES_ON_CLOSE = 16;
  private static final System.Logger LOG = System.getLogger(SlabBufferPool.class.getName());

  private final String poolName;
  private final LeakTracing tracing;
  private final int smallInterval;
  private final int mediumInterval;
  private final AtomicLong leaksReclaimed = new AtomicLong();
  private final AtomicLong leakedBytes = new AtomicLong();

  @GuardedBy("this")
  private final ArrayDeque<LeakReport> reports = new ArrayDeque<>();

  /**
   * Registrations with a recorded site whose storage is still alive, for {@link
   * #reportAliveOnClose}.
   */
  private final Set<Leak> tracedLive = ConcurrentHashMap.newKeySet();

  LeakDetector(String poolName, LeakTracing tracing, boolean fullReclamation) {
    this.poolName = poolName;
    this.tracing = tracing;
    this.smallInterval = fullReclamation ? 1 : LeakDetection.SMALL_CLEANER_INTERVAL;
    this.mediumInterval = fullReclamation ? 1 : LeakDetection.MEDIUM_CLEANER_INTERVAL;
  }

  LeakTracing tracing() {
    return tracing;
  }

  /** Registers a new storage with the safety net if the policy says so. Owner thread only. */
  void watch(Leases leases, SlabBufferMut m, Stripe s) {
    boolean traced;
    switch (tracing) {
      case ALL:
        traced = true;
        break;
      case SAMPLED:
        traced = s.nextTraceSampled(LeakTracing.SAMPLING_INTERVAL);
        break;
      default:
        traced = false;
    }
    if (!traced && !sampled(m.slab.poolClass, s)) {
      return;
    }
    Leak leak =
        new Leak(
            leases,
            m.tenant,
            traced ? new Throwable("allocated here") : null,
            m.slab,
            m.capacity,
            m.stripe);
    m.leak = leak;
    if (traced) {
      tracedLive.add(leak);
    }
    leak.cleanable = LeakDetection.cleaner().register(m, leak);
  }

  /**
   * A builder moved to a new slab ({@code m.slab}, leased in stripe {@code s}): its registration
   * follows it, and an unregistered one gets the policy's chance again. Owner thread only.
   */
  /** Whether an untraced storage of class {@code c} gets a registration (see the policy above). */
  private boolean sampled(PoolClass c, Stripe s) {
    switch (c) {
      case SMALL:
        return s.nextSmallRegistrationSampled(smallInterval);
      case MEDIUM:
        return s.nextMediumRegistrationSampled(mediumInterval);
      default:
        return true;
    }
  }

  void moved(Leases leases, SlabBufferMut m, Stripe s) {
    Leak leak = m.leak;
    if (leak != null) {
      leak.slab = m.slab;
      leak.capacity = m.capacity;
      leak.stripe = s;
    } else {
      watch(leases, m, s);
    }
  }

  /**
   * A storage is being released normally: its registration must not reclaim it. Returns the
   * registration (null if it had none), for the caller to {@code clean()} once the memory is back.
   */
  Leak released(SlabBufferMut m) {
    Leak leak = m.leak;
    if (leak != null) {
      leak.released = true;
      if (leak.site != null) {
        tracedLive.remove(leak);
      }
    }
    return leak;
  }

  /** The Cleaner found a storage unreachable before it was released: count and report it. */
  void report(Leak leak) {
    if (leak.site != null) {
      tracedLive.remove(leak);
    }
    record(
        new LeakReport(
            poolName,
            leak.slab.poolClass,
            leak.capacity,
            leak.tenant == null ? Optional.empty() : leak.tenant.optionalName,
            Optional.ofNullable(leak.siteText())));
  }

  /** Counts, keeps, publishes and logs one leak. */
  private void record(LeakReport report) {
    leaksReclaimed.incrementAndGet();
    leakedBytes.addAndGet(report.capacity());
    synchronized (this) {
      if (reports.size() == MAX_REPORTS) {
        reports.removeFirst();
      }
      reports.addLast(report);
    }
    LeakDetection.publish(report);
    LOG.log(System.Logger.Level.WARNING, report.describe());
  }

  /**
   * A piece of adopted memory ({@link Buffers#adopt}) became unreachable without {@code close()}:
   * its release ran; count and report it like a pooled storage (no allocation site).
   */
  void reportAdopted(int capacity, Optional<String> tenant) {
    record(
        new LeakReport(
            poolName,
            io.axon.buffer.PoolClass.forCapacity(capacity),
            capacity,
            tenant,
            Optional.empty()));
  }

  /** The most recent leaks found, oldest first. */
  synchronized List<LeakReport> reports() {
    return List.copyOf(reports);
  }

  /** Writes the leak counters into {@code b}. */
  void describe(PoolSnapshot.Builder b) {
    b.leaksReclaimed(leaksReclaimed.get()).leakedBytes(leakedBytes.get());
  }

  /**
   * Logs the buffers still alive when the pool closes ({@code s} is its last snapshot): their count
   * and bytes, and where they were allocated when traced (at most 16 sites). Nothing if none is.
   */
  void reportAliveOnClose(PoolSnapshot s) {
    if (s.liveBytes() == 0) {
      return;
    }
    long buffers = 0;
    for (PoolSnapshot.ClassStats cs : s.classes().values()) {
      buffers += cs.leasedSlabs();
    }
    StringBuilder msg =
        new StringBuilder("pool ")
            .append(poolName)
            .append(" closed with ")
            .append(buffers)
            .append(" buffers (")
            .append(s.liveBytes())
            .append(" bytes) still alive");
    int shown = 0;
    for (Leak leak : tracedLive) {
      if (shown++ == MAX_SITES_ON_CLOSE) {
        msg.append("\n...");
        break;
      }
      msg.append("\none of ")
          .append(leak.capacity)
          .append(" bytes allocated at:\n")
          .append(leak.siteText());
    }
    LOG.log(System.Logger.Level.WARNING, msg.toString());
  }
}
