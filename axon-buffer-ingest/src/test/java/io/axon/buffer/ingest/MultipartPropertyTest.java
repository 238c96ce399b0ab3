package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated bodies fed in random chunks: always exactly one terminal event, never an
 * exception out of feed or finish, nothing left alive in the pool once delivered parts are closed;
 * and a well-formed random body gives back exactly the parts it was made of.
 */
class MultipartPropertyTest {

  private static SlabBufferPool pool;
  private static List<Corpus.Body> corpus;

  @BeforeContainer
  static void setUp() {
    pool = TestPools.newPool();
    corpus = new ArrayList<>();
    for (Corpus.Body b : Corpus.multipartBodies()) {
      if (b.bytes().length < 100_000) {
        corpus.add(b);
      }
    }
  }

  @AfterContainer
  static void tearDown() {
    TestPools.assertNoLiveBytes(pool, "the properties");
    pool.close();
  }

  private static final byte[] NOISE =
      "\r\n-- \t=_abcXYZ019\u0000\u00ff\"\\;:".getBytes(StandardCharsets.ISO_8859_1);

  /** A body generated from a seed, with the contents it should give when valid. */
  private static final class Generated {
    final String boundary;
    final byte[] bytes;
    final List<byte[]> contents = new ArrayList<>();
    boolean valid = true;

    Generated(Random r, boolean lenient) {
      boundary =
          r.nextBoolean()
              ? "b" + r.nextInt(1000)
              : "--" + "-".repeat(r.nextInt(30)) + "=_x" + r.nextInt(100);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String eol = lenient && r.nextInt(3) == 0 ? "\n" : "\r\n";
      if (r.nextInt(4) == 0) {
        write(out, "preamble " + r.nextInt() + eol);
      }
      int parts = r.nextInt(5);
      for (int p = 0; p < parts; p++) {
        write(out, "--" + boundary + (r.nextInt(5) == 0 ? " \t" : "") + eol);
        write(
            out,
            "Content-Disposition: form-data; name=\"f"
                + p
                + "\""
                + (r.nextBoolean() ? "; filename=\"x" + p + ".bin\"" : "")
                + eol);
        if (r.nextBoolean()) {
          write(out, "Content-Type: application/octet-stream" + eol);
        }
        write(out, eol);
        byte[] content = content(r, boundary);
        if (eol.equals("\n") && content.length > 0 && content[content.length - 1] == '\r') {
          valid = false; // lenient mode reads "\r\n--boundary" as the delimiter: ambiguous
        }
        contents.add(content);
        out.write(content, 0, content.length);
        write(out, eol);
      }
      write(out, "--" + boundary + "--");
      if (r.nextBoolean()) {
        write(out, eol + "epilogue" + (r.nextBoolean() ? "--" + boundary + "--" : ""));
      }
      bytes = out.toByteArray();
    }

    private byte[] content(Random r, String boundary) {
      int n = r.nextInt(4) == 0 ? r.nextInt(20_000) : r.nextInt(64);
      byte[] delimiterish = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream c = new ByteArrayOutputStream();
      while (c.size() < n) {
        int k = r.nextInt(10);
        if (k == 0) {
          // a prefix of the delimiter: a near miss
          c.write(delimiterish, 0, r.nextInt(delimiterish.length));
          c.write('#');
        } else if (k < 4) {
          c.write(NOISE[r.nextInt(NOISE.length)]);
        } else {
          c.write(r.nextInt(256));
        }
      }
      byte[] content = c.toByteArray();
      String s = new String(content, StandardCharsets.ISO_8859_1);
      String d = "--" + boundary;
      if (s.startsWith(d) || s.contains("\r\n" + d) || s.contains("\n" + d)) {
        valid = false; // a real delimiter inside: the body means something else
      }
      return content;
    }

    private static void write(ByteArrayOutputStream out, String s) {
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      out.write(b, 0, b.length);
    }
  }

