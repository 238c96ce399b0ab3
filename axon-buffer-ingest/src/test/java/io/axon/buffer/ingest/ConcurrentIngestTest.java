package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.core.SlabBufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Parsers are single-threaded, but many run at once against one pool (one per request, one per
 * tenant): parsing the corpus on several threads at once, with parts handed to and closed by other
 * threads, gives the same parts and leaves the pool empty.
 */
class ConcurrentIngestTest {

  @Test
  void parsersOnManyThreadsShareOnePool() throws Exception {
    List<Corpus.Body> bodies = Corpus.multipartBodies();
    int threads = 4;
    try (SlabBufferPool pool = TestPools.newPool()) {
      ExecutorService workers = Executors.newFixedThreadPool(threads);
      ExecutorService closers = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      try {
        for (int t = 0; t < threads; t++) {
          int seed = t;
          results.add(
              workers.submit(
                  () -> {
                    start.await();
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int round = 0; round < 3; round++) {
                      for (Corpus.Body body : bodies) {
                        Recorder rec = new Recorder();
                        MultipartParser p =
                            new MultipartParser(
                                body.boundary(),
                                pool.forTenant("tenant-" + seed),
                                MultipartOptions.defaults(),
                                rec);
                        Bodies.feed(
                            p,
                            body.bytes(),
                            Bodies.randomCuts(r, body.bytes().length, 20_000),
                            r.nextBoolean());
                        assertEquals(body.parts().size(), rec.parts.size(), body.name());
                        for (int i = 0; i < rec.parts.size(); i++) {
                          assertEquals(
                              body.parts().get(i).sha256(), rec.parts.get(i).payload().sha256Hex());
                          checked++;
                        }
                        List<Part> parts = new ArrayList<>(rec.parts);
                        closers.execute(() -> parts.forEach(Part::close));
                      }
                    }
                    return checked;
                  }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : results) {
          total += f.get(120, TimeUnit.SECONDS);
        }
        int partsPerRound = bodies.stream().mapToInt(b -> b.parts().size()).sum();
        assertEquals(threads * 3 * partsPerRound, total);
      } finally {
        workers.shutdown();
        closers.shutdown();
        closers.awaitTermination(60, TimeUnit.SECONDS);
      }
      TestPools.assertNoLiveBytes(pool, "parsing on " + threads + " threads");
    }
  }
}
