package io.axon.buffer.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.core.SlabBufferPool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every body of the shared corpus (real requests from curl, Python and Apache HttpClient, sent as
 * they were captured) uploaded with the JDK's HTTP client to a real WebFlux application on
 * 127.0.0.1, on Reactor Netty and on Jetty 12 core: the handlers, reading {@code Flux<Part>} and
 * {@code getMultipartData()}, see exactly the manifest's parts (names, file names, sizes, sha256 of
 * the content read through {@code content()}), file parts as {@code FilePart}s; and every byte goes
 * back to the pool.
 */
class CorpusUploadTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final List<SlabBufferPool> POOLS = new ArrayList<>();

  @AfterAll
  static void everyByteBack() throws InterruptedException {
    for (SlabBufferPool pool : POOLS) {
      Pools.awaitClean(pool);
      pool.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusBodyGivesTheManifestsPartsOnEveryHost() {
    List<Corpus.Body> bodies = Corpus.bodies();
    assertEquals(16, bodies.size(), "corpus bodies");
    List<DynamicTest> tests = new ArrayList<>();
    for (TestServer.Host host : TestServer.Host.values()) {
      tests.add(DynamicTest.dynamicTest(host.toString(), () -> run(host, bodies)));
    }
    return tests.stream();
  }

  private static void run(TestServer.Host host, List<Corpus.Body> bodies) throws Exception {
    SlabBufferPool pool = Pools.newPool("corpus-" + host);
    POOLS.add(pool);
    try (TestServer server = TestServer.pooled(host, pool, b -> {})) {
      for (Corpus.Body body : bodies) {
        List<String> viaFlux = upload(server, "/parts", body);
        assertEquals(body.parts(), viaFlux, body.file() + " as Flux<Part> on " + host);
        List<String> viaMap = upload(server, "/map", body);
        assertEquals(sorted(body.parts()), sorted(viaMap), body.file() + " as a map on " + host);
      }
    }
    Pools.awaitClean(pool);
  }

  private static List<String> upload(TestServer server, String path, Corpus.Body body)
      throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", body.contentType())
                .header("X-Tenant", "corpus")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), body.file() + ": " + r.body());
    List<String> out = new ArrayList<>();
    for (String line : UploadController.split(r.body())) {
      out.add(Corpus.withoutType(line));
    }
    return out;
  }

  private static List<String> sorted(List<String> lines) {
    List<String> s = new ArrayList<>(lines);
    s.sort(null);
    return s;
  }
}
