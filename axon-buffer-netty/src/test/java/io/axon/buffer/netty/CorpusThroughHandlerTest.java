package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every multipart body of the shared corpus (real requests from curl, Python and Apache HttpClient;
 * their heads and bodies byte for byte, read from the ingest module's copy) goes through {@code
 * HttpServerCodec} and {@link MultipartUploadHandler} as raw bytes, cut at random, and gives
 * exactly the parts of the manifest: names, sizes, sha256s, in order.
 */
class CorpusThroughHandlerTest {

  private static SlabBufferPool pool;

  @BeforeAll
  static void pool() {
    pool = TestPools.newPool();
  }

  @AfterAll
  static void noLiveBytes() throws InterruptedException {
    TestPools.awaitNoLiveBytes(pool, "the corpus");
    pool.close();
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusBodyGivesTheManifestsParts() {
    Map<String, List<String>> expected = manifest();
    List<String> files = files();
    assertEquals(16, files.size(), "corpus bodies");
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : files) {
      for (int seed = 1; seed <= 3; seed++) {
        int s = seed;
        tests.add(
            DynamicTest.dynamicTest(
                file + ", cut at random (seed " + seed + ")",
                () -> check(file, expected.get(file), new Random(s * 7919L + file.hashCode()))));
      }
    }
    return tests.stream();
  }

  private static void check(String file, List<String> expected, Random random) {
    byte[] request = request(file, random);
    RecordingListener listener = new RecordingListener();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new HttpServerCodec(),
            new MultipartUploadHandler(MultipartUploadConfig.builder(pool).build(), listener));
    try {
      for (int at = 0; at < request.length; ) {
        int n =
            Math.min(request.length - at, 1 + random.nextInt(random.nextBoolean() ? 100 : 20_000));
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(n);
        chunk.writeBytes(request, at, n);
        ch.writeInbound(chunk);
        at += n;
      }
      String response = outbound(ch);
      String head =
          new String(request, 0, Math.min(2000, request.length), StandardCharsets.ISO_8859_1);
      if (head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue\r\n")) {
        // curl asks before a large body, as it did when the corpus was captured.
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        assertTrue(response.startsWith(interim), file + ": " + response);
        response = response.substring(interim.length());
      }
      assertTrue(response.startsWith("HTTP/1.1 200 OK"), file + ": " + response);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertEquals(expected, List.of(body.split("\n")), file);
      assertTrue(listener.failures.isEmpty(), listener.failures.toString());
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** The request as the client sent it: its head (CRLF lines, a tenant added), then its body. */
  private static byte[] request(String file, Random random) {
    String[] head =
        new String(resource(file + ".headers"), StandardCharsets.ISO_8859_1).split("\r?\n");
    byte[] body = resource(file + ".body");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean chunked = false;
    for (String line : head) {
      if (line.isEmpty()) {
        continue;
      }
      chunked |= line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding: chunked");
      out.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("X-Tenant: corpus\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (!chunked) {
      out.writeBytes(body);
      return out.toByteArray();
    }
    // The corpus keeps bodies de-chunked: chunk them again, at random sizes.
    for (int at = 0; at < body.length; ) {
      int n = Math.min(body.length - at, 1 + random.nextInt(70_000));
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      at += n;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static String outbound(EmbeddedChannel ch) {
    StringBuilder b = new StringBuilder();
    ByteBuf out;
    while ((out = ch.readOutbound()) != null) {
      b.append(out.toString(StandardCharsets.UTF_8));
      out.release();
    }
    return b.toString();
  }

  /** Per body: one line per part, "name size sha256 tenant", from MANIFEST.tsv. */
  private static Map<String, List<String>> manifest() {
    Map<String, List<String>> parts = new LinkedHashMap<>();
    for (Map<String, String> row : tsv("MANIFEST.tsv")) {
      String file = row.get("file").replace(".body", "");
      int size = Integer.parseInt(row.get("size"));
      parts
          .computeIfAbsent(file, f -> new ArrayList<>())
          .add(
              row.get("name")
                  + " "
                  + size
                  + " "
                  + row.get("sha256")
                  + " "
                  + (size == 0 ? "-" : "corpus"));
    }
    return parts;
  }

  private static List<String> files() {
    List<String> files = new ArrayList<>();
    for (Map<String, String> row : tsv("MANIFEST-files.tsv")) {
      files.add(row.get("file"));
    }
    return files;
  }

  private static List<Map<String, String>> tsv(String name) {
    String[] lines = new String(resource(name), StandardCharsets.UTF_8).split("\n");
    String[] header = lines[0].split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] cells = lines[i].split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) {
        row.put(header[c], c < cells.length ? cells[c] : "");
      }
      rows.add(row);
    }
    return rows;
  }

  private static byte[] resource(String name) {
    try (InputStream in =
        CorpusThroughHandlerTest.class.getResourceAsStream("/corpus/multipart/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource corpus/multipart/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