  @Property(tries = 1000)
  void randomBodiesInRandomChunks(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    boolean lenient = r.nextBoolean();
    Generated g = new Generated(r, lenient);
    MultipartOptions options =
        MultipartOptions.builder()
            .lenientLineEndings(lenient)
            .sniffBytes(r.nextBoolean() ? 0 : 1 + r.nextInt(100))
            .build();
    Recorder rec = run(g.boundary, g.bytes, options, r);
    try {
      if (g.valid) {
        assertNull(rec.error, () -> "seed " + seed + ": " + rec.error);
        assertEquals(g.contents.size(), rec.parts.size(), "seed " + seed);
        long bytes = 0;
        for (int i = 0; i < g.contents.size(); i++) {
          assertEquals(
              new String(g.contents.get(i), StandardCharsets.ISO_8859_1),
              new String(rec.parts.get(i).payload().toByteArray(), StandardCharsets.ISO_8859_1),
              "seed " + seed + " part " + i);
          bytes += g.contents.get(i).length;
        }
        // The parts hold at most twice their bytes (small ones packed, the last slab aside),
        // however the chunks cut them.
        long held = pool.snapshot().liveBytes("fuzz");
        assertTrue(held <= 2 * bytes + 4096, "seed " + seed + ": " + held + " held for " + bytes);
      }
    } finally {
      rec.closeAll();
    }
    TestPools.assertNoLiveBytes(pool, "seed " + seed);
  }

  @Property(tries = 1000)
  void mutatedCorpusBodiesInRandomChunks(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    Corpus.Body body = corpus.get(r.nextInt(corpus.size()));
    byte[] mutated = mutate(body.bytes(), body.boundary(), r);
    MultipartOptions options =
        MultipartOptions.builder()
            .lenientLineEndings(r.nextBoolean())
            .maxPartBytes(r.nextInt(3) == 0 ? r.nextInt(5000) : 1 << 20)
            .maxParts(r.nextInt(3) == 0 ? r.nextInt(4) : 100)
            .maxHeaderBytesPerPart(r.nextInt(3) == 0 ? 1 + r.nextInt(200) : 16 * 1024)
            .maxHeaderBytesTotal(r.nextInt(4) == 0 ? 1 + r.nextInt(500) : 1 << 20)
            .maxPreambleBytes(r.nextInt(4) == 0 ? r.nextInt(10) : 1 << 16)
            .build();
    Recorder rec = run(body.boundary(), mutated, options, r);
    rec.closeAll();
    TestPools.assertNoLiveBytes(pool, "seed " + seed + " (" + body.name() + ")");
  }

  /** Header-name spellings: the one clients send, and near misses of it. */
  private static final String[] FIELD_HEADS = {
    "Content-Disposition: form-data; name=\"",
    "Content-Disposition: form-data; name=\"",
    "Content-Disposition: form-data; name=\"",
    "content-disposition: form-data; name=\"",
    "Content-Disposition:form-data; name=\"",
    "Content-Disposition: form-data;  name=\"",
    "Content-Disposition: form-data; name=",
    "Content-Type: text/plain\r\nContent-Disposition: form-data; name=\"",
  };

  /** Name bytes: printable ASCII, and each kind of byte a header line treats apart. */
  private static final byte[] FIELD_NAME_BYTES =
      "aZ09 _-.;=\"\\\t\u0001\u007f\u00c3\u00a9\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  /** What follows the name: the plain end of the block, and each way of being something else. */
  private static final String[] FIELD_TAILS = {
    "\"\r\n\r\n",
    "\"\r\n\r\n",
    "\"\r\n\r\n",
    "\" \r\n\r\n",
    "\"\r\n\n",
    "\"\n\n",
    "\"\r\r\n",
    "\"; filename=\"a.txt\"\r\n\r\n",
    "\"\r\nContent-Type: text/plain\r\n\r\n",
    "\"\r\n more\r\n\r\n",
    "\"\r\nContent-Disposition: form-data; name=\"again\"\r\n\r\n",
    "\r\n\r\n",
  };

