package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The delimiter search agrees with the obvious quadratic one on adversarial text. */
class DelimiterSearchTest {

  /** First full match, else first partial match running to the end, else -1. */
  private static int naive(byte[] p, byte[] a, int from, int to) {
    for (int s = from; s < to; s++) {
      int q = 0;
      while (q < p.length && s + q < to && a[s + q] == p[q]) {
        q++;
      }
      if (q == p.length) {
        return s;
      }
    }
    for (int s = from; s < to; s++) {
      int q = 0;
      while (q < p.length && s + q < to && a[s + q] == p[q]) {
        q++;
      }
      if (s + q == to && q < p.length) {
        return s;
      }
    }
    return -1;
  }

  @Property(tries = 3000)
  void agreesWithTheNaiveSearch(@ForAll long seed) {
    Random r = new Random(seed);
    String boundary = r.nextBoolean() ? "-".repeat(1 + r.nextInt(6)) + "ab" : "x" + r.nextInt(99);
    byte[] p =
        ((r.nextBoolean() ? "\r\n--" : "\n--") + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] alphabet = ("\r\n-ab" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] text = new byte[r.nextInt(r.nextBoolean() ? 40 : 400)];
    for (int i = 0; i < text.length; i++) {
      text[i] = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
    }
    // plant whole and cut delimiters
    for (int k = r.nextInt(3); k > 0 && text.length > 0; k--) {
      int at = r.nextInt(text.length);
      System.arraycopy(p, 0, text, at, Math.min(p.length, text.length - at));
    }
    DelimiterSearch search = new DelimiterSearch(p);
    int from = text.length == 0 ? 0 : r.nextInt(text.length);
    int expected = naive(p, text, from, text.length);
    assertEquals(
        expected, search.find(ByteBuffer.wrap(text), from, text.length), "heap, seed " + seed);
    ByteBuffer direct = ByteBuffer.allocateDirect(text.length).put(text).flip();
    assertEquals(expected, search.find(direct, from, text.length), "direct, seed " + seed);
    direct.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(
        expected, search.find(direct, from, text.length), "direct little-endian, seed " + seed);
    byte[] padded = new byte[text.length + 7];
    System.arraycopy(text, 0, padded, 7, text.length);
    ByteBuffer offset = ByteBuffer.wrap(padded, 7, text.length).slice();
    assertEquals(expected, search.find(offset, from, text.length), "array offset, seed " + seed);
  }

  @Test
  void aPatternWhoseFirstByteRepeatsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DelimiterSearch("\r\n--a\rb".getBytes(StandardCharsets.ISO_8859_1)));
  }
}
