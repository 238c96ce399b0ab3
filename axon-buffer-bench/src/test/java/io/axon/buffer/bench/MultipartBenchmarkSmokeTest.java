package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The multipart contenders parse the benchmark bodies alike: each call returns bytes + parts seen,
 * and the three must agree (a peer wired wrong would make the comparison meaningless). No timing.
 */
class MultipartBenchmarkSmokeTest {

  @ParameterizedTest
  @ValueSource(strings = {"file1m", "fields100", "dashes1m"})
  void everyContenderSeesTheSamePartsAndBytes(String body) throws Exception {
    MultipartParseBenchmark b = new MultipartParseBenchmark();
    b.body = body;
    b.setUp();
    try {
      long axon = b.axon();
      Blackhole bh =
          new Blackhole(
              "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
      assertEquals(axon, b.axonNoSniffing());
      assertEquals(axon, b.jetty(), "jetty");
      assertEquals(axon, b.fileUpload(bh), "fileupload");
      bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"file1m", "dashes1m", "crlf1m", "crlfDashes1m", "nearBoundary1m", "midMismatch1m"})
  void linearityBodiesParseToOneMebibytePart(String body) throws Exception {
    MultipartLinearityBenchmark b = new MultipartLinearityBenchmark();
    b.body = body;
    b.setUp();
    try {
      assertEquals(1 << 20, b.parse());
    } finally {
      b.tearDown();
    }
  }
}
