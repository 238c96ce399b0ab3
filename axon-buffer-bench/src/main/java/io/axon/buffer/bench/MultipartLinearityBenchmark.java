package io.axon.buffer.bench;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The boundary search is linear: a 1 MiB part of hostile bytes (all dashes, CR LF pairs, lines that
 * are the delimiter but for its last byte) costs at most 3x a 1 MiB part of random bytes. Average
 * time per body (lower is better); compare the rows of one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MultipartLinearityBenchmark {

  @Param({"file1m", "dashes1m", "crlf1m", "crlfDashes1m", "nearBoundary1m", "midMismatch1m"})
  public String body;

  private List<ByteBuffer> chunks;
  private SlabBufferPool pool;
  private BufferAllocator allocator;
  private final MultipartOptions options = MultipartOptions.builder().sniffBytes(0).build();

  @Setup(Level.Trial)
  public void setUp() {
    chunks = MultipartBodies.chunks(MultipartBodies.body(body), 8192);
    pool = SlabBufferPool.builder().name("bench").build();
    allocator = pool.forTenant("bench");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  @Benchmark
  public long parse() {
    long[] size = new long[1];
    AxonBufferException[] error = new AxonBufferException[1];
    MultipartParser parser =
        new MultipartParser(
            MultipartBodies.BOUNDARY,
            allocator,
            options,
            new MultipartListener() {
              @Override
              public void onPart(Part part) {
                size[0] += part.size();
                part.close();
              }

              @Override
              public void onComplete(MultipartSummary summary) {}

              @Override
              public void onError(AxonBufferException e) {
                error[0] = e;
              }
            });
    for (ByteBuffer chunk : chunks) {
      parser.feed(chunk.clear());
    }
    parser.finish();
    if (error[0] != null || size[0] != 1 << 20) {
      throw new IllegalStateException("bad parse: " + error[0] + " " + size[0]);
    }
    return size[0];
  }
}
