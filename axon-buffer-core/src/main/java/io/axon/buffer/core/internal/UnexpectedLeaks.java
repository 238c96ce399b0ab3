package io.axon.buffer.core.internal;

import io.axon.buffer.core.LeakReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The leaks no test declared, collected from every pool of this class loader through {@link
 * LeakDetection}'s listeners: what a leak guard fails on. The one implementation behind the testing
 * artifact's {@code LeakGuard} and the core's own tests' guard (which cannot depend on that
 * artifact); each is JUnit glue over {@link #drain}.
 *
 * <p>Not public API (see the package). Thread-safe: leaks arrive on the safety net's thread.
 */
public final class UnexpectedLeaks {

  /** How long {@link #awaitDetection} waits for the safety net. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final Set<String> EXPECTED = ConcurrentHashMap.newKeySet();
  private static final ConcurrentLinkedQueue<LeakReport> FOUND = new ConcurrentLinkedQueue<>();

  static {
    LeakDetection.addListener(
        r -> {
          if (!EXPECTED.contains(r.pool())) {
            FOUND.add(r);
          }
        });
  }

  private UnexpectedLeaks() {}

  /**
   * Declares that the pool named {@code poolName} leaks on purpose: its leaks are not collected.
   *
   * @param poolName the pool's name
   */
  public static void expectFrom(String poolName) {
    EXPECTED.add(Objects.requireNonNull(poolName, "poolName"));
  }

  /**
   * Runs the garbage collector until the safety net has processed what it found.
   *
   * @throws IllegalStateException if it did not catch up within {@link #WAIT}
   */
  public static void awaitDetection() {
    if (!LeakDetection.awaitLeakDetection(WAIT)) {
      throw new IllegalStateException("the leak safety net did not catch up within " + WAIT);
    }
  }

  /**
   * What a guard drains when a test class (or container) starts: the leaks found since the last
   * check, which no check of the class that caused them saw (the safety net reported them late, or
   * they came from code no guard covers). A guard keeps this and fails the starting class with it
   * at its end, so a late report is blamed late rather than lost.
   *
   * @param who the class that is starting
   * @return a failure message naming the earlier leaks, or null if none
   */
  public static String drainBefore(String who) {
    return drain("an earlier test class or code outside every guard (found before " + who + ")");
  }

  /**
   * Joins what {@link #drainBefore} found when a class started with what {@link #drain} finds at
   * its end.
   *
   * @param before the message {@link #drainBefore} returned, or null
   * @param who what is blamed for the leaks found now
   * @return the failure message, or null if neither found a leak
   */
  public static String drainAfter(String before, String who) {
    String now = drain(who);
    if (before == null) {
      return now;
    }
    return now == null ? before : before + "\n\n" + now;
  }

  /**
   * Waits for the safety net, then takes every undeclared leak found so far.
   *
   * @param who what is blamed in the message (a test's name)
   * @return a failure message naming {@code who} and each leak's report, or null if none
   */
  public static String drain(String who) {
    awaitDetection();
    List<LeakReport> found = new ArrayList<>();
    LeakReport r;
    while ((r = FOUND.poll()) != null) {
      found.add(r);
    }
    if (found.isEmpty()) {
      return null;
    }
    StringBuilder sb =
        new StringBuilder()
            .append(found.size())
            .append(" buffer(s) leaked (dropped without close()) by ")
            .append(who);
    for (LeakReport report : found) {
      sb.append("\n\n").append(report.describe());
    }
    return sb.toString();
  }
}
