package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BufferKindTest {

  @Test
  void ofInternsOneInstancePerSlug() {
    BufferKind a = BufferKind.of("interned-" + "x");
    BufferKind b = BufferKind.of(new String("interned-x"));
    assertSame(a, b);
    assertEquals("interned-x", a.toString());
    assertEquals("interned-x".hashCode(), a.hashCode());
    assertNotEquals(a, BufferKind.of("interned-y"));
  }

  @Test
  void rawAlwaysExists() {
    assertSame(BufferKind.raw(), BufferKind.of("raw"));
    assertTrue(BufferKind.raw().isRaw());
  }

  @Test
  void concurrentFirstUseYieldsOneInstance() throws Exception {
    int threads = 8;
    for (int round = 0; round < 50; round++) {
      String slug = "race-" + round;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<BufferKind>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return BufferKind.of(slug);
                }));
      }
      start.countDown();
      BufferKind first = results.get(0).get();
      for (Future<BufferKind> f : results) {
        assertSame(first, f.get());
      }
      pool.shutdown();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"pcm16", "a", "0", "x.y", "a+b", "a_b", "audio-l16", "application.vnd.x+json"})
  void validSlugsAreAccepted(String slug) {
    assertEquals(slug, BufferKind.of(slug).slug());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "JPEG",
        "Jpeg",
        "with space",
        " lead",
        "-dash",
        ".dot",
        "a/b",
        "caf\u00e9",
        "\u65e5\u672c",
        "tab\tx",
        "new\nline",
        "semi;colon"
      })
  void invalidSlugsAreRejectedWithTheSlugQuoted(String slug) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BufferKind.of(slug));
    assertTrue(e.getMessage().startsWith("invalid kind slug \""), e.getMessage());
    if (slug.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      assertTrue(e.getMessage().contains("\"" + slug + "\""), e.getMessage());
    } else {
      assertTrue(e.getMessage().contains("\\u"), "non-ASCII is shown escaped: " + e.getMessage());
    }
  }

  @Test
  void slugsOverSixtyFourCharactersAreRejected() {
    String ok = "a".repeat(64);
    assertEquals(ok, BufferKind.of(ok).slug());
    String tooLong = "a".repeat(65);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BufferKind.of(tooLong));
    assertTrue(e.getMessage().contains("65 characters"), e.getMessage());
    assertTrue(e.getMessage().contains(tooLong), e.getMessage());
  }

  @Test
  void nullSlugIsANullPointerException() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> BufferKind.of(null));
    assertEquals("kind slug is null", e.getMessage());
  }

  @Test
  void kindsSortBySlug() {
    assertTrue(BufferKind.of("aaa").compareTo(BufferKind.of("bbb")) < 0);
  }
}
