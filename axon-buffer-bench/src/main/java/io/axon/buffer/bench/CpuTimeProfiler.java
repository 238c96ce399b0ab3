package io.axon.buffer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports CPU time per operation instead of wall time: {@code cpu.time.norm},
 * the CPU time the whole benchmark JVM used during an iteration (benchmark threads, garbage
 * collector, compiler) divided by the operations it ran, and {@code cpu.worker.norm}, the CPU time
 * of the benchmark threads alone per operation. Use it with {@code -prof
 * io.axon.buffer.bench.CpuTimeProfiler}.
 *
 * <p>Why: on a machine shared with other work, wall-time scores mostly measure how often the
 * benchmark thread was descheduled (on this project's 2 shared cores, ratios swung by ±50% with the
 * load average). CPU time is only counted while the thread runs, so it stays close to the quiet
 * machine's figure under load: what remains is the cache and TLB pollution other processes cause.
 * It is not a replacement for a quiet-machine run (it misses time spent waiting for another thread,
 * a lock or I/O, which a contended benchmark must show), but a way to compare two builds, or a pair
 * of implementations, while the machine is busy. {@code cpu.time.norm} includes the collector's
 * work, so allocation is charged to whoever allocates; the difference between the two figures is
 * that work (and the compiler's, which is near zero after warm-up).
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long processBefore;
  private Map<Long, Long> workersBefore = Map.of();

  @Override
  public String getDescription() {
    return "CPU time per operation: whole JVM (cpu.time.norm) and benchmark threads"
        + " (cpu.worker.norm)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    workersBefore = workerCpuTimes();
    processBefore = os.getProcessCpuTime();
  }

  @Override
  public List<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = os.getProcessCpuTime() - processBefore;
    long workers = 0;
    for (Map.Entry<Long, Long> e : workerCpuTimes().entrySet()) {
      workers += e.getValue() - workersBefore.getOrDefault(e.getKey(), 0L);
    }
    double ops = Math.max(1, result.getMetadata().getAllOps());
    return List.of(
        new ScalarResult("cpu.time.norm", process / ops, "ns/op", AggregationPolicy.AVG),
        new ScalarResult("cpu.worker.norm", workers / ops, "ns/op", AggregationPolicy.AVG));
  }

  /** CPU time by thread id of JMH's benchmark threads (named "...-jmh-worker-N"). */
  private Map<Long, Long> workerCpuTimes() {
    Map<Long, Long> times = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          times.put(info.getThreadId(), t);
        }
      }
    }
    return times;
  }
}
