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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acquire + freeze + close of a pooled buffer, billed to a tenant, against Netty's pooled allocator
 * (4.1 defaults: {@link PooledByteBufAllocator#DEFAULT}) allocating and releasing a direct buffer
 * of the same size, on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolBenchmark {

  @Param({"256", "4096", "65536", "1048576"})
  public int size;

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
    BufferMut m = tenant.acquire(size);
    m.freeze().close();
  }

  @Benchmark
  public void nettyDirectAllocateRelease() {
    ByteBuf b = netty.directBuffer(size);
    b.release();
  }
}
