package io.axon.buffer.bench;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * CRC-32 of a 1 MiB pooled direct view (JDK 22+, issue 18): native code reading the pooled memory
 * in place through {@code view.unwrap(MemorySegment.class)}, against {@link CRC32} over the same
 * memory as a direct {@code ByteBuffer} (the JDK's intrinsic), and against copying the view into a
 * {@code byte[]} first (preallocated: the copy's best case). Each native call also unwraps the
 * segment (what a caller pays per call). zlib is the library; libdeflate is a second native
 * peer whose crc32 uses carry-less multiplication as the JDK's intrinsic does, which separates what
 * the call costs from what zlib's algorithm costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeCrc32Benchmark {

  private static final int SIZE = 1 << 20;

  private SlabBufferPool pool;
  private ZeroCopyBuffer view;
  private byte[] copy;

  @Setup
  public void setUp(BenchmarkParams params) throws Throwable {
    boolean libdeflate = NativeLibs.LIBDEFLATE_CRC32 != null;
    if (!libdeflate && params.getBenchmark().endsWith(".libdeflateInPlace")) {
      throw new IllegalStateException("libdeflate.so.0 is not installed: no libdeflate peer");
    }
    byte[] bytes = new byte[SIZE];
    new Random(1).nextBytes(bytes);
    copy = new byte[SIZE];
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    try (BufferMut m = pool.acquire(SIZE, "bench")) {
      view = m.append(bytes).freeze();
    }
    CRC32 expected = new CRC32();
    expected.update(bytes);
    long want = expected.getValue();
    long[] got = {
      zlibInPlace(),
      crc32DirectByteBuffer(),
      copyToByteArrayThenCrc32(),
      copyToByteArrayThenZlib(),
      libdeflate ? libdeflateInPlace() : want
    };
    for (long g : got) {
      if (g != want) {
        throw new IllegalStateException(
            "a contender computed " + Long.toHexString(g) + ", not " + Long.toHexString(want));
      }
    }
  }

  @TearDown
  public void tearDown() {
    view.close();
    pool.close();
  }

  /** zlib's crc32 reading the pooled memory where it lies. */
  @Benchmark
  public long zlibInPlace() throws Throwable {
    MemorySegment s = view.unwrap(MemorySegment.class);
    return (long) NativeLibs.CRC32.invokeExact(0L, s, (int) s.byteSize());
  }

  /** {@code java.util.zip.CRC32} over the view's direct {@code ByteBuffer} (no copy). */
  @Benchmark
  public long crc32DirectByteBuffer() {
    CRC32 crc = new CRC32();
    crc.update(view.unwrap(ByteBuffer.class));
    return crc.getValue();
  }

  /** The view copied into a {@code byte[]}, then {@code java.util.zip.CRC32}. */
  @Benchmark
  public long copyToByteArrayThenCrc32() {
    view.getBytes(0, copy, 0, SIZE);
    CRC32 crc = new CRC32();
    crc.update(copy);
    return crc.getValue();
  }

  /** The view copied into a {@code byte[]}, then zlib's crc32 on the array (critical downcall). */
  @Benchmark
  public long copyToByteArrayThenZlib() throws Throwable {
    view.getBytes(0, copy, 0, SIZE);
    return (long) NativeLibs.CRC32_HEAP.invokeExact(0L, MemorySegment.ofArray(copy), SIZE);
  }

  /** libdeflate's crc32 reading the pooled memory where it lies. */
  @Benchmark
  public long libdeflateInPlace() throws Throwable {
    MemorySegment s = view.unwrap(MemorySegment.class);
    return Integer.toUnsignedLong(
        (int) NativeLibs.LIBDEFLATE_CRC32.invokeExact(0, s, s.byteSize()));
  }
}
