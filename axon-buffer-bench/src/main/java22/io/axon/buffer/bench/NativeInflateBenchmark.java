package io.axon.buffer.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SegmentedBuilder;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
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
 * Inflating a zlib stream of 1 MiB (half text, half noise) that sits in a pooled view into a new
 * pooled view, billed to a tenant (JDK 22+, issue 18). Every contender reads the compressed view in
 * place and writes through the same {@link SegmentedBuilder} (same pieces), then freezes and closes
 * the result:
 *
 * <ul>
 *   <li>{@link #zlibIntoBuilderTail}: zlib's {@code inflate} through FFM writing straight into the
 *       builder's tail ({@code writableTail(1, MemorySegment.class)}), the builder committing what
 *       it wrote: the bytes land once;
 *   <li>{@link #inflaterIntoHeapThenCopy}: {@link Inflater} into a 64 KiB heap array, each chunk
 *       then appended (copied) into pooled memory: the usual way without a tail;
 *   <li>{@link #inflaterIntoBuilderTail}: {@link Inflater#inflate(ByteBuffer)} straight into the
 *       tail as a {@code ByteBuffer}: the Java 17 path that also lands the bytes once.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeInflateBenchmark {

  private static final int SIZE = 1 << 20;

  private SlabBufferPool pool;
  private BufferAllocator tenant;
  private ZeroCopyBuffer compressed;
  private Arena arena;
  private MemorySegment strm;
  private Inflater inflater;
  private byte[] chunk;

  @Setup
  public void setUp() throws Throwable {
    byte[] original = content();
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    tenant = pool.forTenant("bench");
    byte[] deflated = deflate(original);
    try (BufferMut m = pool.acquire(deflated.length, "bench")) {
      compressed = m.append(deflated).freeze();
    }
    arena = Arena.ofConfined();
    strm = NativeLibs.inflateInit(arena);
    inflater = new Inflater();
    chunk = new byte[64 * 1024];
    check("zlib", zlib(), original);
    check("Inflater into heap", inflaterHeap(), original);
    check("Inflater into the tail", inflaterTail(), original);
  }

  private static void check(String contender, ZeroCopyBuffer out, byte[] original) {
    try (out) {
      if (!Arrays.equals(out.toByteArray(), original)) {
        throw new IllegalStateException(contender + " did not inflate the original bytes");
      }
    }
  }

  @TearDown
  public void tearDown() throws Throwable {
    int rc = (int) NativeLibs.INFLATE_END.invokeExact(strm);
    arena.close();
    inflater.end();
    compressed.close();
    pool.close();
    if (rc != NativeLibs.Z_OK) {
      throw new IllegalStateException("inflateEnd returned " + rc);
    }
  }

  @Benchmark
  public int zlibIntoBuilderTail() throws Throwable {
    try (ZeroCopyBuffer out = zlib()) {
      return out.length();
    }
  }

  @Benchmark
  public int inflaterIntoHeapThenCopy() throws DataFormatException {
    try (ZeroCopyBuffer out = inflaterHeap()) {
      return out.length();
    }
  }

  @Benchmark
  public int inflaterIntoBuilderTail() throws DataFormatException {
    try (ZeroCopyBuffer out = inflaterTail()) {
      return out.length();
    }
  }

  private ZeroCopyBuffer zlib() throws Throwable {
    int rc = (int) NativeLibs.INFLATE_RESET.invokeExact(strm);
    if (rc != NativeLibs.Z_OK) {
      throw new IllegalStateException("inflateReset returned " + rc);
    }
    MemorySegment input = compressed.unwrap(MemorySegment.class);
    strm.set(ADDRESS, NativeLibs.NEXT_IN, input);
    strm.set(JAVA_INT, NativeLibs.AVAIL_IN, (int) input.byteSize());
    try (SegmentedBuilder out = new SegmentedBuilder(tenant)) {
      do {
        MemorySegment tail = out.writableTail(1, MemorySegment.class);
        int room = (int) tail.byteSize();
        strm.set(ADDRESS, NativeLibs.NEXT_OUT, tail);
        strm.set(JAVA_INT, NativeLibs.AVAIL_OUT, room);
        rc = (int) NativeLibs.INFLATE.invokeExact(strm, NativeLibs.Z_NO_FLUSH);
        if (rc != NativeLibs.Z_OK && rc != NativeLibs.Z_STREAM_END) {
          throw new IllegalStateException("inflate returned " + rc);
        }
        out.commit(room - strm.get(JAVA_INT, NativeLibs.AVAIL_OUT));
      } while (rc != NativeLibs.Z_STREAM_END);
      return out.freeze();
    }
  }

  private ZeroCopyBuffer inflaterHeap() throws DataFormatException {
    inflater.reset();
    inflater.setInput(compressed.unwrap(ByteBuffer.class));
    try (SegmentedBuilder out = new SegmentedBuilder(tenant)) {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && inflater.needsInput()) {
          throw new IllegalStateException("truncated stream");
        }
        out.append(chunk, 0, n);
      }
      return out.freeze();
    }
  }

  private ZeroCopyBuffer inflaterTail() throws DataFormatException {
    inflater.reset();
    inflater.setInput(compressed.unwrap(ByteBuffer.class));
    try (SegmentedBuilder out = new SegmentedBuilder(tenant)) {
      while (!inflater.finished()) {
        ByteBuffer tail = out.writableTail(1);
        int n = inflater.inflate(tail);
        if (n == 0 && inflater.needsInput()) {
          throw new IllegalStateException("truncated stream");
        }
        out.commit(n);
      }
      return out.freeze();
    }
  }

  /** Deterministic content: 4 KiB blocks of text alternating with 4 KiB blocks of noise. */
  private static byte[] content() {
    SplittableRandom random = new SplittableRandom(1);
    byte[] text = "the quick brown fox jumps over the lazy dog; ".getBytes();
    byte[] out = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      out[i] = (i / 4096) % 2 == 0 ? text[i % text.length] : (byte) random.nextInt(256);
    }
    return out;
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater();
    deflater.setInput(bytes);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }
}
