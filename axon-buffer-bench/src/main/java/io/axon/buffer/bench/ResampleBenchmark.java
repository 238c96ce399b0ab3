package io.axon.buffer.bench;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.kinds.media.MediaKinds;
import io.axon.buffer.kinds.media.Pcm16ResampleTranscoder;
import io.axon.buffer.kinds.media.Pcm16Resampler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
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

/**
 * 8 → 16 kHz of ten minutes of speech (issue 15): {@code samples/hello-8k.wav} repeated to 602 s
 * (174 times, 4,817,712 samples: what {@code sox hello-8k.wav long.wav repeat 173} makes for the
 * sox timing in RESULTS.md), each operation converting all of it.
 *
 * <ul>
 *   <li>{@code axonTranscoder}: the {@code pcm16 → pcm16} rate step, pooled direct memory in, one
 *       pooled output of exactly the result's size out (acquired, filled, frozen, closed).
 *   <li>{@code axonStreaming20msFrames}: the same through one {@link Pcm16Resampler} fed 20 ms
 *       frames (320 bytes) as a WebSocket handler would, each frame's output a pooled buffer of its
 *       own (acquired, filled, frozen, closed): the gateway's steady state.
 *   <li>{@code jdkAudioSystemLinear}: the JDK's {@code AudioSystem} PCM 8 kHz → 16 kHz conversion
 *       (Gervill's {@code AudioFloatFormatConverter}, which {@code isConversionSupported} reports;
 *       its default resampler interpolates linearly), read into a preallocated array.
 *   <li>{@code jdkAudioSystemSinc}: the same asking Gervill for its sinc resampler (the {@code
 *       interpolation=sinc} format property).
 * </ul>
 *
 * The score is the time per ten minutes of audio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ResampleBenchmark {

  static final int FROM = 8000;
  static final int TO = 16000;
  static final int REPEATS = 174;
  static final int FRAME_BYTES = FROM / 50 * 2;

  byte[] pcm;
  byte[] jdkOut;
  SlabBufferPool pool;
  BufferAllocator tenant;
  ZeroCopyBuffer pooledPcm;
  Pcm16ResampleTranscoder transcoder;
  TranscodeOptions options;
  Pcm16Resampler streaming;
  ByteBuffer frames;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] speech = speech();
    pcm = new byte[speech.length * REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      System.arraycopy(speech, 0, pcm, i * speech.length, speech.length);
    }
    pool = SlabBufferPool.create();
    tenant = pool.forTenant("bench");
    pooledPcm = pool.acquire(pcm.length).append(pcm).freeze(MediaKinds.PCM16);
    transcoder = new Pcm16ResampleTranscoder();
    options = TranscodeOptions.none().withRate(FROM).withTargetRate(TO);
    streaming = Pcm16Resampler.create(FROM, TO, 1);
    frames = ByteBuffer.wrap(pcm);
    jdkOut = new byte[2 * pcm.length + 4096];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pooledPcm.close();
    pool.close();
  }

  /** The samples of {@code samples/hello-8k.wav}, found from the working folder up. */
  static byte[] speech() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path wav = dir.resolve("samples/hello-8k.wav");
      if (Files.isRegularFile(wav)) {
        try {
          byte[] b = Files.readAllBytes(wav);
          return java.util.Arrays.copyOfRange(b, 44, b.length); // sox's canonical 44-byte header
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException(
        "samples/hello-8k.wav not found above "
            + Path.of("").toAbsolutePath()
            + ": run from the repository");
  }

  @Benchmark
  public int axonTranscoder() {
    try (ZeroCopyBuffer out = transcoder.transcode(pooledPcm, options, tenant)) {
      return out.length();
    }
  }

  @Benchmark
  public long axonStreaming20msFrames() {
    Pcm16Resampler r = streaming;
    ByteBuffer in = frames;
    long total = 0;
    for (int at = 0; at < pcm.length; at += FRAME_BYTES) {
      in.limit(Math.min(pcm.length, at + FRAME_BYTES)).position(at);
      BufferMut out = tenant.acquire(r.outputBytes(in.remaining()));
      r.process(in, out);
      try (ZeroCopyBuffer o = out.freeze(MediaKinds.PCM16)) {
        total += o.length();
      }
    }
    try (ZeroCopyBuffer tail = r.finish(tenant)) {
      return total + tail.length();
    }
  }

  @Benchmark
  public int jdkAudioSystemLinear() throws IOException {
    return jdk(new AudioFormat(TO, 16, 1, true, false));
  }

  @Benchmark
  public int jdkAudioSystemSinc() throws IOException {
    return jdk(
        new AudioFormat(
            AudioFormat.Encoding.PCM_SIGNED,
            TO,
            16,
            1,
            2,
            TO,
            false,
            Map.of("interpolation", "sinc")));
  }

  private int jdk(AudioFormat target) throws IOException {
    AudioFormat source = new AudioFormat(FROM, 16, 1, true, false);
    AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm), source, pcm.length / 2);
    int total = 0;
    try (AudioInputStream out = AudioSystem.getAudioInputStream(target, in)) {
      int n;
      while ((n = out.read(jdkOut, total, jdkOut.length - total)) > 0) {
        total += n;
      }
    }
    return total;
  }
}
