package io.axon.buffer.bench;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A derived view and its release: {@code share()}/{@code slice()} + {@code close()} of a pooled 4
 * KiB view against Netty's {@code retainedSlice} + {@code release} of a pooled direct buffer (both
 * hold their own reference), and a plain {@link ByteBuffer#slice} (no reference count) as the
 * floor. The shape that reads ({@link #axonSliceGetClose}: slice, one {@code get}, close, against
 * {@code retainedSlice} + {@code getByte} + {@code release}) is how a slice is used: a slice nobody
 * reads lets the JIT drop work a real one pays for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SliceBenchmark {

  private SlabBufferPool pool;
  private ZeroCopyBuffer view;
  private ByteBuf nettyBuf;
  private ByteBuffer plain;

  @Setup
  public void setUp() {
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    try (BufferMut m = pool.acquire(4096, "bench")) {
      view = m.append(new byte[4096]).freeze();
    }
    nettyBuf = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    nettyBuf.writeBytes(new byte[4096]);
    plain = ByteBuffer.allocateDirect(4096);
  }

  @TearDown
  public void tearDown() {
    view.close();
    nettyBuf.release();
    pool.close();
  }

  @Benchmark
  public void axonShareClose() {
    view.share().close();
  }

  @Benchmark
  public void axonSliceClose() {
    view.slice(16, 1040).close();
  }

  @Benchmark
  public void nettyRetainedSliceRelease() {
    nettyBuf.retainedSlice(16, 1024).release();
  }

  @Benchmark
  public byte axonSliceGetClose() {
    try (ZeroCopyBuffer s = view.slice(16, 1040)) {
      return s.get(0);
    }
  }

  @Benchmark
  public byte nettyRetainedSliceGetByteRelease() {
    ByteBuf s = nettyBuf.retainedSlice(16, 1024);
    try {
      return s.getByte(0);
    } finally {
      s.release();
    }
  }

  @Benchmark
  public ByteBuffer byteBufferSlice() {
    return plain.slice(16, 1024);
  }
}
