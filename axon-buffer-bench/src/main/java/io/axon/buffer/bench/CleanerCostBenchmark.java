package io.axon.buffer.bench;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the leak safety net costs at {@code SMALL}: acquire + freeze + close at 4 KiB with a {@link
 * java.lang.ref.Cleaner} registered for every small storage ({@code fullLeakReclamation=true}) or
 * for one in 64 per thread (the default, {@code false}), on one and on two threads. Compare with
 * {@link PoolBenchmark} and {@link PoolTwoThreadsBenchmark}'s Netty scores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CleanerCostBenchmark {

  @Param({"true", "false"})
  public boolean fullLeakReclamation;

  private SlabBufferPool pool;
  private BufferAllocator tenant;

  @Setup
  public void setUp() {
    pool =
        SlabBufferPool.builder()
            .name("bench")
            .leakTracing(LeakTracing.OFF)
            .fullLeakReclamation(fullLeakReclamation)
            .build();
    tenant = pool.forTenant("bench");
  }

  @TearDown
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  @Threads(1)
  public void oneThread() {
    BufferMut m = tenant.acquire(4096);
    m.freeze().close();
  }

  @Benchmark
  @Threads(2)
  public void twoThreads() {
    BufferMut m = tenant.acquire(4096);
    m.freeze().close();
  }
}
