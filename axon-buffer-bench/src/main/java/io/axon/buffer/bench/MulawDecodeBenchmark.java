package io.axon.buffer.bench;

import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.kinds.media.MediaKinds;
import io.axon.buffer.kinds.media.MuLaw;
import io.axon.buffer.kinds.media.MulawToPcm16Transcoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * μ-law decode of 1 MiB (issue 4): the {@code mulaw8 → pcm16} transcoder over pooled direct memory
 * into a pooled output, against the JDK's path ({@code AudioSystem} to PCM_SIGNED, read all, two
 * ways) and against a plain 256-entry lookup loop from a {@code byte[]} into a {@code byte[]}. Each
 * operation decodes the whole MiB; the score is the time per MiB (1 MiB / score = input bytes per
 * second). The JDK is measured two ways: read with {@code readAllBytes()} and read straight into a
 * preallocated array (its fastest use).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MulawDecodeBenchmark {

  static final int SIZE = 1 << 20;

  byte[] codes;
  byte[] pcmOut;
  short[] table;
  SlabBufferPool pool;
  ZeroCopyBuffer pooledCodes;
  MulawToPcm16Transcoder transcoder;

  @Setup(Level.Trial)
  public void setUp() {
    codes = new byte[SIZE];
    new Random(42).nextBytes(codes);
    pcmOut = new byte[2 * SIZE];
    table = new short[256];
    for (int i = 0; i < 256; i++) {
      table[i] = MuLaw.decode(i);
    }
    pool = SlabBufferPool.create();
    pooledCodes = pool.acquire(SIZE).append(codes).freeze(MediaKinds.MULAW8);
    transcoder = new MulawToPcm16Transcoder();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pooledCodes.close();
    pool.close();
  }

  /** The transcoder: pooled μ-law in, pooled PCM16 out (acquired, filled, frozen, closed). */
  @Benchmark
  public int axonTranscoder() {
    try (ZeroCopyBuffer pcm = transcoder.transcode(pooledCodes, TranscodeOptions.none(), pool)) {
      return pcm.length();
    }
  }

  /** The codec alone, array to array. */
  @Benchmark
  public byte[] axonMuLawArrays() {
    MuLaw.decode(codes, 0, pcmOut, 0, SIZE);
    return pcmOut;
  }

  /** A plain 256-entry lookup loop from a byte[] into a byte[]: the speed of light. */
  @Benchmark
  public byte[] lookupLoop() {
    short[] t = table;
    byte[] in = codes;
    byte[] out = pcmOut;
    for (int i = 0; i < in.length; i++) {
      short s = t[in[i] & 0xFF];
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }

  /**
   * The JDK: AudioSystem's μ-law to PCM_SIGNED conversion, read with {@code readAllBytes()} (the
   * literal "read all": the stream sizes and grows its own array).
   */
  @Benchmark
  public byte[] jdkAudioSystemReadAllBytes() throws IOException {
    AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(codes), JdkAudio.ULAW, SIZE);
    try (AudioInputStream pcm = AudioSystem.getAudioInputStream(JdkAudio.PCM_SIGNED, in)) {
      return pcm.readAllBytes();
    }
  }

  /**
   * The JDK at its fastest: the same conversion read straight into a preallocated 2 MiB array (no
   * growth, no copy of the result).
   */
  @Benchmark
  public int jdkAudioSystemIntoArray() throws IOException {
    return JdkAudio.convertInto(codes, JdkAudio.ULAW, JdkAudio.PCM_SIGNED, pcmOut);
  }
}
