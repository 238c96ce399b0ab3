package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The WebFlux endpoints of {@link SpringUploadBenchmark} see the same parts and bytes of each body
 * over 127.0.0.1 (an endpoint wired wrong would make the comparison meaningless), and the pooled
 * one gives every byte back (its tear-down fails otherwise). No timing.
 */
class SpringUploadBenchmarkSmokeTest {

  @ParameterizedTest
  @CsvSource({"file1m, 1 parts 1048576", "fields100, 100 parts"})
  void bothReadersSeeTheSamePartsAndBytes(String body, String expected) throws Exception {
    SpringUploadBenchmark bench = new SpringUploadBenchmark();
    SpringUploadBenchmark.Body b = new SpringUploadBenchmark.Body();
    b.body = body;
    b.setUp();
    SpringUploadBenchmark.Axon axon = new SpringUploadBenchmark.Axon();
    SpringUploadBenchmark.SpringDefault spring = new SpringUploadBenchmark.SpringDefault();
    SpringUploadBenchmark.Floor floor = new SpringUploadBenchmark.Floor();
    axon.setUp();
    spring.setUp();
    floor.setUp(b);
    try {
      for (int i = 0; i < 3; i++) {
        String seen = bench.axon(b, axon);
        assertTrue(seen.startsWith(expected), seen);
        assertEquals(seen, bench.springDefault(b, spring));
        assertEquals("body " + b.bytes.length, bench.transportOnly(b, spring));
        assertEquals(seen, bench.readerFloor(b, floor));
      }
    } finally {
      floor.tearDown();
      spring.tearDown();
      axon.tearDown();
    }
  }
}
