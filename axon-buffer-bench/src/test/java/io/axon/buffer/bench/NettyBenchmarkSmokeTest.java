package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Netty benchmarks' contenders do the same work: the handler and Netty's decoder see the same
 * parts and bytes of each body; both writes run on each channel and give every buffer back (their
 * tear-downs check the pool). No timing.
 */
class NettyBenchmarkSmokeTest {

  private static Blackhole blackhole() {
    return new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file1m", "fields100", "dashes1m"})
  void theHandlerAndNettysDecoderSeeTheSamePartsAndBytes(String body) {
    NettyMultipartBenchmark b = new NettyMultipartBenchmark();
    b.body = body;
    b.setUp();
    try {
      Blackhole bh = blackhole();
      long axon = b.axon(bh);
      assertTrue(axon > 0, "parts were seen");
      assertEquals(axon, b.nettyPostRequestDecoder(bh), "Netty's decoder");
      assertEquals(axon, b.axon(bh), "a second upload on the same channel");
      assertEquals(axon, b.nettyPostRequestDecoder(bh), "a second upload on the same channel");
      bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    } finally {
      b.tearDown();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "plain64k, socket",
    "composite1m, socket",
    "plain1m, embedded",
    "composite1m, embedded"
  })
  void bothWritesRunAndGiveEveryBufferBack(String shape, String sink) throws Exception {
    NettyWriteBenchmark b = new NettyWriteBenchmark();
    b.shape = shape;
    b.sink = sink;
    b.setUp();
    try {
      for (int i = 0; i < 20; i++) {
        b.axonView();
        b.nettyPooled();
      }
    } finally {
      b.tearDown();
    }
  }
}
