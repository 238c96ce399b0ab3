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
 * Proves the benchmarks are wired (JMH's generated code, the BenchmarkList, the pool under JMH):
 * one benchmark, in this JVM, for a fraction of a second. It measures nothing worth reading.
 */
class BenchmarkSmokeTest {

  @Test
  void oneBenchmarkRunsUnderJmh() throws Exception {
    Options options = new OptionsBuilder()
        .include(PoolBenchmark.class.getName() + ".axonAcquireFreezeClose")
        .param("size", "4096")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    assertEquals(1, results.size());
    double score = results.iterator().next().getPrimaryResult().getScore();
    assertTrue(score > 0 && Double.isFinite(score), "score " + score);
  }
}
