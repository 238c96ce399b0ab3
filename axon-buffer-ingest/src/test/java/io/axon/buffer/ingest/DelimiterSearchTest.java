package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.core.SlabBufferPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The delimiter search agrees with the obvious quadratic one on adversarial text, and its cost in
 * bytes read stays linear: per search on fixed hostile texts and on random ones, on heap and direct
 * memory, and over a whole parse fed in chunks of any size.
 */
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
    long bound = (long) DelimiterSearch.READS_PER_BYTE * (text.length - from);
    assertEquals(
        expected, search.find(ByteBuffer.wrap(text), from, text.length), "heap, seed " + seed);
    assertTrue(search.reads() <= bound, "heap reads " + search.reads() + ", seed " + seed);
    ByteBuffer direct = ByteBuffer.allocateDirect(text.length).put(text).flip();
    assertEquals(expected, search.find(direct, from, text.length), "direct, seed " + seed);
    assertTrue(search.reads() <= bound, "direct reads " + search.reads() + ", seed " + seed);
    direct.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(
        expected, search.find(direct, from, text.length), "direct little-endian, seed " + seed);
    byte[] padded = new byte[text.length + 7];
    System.arraycopy(text, 0, padded, 7, text.length);
    ByteBuffer offset = ByteBuffer.wrap(padded, 7, text.length).slice();
    assertEquals(expected, search.find(offset, from, text.length), "array offset, seed " + seed);
  }

  /**
   * Long boundaries, as clients write them (dashes and a random tail), on texts of up to 3000 bytes
   * made of random bytes, runs of dashes, near-delimiters (a prefix, or the whole with one byte
   * changed), CR LF runs and planted delimiters, whole or cut at the end.
   */
  @Property(tries = 3000)
  void agreesWithTheNaiveSearchOnLongBoundaries(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder tail = new StringBuilder();
    for (int i = 8 + r.nextInt(30); i > 0; i--) {
      tail.append("0123456789abcdef-=".charAt(r.nextInt(18)));
    }
    String boundary = "-".repeat(r.nextInt(30)) + tail;
    byte[] p =
        ((r.nextBoolean() ? "\r\n--" : "\n--") + boundary).getBytes(StandardCharsets.ISO_8859_1);
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    int n = r.nextInt(3000);
    while (text.size() < n) {
      switch (r.nextInt(6)) {
        case 0 -> {
          byte[] random = new byte[r.nextInt(200)];
          r.nextBytes(random);
          text.writeBytes(random);
        }
        case 1 -> text.writeBytes(repeat(r.nextBoolean() ? "-" : "=", r.nextInt(600)));
        case 2 -> text.writeBytes(repeat("\r\n", r.nextInt(100)));
        case 3 -> {
          byte[] near = p.clone();
          near[r.nextInt(near.length)] ^= (byte) (1 + r.nextInt(255));
          text.write(near, 0, 1 + r.nextInt(near.length));
        }
        case 4 -> text.write(p, 0, 1 + r.nextInt(p.length));
        default -> {
          if (r.nextInt(4) == 0) {
            text.writeBytes(p);
          }
        }
      }
    }
    byte[] t = text.toByteArray();
    if (r.nextInt(4) == 0 && t.length > p.length) {
      int cut = 1 + r.nextInt(p.length - 1);
      System.arraycopy(p, 0, t, t.length - cut, cut);
    }
    DelimiterSearch search = new DelimiterSearch(p);
    int from = t.length == 0 ? 0 : r.nextInt(1 + t.length / 4);
    long bound = (long) DelimiterSearch.READS_PER_BYTE * (t.length - from) + p.length;
    int expected = naive(p, t, from, t.length);
    assertEquals(expected, search.find(ByteBuffer.wrap(t), from, t.length), "heap");
    assertTrue(search.reads() <= bound, search.reads() + " reads of " + (t.length - from));
    ByteBuffer direct = ByteBuffer.allocateDirect(t.length).put(t).flip();
    assertEquals(expected, search.find(direct, from, t.length), "direct");
    assertTrue(search.reads() <= bound, search.reads() + " direct reads of " + (t.length - from));
  }

  /**
   * The probes that step over binary content never step over a delimiter: random bytes of up to 20
   * KiB with whole delimiters planted, a cut one at the end, and near-misses (the delimiter with
   * one byte changed, a pair of it alone), searched from one match to the next (so that a search
   * after a near find starts by scanning, and one after a far find by probing), on heap and direct
   * chunks in both byte orders, every answer the naive search's.
   */
  @Property(tries = 1500)
  void probingNeverStepsOverADelimiter(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder boundary = new StringBuilder("-".repeat(r.nextInt(28)));
    for (int i = 12 + r.nextInt(40); i > 0; i--) {
      boundary.append("0123456789abcdefABCDEF_'()+,./:=?".charAt(r.nextInt(33)));
    }
    byte[] p =
        ((r.nextBoolean() ? "\r\n--" : "\n--") + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] t = new byte[r.nextInt(20_000)];
    r.nextBytes(t);
    for (int k = r.nextInt(8); k > 0 && t.length > p.length; k--) {
      int at = r.nextInt(t.length - p.length);
      switch (r.nextInt(3)) {
        case 0 -> System.arraycopy(p, 0, t, at, p.length);
        case 1 -> {
          System.arraycopy(p, 0, t, at, p.length);
          t[at + r.nextInt(p.length)] ^= (byte) (1 + r.nextInt(255));
        }
        default -> {
          int pair = r.nextInt(p.length - 1);
          t[at] = p[pair];
          t[at + 1] = p[pair + 1];
        }
      }
    }
    if (r.nextBoolean() && t.length > p.length) {
      int cut = 1 + r.nextInt(p.length - 1);
      System.arraycopy(p, 0, t, t.length - cut, cut);
    }
    ByteBuffer[] chunks = {
      ByteBuffer.wrap(t),
      ByteBuffer.allocateDirect(t.length).put(t).flip(),
      ByteBuffer.allocateDirect(t.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).put(t).flip()
    };
    for (ByteBuffer chunk : chunks) {
      DelimiterSearch search = new DelimiterSearch(p);
      for (int from = 0; from < t.length; ) {
        int expected = naive(p, t, from, t.length);
        String what = (chunk.isDirect() ? chunk.order() + " direct" : "heap") + " from " + from;
        assertEquals(expected, search.find(chunk, from, t.length), what);
        assertTrue(
            search.reads() <= (long) DelimiterSearch.READS_PER_BYTE * (t.length - from) + p.length,
            what + ": " + search.reads() + " reads");
        if (expected < 0) {
          break;
        }
        from = expected + 1;
      }
    }
  }

  @Test
  void aPatternWhoseFirstByteRepeatsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DelimiterSearch("\r\n--a\rb".getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** {@code unit} repeated over {@code n} bytes. */
  private static byte[] repeat(String unit, int n) {
    byte[] u = unit.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = u[i % u.length];
    }
    return out;
  }

  /** Texts that make skip searches crawl or verify often, for the delimiter of {@code b}. */
  private static Map<String, byte[]> hostile(String b, int n) {
    String d = "\r\n--" + b;
    java.util.Map<String, byte[]> texts = new java.util.LinkedHashMap<>();
    byte[] random = new byte[n];
    new Random(42).nextBytes(random);
    texts.put("random", random);
    texts.put("dashes", repeat("-", n));
    texts.put("CR LF", repeat("\r\n", n));
    texts.put("CR LF --", repeat("\r\n--", n));
    texts.put("CR", repeat("\r", n));
    texts.put("last byte", repeat(b.substring(b.length() - 1), n));
    texts.put("second to last byte", repeat(String.valueOf(d.charAt(d.length() - 2)), n));
    texts.put("delimiter but its last byte", repeat(d.substring(0, d.length() - 1) + "#", n));
    int mid = d.length() / 2;
    texts.put(
        "delimiter but a middle byte", repeat(d.substring(0, mid) + "#" + d.substring(mid + 1), n));
    texts.put("delimiter without CR", repeat(d.substring(1), n));
    texts.put("CR and the boundary's tail", repeat("\r" + b.substring(b.length() / 2), n));
    texts.put("CR every other byte", repeat("\r" + b.charAt(b.length() - 1), n));
    return texts;
  }

  @Test
  void readsAtMostFourBytesPerByteOnHostileText() {
    int n = 1 << 16;
    for (String b :
        new String[] {
          "------------------------e5b3560d7cb151eb",
          "b",
          "ab",
          "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        }) {
      for (boolean lenient : new boolean[] {false, true}) {
        byte[] p = ((lenient ? "\n--" : "\r\n--") + b).getBytes(StandardCharsets.ISO_8859_1);
        DelimiterSearch search = new DelimiterSearch(p);
        for (Map.Entry<String, byte[]> t : hostile(b, n).entrySet()) {
          byte[] text = t.getValue();
          ByteBuffer direct = ByteBuffer.allocateDirect(n).put(text).flip();
          for (ByteBuffer chunk : new ByteBuffer[] {ByteBuffer.wrap(text), direct}) {
            String what =
                t.getKey()
                    + ", boundary "
                    + b
                    + (lenient ? ", lenient" : "")
                    + (chunk.isDirect() ? ", direct" : ", heap");
            int at = search.find(chunk, 0, n);
            assertEquals(naive(p, text, 0, n), at, what);
            long bound = (long) DelimiterSearch.READS_PER_BYTE * n;
            assertTrue(search.reads() <= bound, what + ": " + search.reads() + " reads > " + bound);
          }
        }
      }
    }
  }

  /**
   * The claim at the parser's level: a whole body whose one part is hostile text, fed in chunks of
   * every size (a byte at a time, odd sizes, a server's 8 KiB), heap and direct, costs the search
   * at most {@value DelimiterSearch#READS_PER_BYTE} reads per byte of the body, plus a few per
   * chunk (a delimiter prefix carried over a chunk's end is never searched again).
   */
  @Test
  void aWholeParseInChunksOfAnySizeReadsAtMostFourBytesPerByte() {
    String b = "------------------------e5b3560d7cb151eb";
    int n = 1 << 14;
    SlabBufferPool pool = TestPools.newPool();
    try {
      for (Map.Entry<String, byte[]> t : hostile(b, n).entrySet()) {
        byte[] head =
            ("--" + b + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + n + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(t.getValue(), 0, body, head.length, n);
        System.arraycopy(tail, 0, body, head.length + n, tail.length);
        for (int chunk : new int[] {1, 7, 61, 8192}) {
          for (boolean direct : new boolean[] {false, true}) {
            String what = t.getKey() + ", chunks of " + chunk + (direct ? ", direct" : ", heap");
            int[] parts = new int[1];
            MultipartParser parser =
                new MultipartParser(
                    b,
                    pool.forTenant("linear"),
                    MultipartOptions.defaults(),
                    new MultipartListener() {
                      @Override
                      public void onPart(Part part) {
                        parts[0]++;
                        part.close();
                      }

                      @Override
                      public void onComplete(MultipartSummary summary) {}

                      @Override
                      public void onError(AxonBufferException error) {
                        throw new AssertionError(what, error);
                      }
                    });
            int[] cuts = new int[(body.length - 1) / chunk];
            for (int i = 0; i < cuts.length; i++) {
              cuts[i] = (i + 1) * chunk;
            }
            Bodies.feed(parser, body, cuts, direct);
            // The hostile text may hold whole delimiters ("CR LF --" does not; a line that is the
            // delimiter does): then there are more parts, or an error, never more reads.
            long bound = (long) DelimiterSearch.READS_PER_BYTE * body.length + 8L * cuts.length;
            assertTrue(
                parser.delimiterReads() <= bound,
                what + ": " + parser.delimiterReads() + " reads > " + bound);
            assertTrue(parts[0] >= 1, what);
          }
        }
      }
      TestPools.assertNoLiveBytes(pool, "the parses");
    } finally {
      pool.close();
    }
  }

  @Test
  void theCountIsOfWhatWasReadNotOfTime() {
    // A text with the delimiter at its very end is read to the end: the count grows with n.
    byte[] p = "\r\n--xyz".getBytes(StandardCharsets.ISO_8859_1);
    DelimiterSearch search = new DelimiterSearch(p);
    long previous = 0;
    for (int n : new int[] {1 << 10, 1 << 14, 1 << 18}) {
      byte[] text = repeat("-", n);
      System.arraycopy(p, 0, text, n - p.length, p.length);
      assertEquals(n - p.length, search.find(ByteBuffer.wrap(text), 0, n));
      assertTrue(search.reads() > previous, "reads grow with the text");
      assertTrue(search.reads() <= 13L * n + 1L * p.length);
      previous = search.reads();
    }
  }
}
