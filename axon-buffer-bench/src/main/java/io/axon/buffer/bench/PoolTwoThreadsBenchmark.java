package io.axon.buffer.bench;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire + freeze + close at 4 KiB on two threads sharing one pool and one tenant (the contended
 * case: both threads bill the same tenant), against Netty's pooled allocator on two threads. Scores
 * are per operation per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class PoolTwoThreadsBenchmark {

  private static final int SIZE = 4096;

  private SlabBufferPool pool;
  private BufferAllocator tenant;
  private final ByteBufAllocator netty = PooledByteBufAllocator.DEFAULT;

  @Setup
  public void setUp() {
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    tenant = pool.forTenant("bench");
  }

  @TearDown
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public void axonAcquireFreezeClose() {
    BufferMut m = tenant.acquire(SIZE);
    m.freeze().close();
  }

  @Benchmark
  public void nettyDirectAllocateRelease() {
    ByteBuf b = netty.directBuffer(SIZE);
    b.release();
  }

  @Benchmark
  public void nettyHeapAllocateRelease() {
    ByteBuf b = netty.heapBuffer(SIZE);
    b.release();
  }
}
