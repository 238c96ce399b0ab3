package io.axon.buffer.testing;

import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.core.LeakReport;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.core.internal.UnexpectedLeaks;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on pools for tests: that every buffer of an operation went back (live bytes return to
 * 0), and that nothing leaked (storage dropped without {@code close()}).
 *
 * <p>Use from a module's tests with {@code io.axon.buffer:axon-buffer-testing} in scope {@code
 * test}.
 */
public final class PoolAssertions {

  private PoolAssertions() {}

  /**
   * Fails unless {@code pool} has no live bytes: every builder and view taken from it was closed.
   * The message lists the live bytes per size class and per tenant.
   */
  public static void assertNoLiveBytes(BufferPool pool) {
    PoolSnapshot s = pool.snapshot();
    if (s.liveBytes() != 0) {
      throw new AssertionFailedError(
          "expected no live bytes in " + pool + " but " + describeLive(s), 0L, s.liveBytes());
    }
  }

  /** The live bytes of a snapshot, per class and per tenant, for failure messages. */
  public static String describeLive(PoolSnapshot s) {
    StringBuilder sb = new StringBuilder().append(s.liveBytes()).append(" bytes are live");
    for (PoolClass c : PoolClass.values()) {
      PoolSnapshot.ClassStats cs = s.of(c);
      if (cs.leasedSlabs() != 0) {
        sb.append("; ")
            .append(c)
            .append(": ")
            .append(cs.leasedSlabs())
            .append(" buffers, ")
            .append(cs.leasedBytes())
            .append(" bytes");
      }
    }
    if (!s.liveBytesByTenant().isEmpty()) {
      sb.append("; by tenant: ").append(s.liveBytesByTenant());
    }
    return sb.toString();
  }

  /**
   * Runs the garbage collector, waits for the leak safety net, and fails if {@code pool} found any
   * leak, naming each one's allocation site when leak tracing recorded it.
   */
  public static void assertNoLeaks(SlabBufferPool pool) {
    awaitLeakDetection();
    List<LeakReport> reports = pool.leakReports();
    long leaks = pool.snapshot().leaksReclaimed();
    if (leaks != 0) {
      StringBuilder sb = new StringBuilder().append(leaks).append(" leak(s) in ").append(pool);
      for (LeakReport r : reports) {
        sb.append("\n\n").append(r.describe());
      }
      throw new AssertionFailedError(sb.toString());
    }
  }

  /**
   * {@link #assertNoLiveBytes} then {@link #assertNoLeaks}: a pool whose buffers were all closed,
   * none dropped.
   */
  public static void assertClean(SlabBufferPool pool) {
    assertNoLiveBytes(pool);
    assertNoLeaks(pool);
  }

  /** Runs the garbage collector until the leak safety net has processed what it found. */
  public static void awaitLeakDetection() {
    try {
      UnexpectedLeaks.awaitDetection();
    } catch (IllegalStateException late) {
      throw new AssertionFailedError(late.getMessage());
    }
  }
}