  /**
   * A plain form field's header block (and near misses of one) gives the same part, or the same
   * error, whether it comes whole in one chunk (heap or direct), where the parser reads it in one
   * step, or a byte at a time, where it reads it line by line.
   */
  @Property(tries = 2000)
  void formFieldBlocksReadWholeOrByteByByteAlike(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    Generated.write(block, "--b\r\n" + FIELD_HEADS[r.nextInt(FIELD_HEADS.length)]);
    for (int i = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(12); i > 0; i--) {
      block.write(
          r.nextInt(3) == 0
              ? FIELD_NAME_BYTES[r.nextInt(FIELD_NAME_BYTES.length)]
              : 'a' + r.nextInt(26));
    }
    Generated.write(block, FIELD_TAILS[r.nextInt(FIELD_TAILS.length)] + "v\r\n--b--\r\n");
    byte[] body = block.toByteArray();
    MultipartOptions options =
        MultipartOptions.builder()
            .lenientLineEndings(r.nextBoolean())
            .requireFieldName(r.nextBoolean())
            .maxHeaderBytesPerPart(r.nextInt(4) == 0 ? 30 + r.nextInt(30) : 16 * 1024)
            .maxHeaderBytesTotal(r.nextInt(4) == 0 ? 30 + r.nextInt(30) : 1 << 20)
            .build();
    int[] bytes = new int[body.length - 1];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = i + 1;
    }
    String byteByByte = readOut(body, options, bytes, false);
    assertEquals(byteByByte, readOut(body, options, new int[0], false), "seed " + seed);
    assertEquals(byteByByte, readOut(body, options, new int[0], true), "seed " + seed);
    TestPools.assertNoLiveBytes(pool, "seed " + seed);
  }

  /** Everything the parser tells of {@code body} fed in the given cuts, as text. */
  private static String readOut(byte[] body, MultipartOptions options, int[] cuts, boolean direct)
      throws MultipartException {
    Recorder rec = new Recorder();
    MultipartParser parser = new MultipartParser("b", pool.forTenant("fuzz"), options, rec);
    Bodies.feed(parser, body, cuts, direct);
    StringBuilder out = new StringBuilder(String.join("; ", rec.events));
    for (Part p : rec.parts) {
      PartInfo i = p.info();
      out.append(" | ")
          .append(i.hasFieldName())
          .append(' ')
          .append(i.name())
          .append(' ')
          .append(i.filename())
          .append(' ')
          .append(i.plainFilename())
          .append(' ')
          .append(i.contentType())
          .append(' ')
          .append(i.headers())
          .append(' ')
          .append(i.dispositionParameters())
          .append(' ')
          .append(i.kind())
          .append(' ')
          .append(new String(p.payload().toByteArray(), StandardCharsets.ISO_8859_1));
    }
    rec.closeAll();
    if (rec.error != null) {
      out.append(" | ").append(rec.error.getMessage());
    }
    return out.toString();
  }

  private static byte[] mutate(byte[] original, String boundary, Random r) {
    byte[] b = original.clone();
    int mutations = 1 + r.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      int at = b.length == 0 ? 0 : r.nextInt(b.length);
      switch (r.nextInt(6)) {
        case 0: // flip a byte
          if (b.length > 0) {
            b[at] = (byte) r.nextInt(256);
          }
          break;
        case 1: // cut
          b = java.util.Arrays.copyOf(b, at);
          break;
        case 2:
          { // delete a range
            int len = Math.min(b.length - at, r.nextInt(50));
            byte[] c = new byte[b.length - len];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(b, at + len, c, at, b.length - at - len);
            b = c;
            break;
          }
        default:
          { // insert something nasty
            String[] nasty = {
              "\r\n--" + boundary,
              "\r\n--" + boundary + "--",
              "\r\n\r\n",
              "\n",
              "\r",
              "--" + boundary + "\r\n",
              "Content-Disposition: form-data; name=\"x\"; name=\"y\"\r\n",
              "\u0000",
              " ",
              "\r\n--" + boundary.substring(0, boundary.length() / 2)
            };
            byte[] ins = nasty[r.nextInt(nasty.length)].getBytes(StandardCharsets.ISO_8859_1);
            byte[] c = new byte[b.length + ins.length];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(ins, 0, c, at, ins.length);
            System.arraycopy(b, at, c, at + ins.length, b.length - at);
            b = c;
            break;
          }
      }
    }
    return b;
  }

  private static Recorder run(String boundary, byte[] body, MultipartOptions options, Random r)
      throws MultipartException {
    Recorder rec = new Recorder();
    MultipartParser parser = new MultipartParser(boundary, pool.forTenant("fuzz"), options, rec);
    int max = r.nextInt(3) == 0 ? 3 : r.nextInt(3) == 0 ? 100 : 10_000;
    Bodies.feed(parser, body, Bodies.randomCuts(r, body.length, max), r.nextInt(4) == 0);
    assertEquals(1, rec.terminals, () -> "terminal events " + rec.events);
    return rec;
  }
}
