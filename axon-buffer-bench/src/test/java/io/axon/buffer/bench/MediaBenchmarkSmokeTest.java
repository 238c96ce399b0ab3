package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Proves the media benchmarks are wired (the media module's kinds and transcoders are found, the
 * setups' own checks pass): the μ-law transcoders and the registry's detect, in this JVM, for a
 * fraction of a second each. It measures nothing worth reading.
 */
class MediaBenchmarkSmokeTest {

  @Test
  void theTranscoderAndTheRegistryBenchmarksRunUnderJmh() throws Exception {
    Options options = new OptionsBuilder()
        .include(MulawDecodeBenchmark.class.getName() + ".axonTranscoder")
        .include(MulawEncodeBenchmark.class.getName() + ".axonTranscoder")
        .include(RegistryDetectBenchmark.class.getName() + ".detect")
        .param("content", "json")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(3, results.size());
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(score > 0 && Double.isFinite(score), r.getParams().getBenchmark() + " " + score);
    }
  }
}
