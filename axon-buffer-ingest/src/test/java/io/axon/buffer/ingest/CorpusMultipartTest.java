package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every corpus body gives exactly its manifest's parts, however it is cut. */
class CorpusMultipartTest {

  private static SlabBufferPool pool;
  private static SlabBufferPool heapPool;

  @BeforeAll
  static void pools() {
    pool = TestPools.newPool();
    heapPool = TestPools.newHeapPool();
  }

  @AfterAll
  static void closePools() {
    TestPools.assertNoLiveBytes(pool, "the corpus");
    TestPools.assertNoLiveBytes(heapPool, "the corpus (heap pool)");
    pool.close();
    heapPool.close();
  }

  @TestFactory
  Stream<DynamicTest> everyBodyGivesItsManifestParts() {
    List<DynamicTest> tests = new ArrayList<>();
    List<Corpus.Body> bodies = Corpus.multipartBodies();
    assertEquals(16, bodies.size(), "corpus bodies");
    for (Corpus.Body body : bodies) {
      tests.add(
          DynamicTest.dynamicTest(
              body.name() + " whole",
              () -> check(body, new int[0], false, MultipartOptions.defaults(), pool)));
      tests.add(
          DynamicTest.dynamicTest(
              body.name() + " byte by byte",
              () ->
                  check(
                      body,
                      Bodies.everyByte(body.bytes().length),
                      false,
                      MultipartOptions.defaults(),
                      pool)));
      for (int seed = 1; seed <= 5; seed++) {
        int s = seed;
        tests.add(
            DynamicTest.dynamicTest(
                body.name() + " random chunks, seed " + seed,
                () -> {
                  Random random = new Random(s * 31L + body.name().hashCode());
                  int max = s <= 2 ? 64 : s == 3 ? 8192 : 100_000;
                  check(
                      body,
                      Bodies.randomCuts(random, body.bytes().length, max),
                      s % 2 == 0,
                      MultipartOptions.defaults(),
                      s == 5 ? heapPool : pool);
                }));
      }
      tests.add(
          DynamicTest.dynamicTest(
              body.name() + " lenient, 8 KiB chunks",
              () ->
                  check(
                      body,
                      fixed(body.bytes().length, 8192),
                      false,
                      MultipartOptions.builder().lenientLineEndings(true).build(),
                      pool)));
    }
    return tests.stream();
  }

  private static int[] fixed(int length, int chunk) {
    int n = Math.max(0, (length - 1) / chunk);
    int[] cuts = new int[n];
    for (int i = 0; i < n; i++) {
      cuts[i] = (i + 1) * chunk;
    }
    return cuts;
  }

  private static void check(
      Corpus.Body body, int[] cuts, boolean direct, MultipartOptions options, SlabBufferPool pool)
      throws Exception {
    Recorder r = new Recorder();
    String boundary = MultipartParser.boundaryOf(body.contentType());
    Bodies.feed(
        new MultipartParser(boundary, pool.forTenant("corpus"), options, r),
        body.bytes(),
        cuts,
        direct);
    try {
      assertNull(r.error, () -> body.name() + ": " + r.error);
      assertEquals(1, r.terminals);
      assertEquals(body.partCount(), r.summary.parts(), body.name());
      assertEquals(body.preambleBytes(), r.summary.preambleBytes(), body.name() + " preamble");
      assertEquals(body.epilogueBytes(), r.summary.epilogueBytes(), body.name() + " epilogue");
      assertEquals(body.bytes().length, r.summary.bodyBytes());
      assertEquals(body.parts().size(), r.parts.size(), body.name());
      for (int i = 0; i < r.parts.size(); i++) {
        Part part = r.parts.get(i);
        Corpus.ManifestPart m = body.parts().get(i);
        String where = body.name() + " part " + i;
        assertEquals(m.name(), part.name(), where);
        assertEquals(Optional.ofNullable(m.filename()), part.filename(), where + " filename");
        assertEquals(
            Optional.ofNullable(rawFilename(m.rawFilename())),
            part.info().plainFilename(),
            where + " raw filename");
        assertEquals(
            Optional.ofNullable(m.contentType()), part.contentType(), where + " content type");
        assertEquals(
            Optional.ofNullable(m.cte()), part.info().contentTransferEncoding(), where + " cte");
        assertEquals(m.size(), part.size(), where + " size");
        assertEquals(m.sha256(), part.payload().sha256Hex(), where + " sha256");
        // An empty part holds no memory, so no tenant pays for it.
        assertEquals(
            m.size() == 0 ? Optional.empty() : Optional.of("corpus"),
            part.payload().tenant(),
            where);
        if (m.decodedSha256() != null) {
          try (ZeroCopyBuffer decoded = part.decode(pool)) {
            assertEquals(m.decodedSize(), decoded.length(), where + " decoded size");
            assertEquals(m.decodedSha256(), decoded.sha256Hex(), where + " decoded sha256");
          }
        }
      }
    } finally {
      r.closeAll();
    }
    TestPools.assertNoLiveBytes(pool, body.name());
  }

  /** The manifest marks a raw filename sent in ISO-8859-1 bytes with "latin1:". */
  private static String rawFilename(String manifest) {
    return manifest != null && manifest.startsWith("latin1:") ? manifest.substring(7) : manifest;
  }
}
