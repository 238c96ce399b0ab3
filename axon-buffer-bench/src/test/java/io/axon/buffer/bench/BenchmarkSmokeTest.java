package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Proves the benchmarks are wired (JMH's generated code, the BenchmarkList, the pool under JMH; the
 * media module's kinds and transcoders are found, the setups' own checks pass): a few benchmarks,
 * in this JVM, for a fraction of a second each. It measures nothing worth reading.
 */
class BenchmarkSmokeTest {

  /** Runs the included benchmarks in this JVM: no warm-up, one 200 ms iteration, errors fail. */
  private static Collection<RunResult> runBriefly(ChainedOptionsBuilder options)
      throws RunnerException {
    return new Runner(
            options
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true)
                .build())
        .run();
  }

  @Test
  void oneBenchmarkRunsUnderJmh() throws Exception {
    Collection<RunResult> results =
        runBriefly(
            new OptionsBuilder()
                .include(PoolBenchmark.class.getName() + ".axonAcquireFreezeClose")
                .param("size", "4096"));
    assertEquals(1, results.size());
    double score = results.iterator().next().getPrimaryResult().getScore();
    assertTrue(score > 0 && Double.isFinite(score), "score " + score);
  }

  /**
   * The FFM benchmarks (src/main/java22, built on JDK 22+ only): their setups check that every
   * contender computes the same CRC and inflates the original bytes. Core's segment forms come from
   * its multi-release JAR, which a reactor build puts on this class path from {@code package} on
   * ({@code ./mvnw verify}); from {@code ./mvnw test} core is a classes folder and they are absent.
   */
  @Test
  @EnabledForJreRange(
      min = JRE.JAVA_22,
      disabledReason = "the FFM benchmarks (issue 18) are built on JDK 22+ only")
  void theForeignMemoryBenchmarksRunUnderJmh() throws Exception {
    assumeTrue(
        Class.forName("io.axon.buffer.core.SegmentedBuilder")
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .getPath()
            .endsWith(".jar"),
        "axon-buffer-core is a classes folder here (./mvnw test): its JDK 22 classes need its JAR");
    Collection<RunResult> results =
        runBriefly(
            new OptionsBuilder()
                .include("io.axon.buffer.bench.NativeCrc32Benchmark.zlibInPlace")
                .include("io.axon.buffer.bench.NativeInflateBenchmark.zlibIntoBuilderTail"));
    assertEquals(2, results.size());
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " " + score);
    }
  }

  @Test
  void theTranscoderAndTheRegistryBenchmarksRunUnderJmh() throws Exception {
    Collection<RunResult> results =
        runBriefly(
            new OptionsBuilder()
                .include(MulawDecodeBenchmark.class.getName() + ".axonTranscoder")
                .include(MulawEncodeBenchmark.class.getName() + ".axonTranscoder")
                .include(RegistryDetectBenchmark.class.getName() + ".detect")
                .param("content", "json"));
    assertEquals(3, results.size());
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " " + score);
    }
  }

  /** The resampling contenders convert the same ten minutes into (about) the same output. */
  @Test
  void theResampleContendersProduceTheSameLength() throws Exception {
    ResampleBenchmark b = new ResampleBenchmark();
    b.setUp();
    try {
      int expected = 2 * b.pcm.length;
      assertEquals(expected, b.axonTranscoder());
      assertEquals(expected, b.axonStreaming20msFrames());
      int jdk = b.jdkAudioSystemLinear();
      assertTrue(Math.abs(jdk - expected) <= 64, "the JDK's output: " + jdk + " bytes");
    } finally {
      b.tearDown();
    }
    Collection<RunResult> results =
        runBriefly(
            new OptionsBuilder().include(ResampleBenchmark.class.getName() + ".axonTranscoder"));
    assertEquals(1, results.size());
  }
}
