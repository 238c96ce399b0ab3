package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The multipart contenders parse the benchmark bodies alike: each part's SHA-256, in order, must be
 * the same for the three parsers (a peer wired wrong would make the comparison meaningless), and
 * each benchmark call's count of bytes + parts too. No timing.
 */
class MultipartBenchmarkSmokeTest {

  @ParameterizedTest
  @ValueSource(strings = {"file1m", "fields100", "dashes1m"})
  void everyContenderSeesTheSamePartsAndBytes(String body) throws Exception {
    MultipartParseBenchmark b = new MultipartParseBenchmark();
    b.body = body;
    b.setUp();
    try {
      Blackhole bh =
          new Blackhole(
              "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
      List<List<String>> digests = b.partDigests(bh);
      List<String> axon = digests.get(0);
      assertEquals(body.equals("fields100") ? 100 : 1, axon.size(), "parts seen by axon");
      assertEquals(axon, digests.get(1), "Jetty: each part's SHA-256, in order");
      assertEquals(axon, digests.get(2), "FileUpload: each part's SHA-256, in order");
      long whole = b.axon();
      assertEquals(whole, b.axonNoSniffing());
      assertEquals(whole, b.jetty(), "jetty");
      assertEquals(whole, b.fileUpload(bh), "fileupload");
      assertEquals(
          MultipartBodies.body(body).length, b.copyBaseline(), "the baseline copies every byte");
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
