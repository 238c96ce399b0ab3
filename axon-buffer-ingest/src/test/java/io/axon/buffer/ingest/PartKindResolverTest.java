package io.axon.buffer.ingest;

import static io.axon.buffer.ingest.Bodies.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kind hook of {@link MultipartOptions}: who is asked what, with which bytes, and when. */
class PartKindResolverTest {

  private static final String B = "b0undary";

  private SlabBufferPool pool;

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
  }

  @AfterEach
  void noLeaks() {
    TestPools.assertNoLiveBytes(pool, "the test");
    pool.close();
  }

  private static String part(String name, String headers, String content) {
    return "--"
        + B
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\""
        + headers
        + "\r\n\r\n"
        + content
        + "\r\n";
  }

  private static final String BODY =
      part("field", "", "plain value")
          + part("file", "; filename=\"a.bin\"", "TIMG and then the rest of a file")
          + part("typed", "\r\nContent-Type: text/x-headerless", "abc")
          + part("encoded", "; filename=\"b.bin\"\r\nContent-Transfer-Encoding: base64", "QUJD")
          + "--"
          + B
          + "--\r\n";

  /** Records what it is asked and names every kind after the part and whether it saw bytes. */
  private static final class Recording implements PartKindResolver {
    final List<String> asked = new ArrayList<>();
    final List<byte[]> heads = new ArrayList<>();

    @Override
    public boolean sniffs(PartHeaders part) {
      asked.add("sniffs " + part.name());
      return !part.name().equals("typed");
    }

    @Override
    public BufferKind resolve(PartHeaders part, ByteBuffer head) {
      asked.add("resolve " + part.name() + (head == null ? " without head" : " with head"));
      if (head != null) {
        assertTrue(head.isReadOnly(), "the head is read-only");
        assertEquals(0, head.position());
        byte[] copy = new byte[head.remaining()];
        head.duplicate().get(copy);
        heads.add(copy);
      }
      return BufferKind.of("x-" + part.name() + (head == null ? "" : "-sniffed"));
    }
  }

  private Recorder parse(MultipartOptions options, int... cuts) {
    Recorder r = new Recorder();
    try {
      Bodies.feed(
          new MultipartParser(B, pool.forTenant("t"), options, r), ascii(BODY), cuts, false);
    } catch (MultipartException e) {
      throw new AssertionError(e);
    } finally {
      r.closeAll();
    }
    assertNull(r.error, () -> "parse failed: " + r.error);
    return r;
  }

  private static List<String> kinds(Recorder r) {
    List<String> kinds = new ArrayList<>();
    for (PartInfo p : r.started) {
      kinds.add(p.kind().toString());
    }
    return kinds;
  }

  @Test
  void aResolverOfOnesOwnDecidesEveryKindAndGetsTheHeadOnlyWhenItAsksForIt() {
    for (int[] cuts : new int[][] {{}, Bodies.everyByte(BODY.length())}) {
      Recording resolver = new Recording();
      Recorder r = parse(MultipartOptions.builder().kindResolver(resolver).build(), cuts);
      assertEquals(
          List.of(
              "sniffs field",
              "resolve field with head",
              "sniffs file",
              "resolve file with head",
              "sniffs typed",
              "resolve typed without head",
              // Encoded: the payload is not the content, so the resolver is not asked to sniff.
              "resolve encoded without head"),
          resolver.asked,
          "cuts " + cuts.length);
      assertEquals(List.of("x-field-sniffed", "x-file-sniffed", "x-typed", "x-encoded"), kinds(r));
      assertArrayEquals(ascii("plain value"), resolver.heads.get(0));
      assertArrayEquals(ascii("TIMG and then the rest of a file"), resolver.heads.get(1));
    }
  }

  @Test
  void theHeadIsAtMostSniffBytesLongWhereverTheChunksCut() {
    for (int[] cuts : new int[][] {{}, {120}, Bodies.everyByte(BODY.length())}) {
      Recording resolver = new Recording();
      parse(MultipartOptions.builder().kindResolver(resolver).sniffBytes(4).build(), cuts);
      assertArrayEquals(ascii("plai"), resolver.heads.get(0));
      assertArrayEquals(ascii("TIMG"), resolver.heads.get(1));
    }
  }

  @Test
  void withSniffingOffTheResolverIsNeverAskedToSniff() {
    Recording resolver = new Recording();
    Recorder r = parse(MultipartOptions.builder().kindResolver(resolver).sniffBytes(0).build());
    assertEquals(
        List.of(
            "resolve field without head",
            "resolve file without head",
            "resolve typed without head",
            "resolve encoded without head"),
        resolver.asked);
    assertEquals(List.of("x-field", "x-file", "x-typed", "x-encoded"), kinds(r));
  }

  @Test
  void theDefaultIsTheStandardResolverOverTheRegistryTheOptionsHaveWhenBuilt() {
    MultipartOptions global = MultipartOptions.defaults();
    assertTrue(global.kindResolver() instanceof StandardKindResolver);
    // toBuilder() with another registry: the default follows it (it was not set explicitly).
    MultipartOptions test = global.toBuilder().registry(TestKinds.registry()).build();
    assertEquals(List.of("raw", "testimg", "headerless", "raw"), kinds(parse(test)));
    // A resolver set explicitly survives toBuilder() and a registry change.
    Recording resolver = new Recording();
    MultipartOptions own = MultipartOptions.builder().kindResolver(resolver).build();
    assertSame(
        resolver, own.toBuilder().registry(BufferKindRegistry.empty()).build().kindResolver());
  }

  @Test
  void aResolverThatDelegatesToTheStandardOneKeepsItsAnswers() {
    PartKindResolver standard = PartKindResolver.standard(TestKinds.registry());
    PartKindResolver byField =
        (part, head) ->
            part.name().equals("field") ? BufferKind.of("x-form") : standard.resolve(part, head);
    Recorder r = parse(MultipartOptions.builder().kindResolver(byField).build());
    assertEquals(List.of("x-form", "testimg", "headerless", "raw"), kinds(r));
  }

  @Test
  void aResolverThatThrowsAbortsTheParseAndReleasesEverything() throws MultipartException {
    PartKindResolver broken =
        (part, head) -> {
          if (part.name().equals("typed")) {
            throw new IllegalStateException("resolver bug");
          }
          return BufferKind.raw();
        };
    MultipartOptions options = MultipartOptions.builder().kindResolver(broken).build();
    Recorder r = new Recorder();
    MultipartParser parser = new MultipartParser(B, pool.forTenant("t"), options, r);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.wrap(ascii(BODY))));
    assertEquals("resolver bug", e.getMessage());
    assertTrue(parser.isDone());
    assertEquals(0, r.terminals, "no terminal event after a callback threw");
    r.closeAll();
  }
}
