package io.axon.buffer.bench;

import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.kinds.media.MediaKinds;
import io.axon.buffer.kinds.media.MuLaw;
import io.axon.buffer.kinds.media.Pcm16ToMulawTranscoder;
import java.io.IOException;
import java.util.Random;
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

/**
 * μ-law encode of 1 Mi samples (2 MiB of PCM16 in, 1 MiB of codes out), the way back of a voice
 * gateway (speech synthesis to telephony): the {@code pcm16 → mulaw8} transcoder over pooled direct
 * memory into a pooled output, against the JDK's path ({@code AudioSystem} from PCM_SIGNED to ULAW,
 * read into a preallocated array: its fastest use; note that its encoder is wrong at full scale,
 * which costs it nothing here) and against a loop calling the G.191 arithmetic ({@link
 * MuLaw#encode(int)}) per sample from a {@code byte[]} into a {@code byte[]}. The samples are
 * random, so every segment of the law is exercised.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MulawEncodeBenchmark {

  static final int SAMPLES = 1 << 20;

  byte[] pcm;
  byte[] codesOut;
  SlabBufferPool pool;
  ZeroCopyBuffer pooledPcm;
  Pcm16ToMulawTranscoder transcoder;

  @Setup(Level.Trial)
  public void setUp() {
    pcm = new byte[2 * SAMPLES];
    new Random(42).nextBytes(pcm);
    codesOut = new byte[SAMPLES];
    pool = SlabBufferPool.create();
    pooledPcm = pool.acquire(pcm.length).append(pcm).freeze(MediaKinds.PCM16);
    transcoder = new Pcm16ToMulawTranscoder();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pooledPcm.close();
    pool.close();
  }

  /** The transcoder: pooled PCM16 in, pooled μ-law out (acquired, filled, frozen, closed). */
  @Benchmark
  public int axonTranscoder() {
    try (ZeroCopyBuffer codes = transcoder.transcode(pooledPcm, TranscodeOptions.none(), pool)) {
      return codes.length();
    }
  }

  /** The G.191 arithmetic per sample, array to array. */
  @Benchmark
  public byte[] arithmeticLoop() {
    byte[] in = pcm;
    byte[] out = codesOut;
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) MuLaw.encode((in[2 * i] & 0xFF) | in[2 * i + 1] << 8);
    }
    return out;
  }

  /** The JDK: AudioSystem's PCM_SIGNED to μ-law conversion, read into a preallocated array. */
  @Benchmark
  public int jdkAudioSystemIntoArray() throws IOException {
    return JdkAudio.convertInto(pcm, JdkAudio.PCM_SIGNED, JdkAudio.ULAW, codesOut);
  }
}
