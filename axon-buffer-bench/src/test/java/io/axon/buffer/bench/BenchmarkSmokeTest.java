package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
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
