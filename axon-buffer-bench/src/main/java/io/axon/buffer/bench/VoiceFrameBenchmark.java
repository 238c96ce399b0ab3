package io.axon.buffer.bench;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.WebSocketFrame;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import io.axon.buffer.kinds.media.Pcm16Resampler;
import io.axon.buffer.spi.BufferTranscoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One 20 ms frame of a voice call through the steady-state path of {@code serve}'s {@code GET
 * /stream} (issue 15), without the network: 160 bytes of μ-law ({@code samples/hello-8k.ul}, frame
 * after frame) arrive in a direct buffer standing for Jetty's network buffer, are taken into the
 * call's message accumulator, decoded by the {@code mulaw8 → pcm16} transcoder and resampled to 16
 * kHz by the call's {@link Pcm16Resampler}; the 640 bytes out are read (as a sink would) and
 * closed.
 *
 * <ul>
 *   <li>{@code adoptedFrame}: the frame's payload adopted as a billed view (what {@code serve} does
 *       with a Jetty frame: no copy).
 *   <li>{@code copiedFrame}: the payload copied once into pooled memory ({@code accept(fin, rsv,
 *       opcode, ByteBuffer)}, what a host without adoption does).
 * </ul>
 *
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the heap allocated per frame (view
 * objects and the like; the audio itself is in pooled direct memory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class VoiceFrameBenchmark {

  static final int FRAME = 160;
  static final BufferKind MULAW8 = BufferKind.of("mulaw8");

  SlabBufferPool pool;
  BufferAllocator tenant;
  BufferTranscoder decode;
  Pcm16Resampler up;
  WebSocketMessageAccumulator accumulator;
  ByteBuffer network;
  int frames;
  int next;
  Blackhole sink;
  final Runnable released = () -> {};

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    byte[] ul = mulaw();
    frames = ul.length / FRAME;
    network = ByteBuffer.allocateDirect(frames * FRAME).put(ul, 0, frames * FRAME).flip();
    pool = SlabBufferPool.builder().name("voice-bench").build();
    tenant = pool.forTenant("acme");
    decode = Transcoders.global().direct(MULAW8, BufferKind.of("pcm16")).orElseThrow();
    up = Pcm16Resampler.create(8000, 16000, 1);
    sink = bh;
    accumulator = new WebSocketMessageAccumulator(tenant, 64 * 1024, MULAW8, this::audio);
  }

  void audio(ZeroCopyBuffer mulaw) {
    try (mulaw;
        ZeroCopyBuffer pcm = decode.transcode(mulaw, TranscodeOptions.none(), tenant);
        ZeroCopyBuffer out = up.process(pcm, tenant)) {
      sink.consume(out.get(out.length() - 1));
    }
  }

  /** {@code samples/hello-8k.ul}, found from the working folder up. */
  static byte[] mulaw() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path ul = dir.resolve("samples/hello-8k.ul");
      if (Files.isRegularFile(ul)) {
        try {
          return Files.readAllBytes(ul);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("samples/hello-8k.ul not found: run from the repository");
  }

  private ByteBuffer nextPayload() {
    int at = next * FRAME;
    next = next + 1 == frames ? 0 : next + 1;
    return network.slice(at, FRAME);
  }

  @Benchmark
  public void adoptedFrame() {
    ZeroCopyBuffer view = tenant.adopt(MULAW8, List.of(nextPayload()), released);
    accumulator.accept(new WebSocketFrame(true, 0, WebSocketFrame.BINARY, view));
  }

  @Benchmark
  public void copiedFrame() {
    accumulator.accept(true, 0, WebSocketFrame.BINARY, nextPayload());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    accumulator.close();
    long live = pool.snapshot().liveBytes();
    pool.close();
    if (live != 0) {
      throw new IllegalStateException(live + " bytes still live after the run");
    }
  }
}
