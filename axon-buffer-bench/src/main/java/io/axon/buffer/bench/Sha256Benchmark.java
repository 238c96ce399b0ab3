package io.axon.buffer.bench;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
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
 * SHA-256 of 1 MiB: a pooled direct view's {@code sha256()} against {@link MessageDigest} over a
 * heap {@code byte[]} holding the same bytes (a fresh digest per operation on both sides).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Sha256Benchmark {

  private static final int SIZE = 1 << 20;

  private SlabBufferPool pool;
  private ZeroCopyBuffer view;
  private byte[] array;

  @Setup
  public void setUp() {
    array = new byte[SIZE];
    new Random(1).nextBytes(array);
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    try (BufferMut m = pool.acquire(SIZE, "bench")) {
      view = m.append(array).freeze();
    }
  }

  @TearDown
  public void tearDown() {
    view.close();
    pool.close();
  }

  @Benchmark
  public byte[] axonSha256() {
    return view.sha256();
  }

  @Benchmark
  public byte[] messageDigestHeapArray() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(array);
  }
}
