package io.axon.buffer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartBody;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody.Builder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.junit.jupiter.api.Test;

/**
 * Bodies that real client stacks write, captured off a 127.0.0.1 socket ({@link CaptureServer}),
 * then parsed by axon-buffer's {@link MultipartParser}, Apache Commons FileUpload 2 and Jetty 12's
 * {@link MultiPartFormData.Parser} (what a Jetty server hands an application): each parser's parts
 * (field name, file name, SHA-256 of the bytes) are compared.
 *
 * <p>The clients run in the build (OkHttp 5, Jetty 12's HttpClient); each live capture must equal
 * the bytes committed under {@code src/test/resources/client-bodies/} (the README there says how
 * they were made), so the committed corpus is what those libraries really write, and a client
 * upgrade that changes it fails here (the new capture is written to {@code target/} to look at).
 *
 * <p>What the peers do, found here:
 *
 * <ul>
 *   <li>A part without {@code Content-Disposition} (OkHttp's {@code addPart(Headers, body)}): Jetty
 *       delivers it with a null name; Commons FileUpload skips it silently (its iterator never
 *       returns it); axon-buffer delivers it with {@code hasFieldName() == false} (an option,
 *       {@code requireFieldName}, refuses the body instead).
 *   <li>Jetty's HttpClient writes a file name with a {@code "} in it unescaped inside {@code
 *       filename="..."} and adds {@code filename*=UTF-8''...}: all three take the {@code filename*}
 *       value (Commons reads RFC 2231 values; Jetty prefers {@code filename*}).
 *   <li>The same malformed {@code filename="a"b.txt"} without a {@code filename*}: Commons and
 *       Jetty both accept the part; Commons reads the file name up to the second quote ({@code a}),
 *       Jetty takes the embedded quote as part of the value ({@code a"b.txt}). axon-buffer accepts
 *       it too, reading it as Jetty does (the lenient quoting of {@code HeaderParameters}).
 * </ul>
 */
class RealClientBodiesTest {

  /** OkHttp lets the caller choose the boundary: fixed, so that the capture is reproducible. */
  static final String OKHTTP_BOUNDARY = "okhttp-axon-19-boundary";

  static final String JETTY_BOUNDARY = "jetty-axon-19-boundary";

  static final byte[] FILE = "line one\r\nline two \"quoted\"\r\n".getBytes(StandardCharsets.UTF_8);

  /**
   * One part as a parser delivered it: field name (null: none), file name (null: none), SHA-256.
   */
  record Seen(String name, String filename, String sha256) {
    @Override
    public String toString() {
      return "name=" + name + " filename=" + filename + " sha256=" + sha256.substring(0, 12);
    }
  }

  @Test
  void okHttpPartWithItsOwnHeadersAndNoContentDisposition() throws Exception {
    CaptureServer.Captured body;
    try (CaptureServer server = new CaptureServer()) {
      OkHttpClient client = new OkHttpClient();
      RequestBody multipart =
          new Builder(OKHTTP_BOUNDARY)
              .setType(okhttp3.MultipartBody.FORM)
              .addFormDataPart("greeting", "hello")
              .addPart(
                  Headers.of("X-Trace", "t-1", "Content-Language", "en"),
                  RequestBody.create("no disposition", MediaType.get("text/plain")))
              .addFormDataPart(
                  "upload",
                  "say \"hi\".txt",
                  RequestBody.create(FILE, MediaType.get("application/octet-stream")))
              .build();
      try (Response r =
          client
              .newCall(new Request.Builder().url(server.url()).post(multipart).build())
              .execute()) {
        assertEquals(200, r.code());
      }
      body = server.take();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    assertEquals("multipart/form-data; boundary=" + OKHTTP_BOUNDARY, body.contentType());
    assertSameAsCommitted("okhttp-5-own-headers.body", body.body());
    String text = new String(body.body(), StandardCharsets.UTF_8);
    assertTrue(text.contains("\r\nX-Trace: t-1\r\nContent-Language: en\r\nContent-Type:"), text);
    // OkHttp percent-encodes the quote of a file name.
    assertTrue(text.contains("filename=\"say %22hi%22.txt\""), text);

    List<Seen> axon = axon(body);
    Seen unnamed = new Seen(null, null, sha256("no disposition".getBytes(StandardCharsets.UTF_8)));
    List<Seen> expected =
        List.of(
            new Seen("greeting", null, sha256("hello".getBytes(StandardCharsets.UTF_8))),
            unnamed,
            new Seen("upload", "say %22hi%22.txt", sha256(FILE)));
    assertEquals(expected, axon);
    assertEquals(expected, jetty(body), "Jetty delivers the part with no name");
    List<Seen> skipped = new ArrayList<>(expected);
    skipped.remove(unnamed);
    assertEquals(skipped, commons(body), "Commons FileUpload skips a part without a field name");
  }

  @Test
  void jettyHttpClientFilenameWithAQuoteNextToFilenameStar() throws Exception {
    CaptureServer.Captured body;
    HttpClient client = new HttpClient();
    client.start();
    try (CaptureServer server = new CaptureServer()) {
      MultiPartRequestContent content = new MultiPartRequestContent(JETTY_BOUNDARY);
      content.addPart(
          new MultiPart.ByteBufferPart(
              "greeting",
              null,
              HttpFields.EMPTY,
              ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))));
      content.addPart(
          new MultiPart.ByteBufferPart(
              "upload",
              "say \"hi\" é.txt",
              HttpFields.build().put(HttpHeader.CONTENT_TYPE, "text/plain"),
              ByteBuffer.wrap(FILE)));
      content.close();
      ContentResponse r =
          client.newRequest(server.url()).method(HttpMethod.POST).body(content).send();
      assertEquals(200, r.getStatus());
      body = server.take();
    } finally {
      client.stop();
    }
    // Jetty quotes the boundary parameter although it has no character that needs it.
    assertEquals("multipart/form-data; boundary=\"" + JETTY_BOUNDARY + "\"", body.contentType());
    assertSameAsCommitted("jetty-12-filename-quote.body", body.body());
    String text = new String(body.body(), StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "filename=\"say \"hi\" _.txt\"; filename*=UTF-8''say%20%22hi%22%20%C3%A9.txt"),
        text);

    List<Seen> expected =
        List.of(
            new Seen("greeting", null, sha256("hello".getBytes(StandardCharsets.UTF_8))),
            new Seen("upload", "say \"hi\" é.txt", sha256(FILE)));
    assertEquals(expected, axon(body));
    assertEquals(expected, jetty(body));
    assertEquals(expected, commons(body));
  }

  /** A malformed Content-Disposition and what each parser makes of its part. */
  record Malformed(String parameters, Seen jetty, Seen commons, Seen axon) {}

  static final String DATA = sha256("data".getBytes(StandardCharsets.UTF_8));

  /**
   * Malformed quoting without a {@code filename*} to fall back on: no peer refuses any of these
   * parts, so neither does axon-buffer; the peers disagree on the values (Jetty drops a file name
   * it cannot read, which makes the part a plain field; Commons keeps raw text), and axon-buffer
   * reads the most plausible value. Pinned here so that a peer upgrade that changes its reading is
   * seen.
   */
  static final List<Malformed> MALFORMED =
      List.of(
          new Malformed( // a bare quote inside the value (Jetty's HttpClient, without filename*)
              "name=\"upload\"; filename=\"a\"b.txt\"",
              new Seen("upload", null, DATA),
              new Seen("upload", "a\"b.txt", DATA),
              new Seen("upload", "a\"b.txt", DATA)),
          new Malformed( // an unterminated quoted value
              "name=\"upload\"; filename=\"a.txt",
              new Seen("upload", null, DATA),
              new Seen("upload", "\"a.txt", DATA),
              new Seen("upload", "a.txt", DATA)),
          new Malformed( // a parameter without '='
              "name=\"upload\"; filename",
              new Seen("upload", null, DATA),
              new Seen("upload", "", DATA),
              new Seen("upload", null, DATA)),
          new Malformed( // a bare quote inside the field name
              "name=\"up\"load\"; filename=\"x.txt\"",
              new Seen(null, null, DATA),
              new Seen("up\"load\"; filename=\"x.txt", null, DATA),
              new Seen("up\"load", "x.txt", DATA)),
          new Malformed( // well-formed, for contrast: a quoted-pair
              "name=\"upload\"; filename=\"a\\\"b.txt\"",
              new Seen("upload", "a\"b.txt", DATA),
              new Seen("upload", "a\\\"b.txt", DATA),
              new Seen("upload", "a\"b.txt", DATA)));

  @Test
  void malformedContentDispositionWithoutFilenameStarIsAcceptedByEveryPeer() throws Exception {
    for (Malformed m : MALFORMED) {
      byte[] bytes =
          ("--b19\r\nContent-Disposition: form-data; "
                  + m.parameters()
                  + "\r\n\r\ndata\r\n--b19--\r\n")
              .getBytes(StandardCharsets.UTF_8);
      CaptureServer.Captured body =
          new CaptureServer.Captured("multipart/form-data; boundary=b19", bytes);
      assertEquals(List.of(m.jetty()), jetty(body), "Jetty: " + m.parameters());
      assertEquals(List.of(m.commons()), commons(body), "Commons FileUpload: " + m.parameters());
      assertEquals(List.of(m.axon()), axon(body), "axon-buffer: " + m.parameters());
    }
  }

  // ------------------------------------------------------------------------------ the parsers

  static List<Seen> axon(CaptureServer.Captured body) throws IOException {
    try (SlabBufferPool pool = SlabBufferPool.builder().name("client-bodies").build()) {
      List<Seen> seen = new ArrayList<>();
      try (MultipartBody parts =
          MultipartParser.parse(
              new ByteArrayInputStream(body.body()),
              MultipartParser.boundaryOf(body.contentType()),
              pool.forTenant("t"),
              MultipartOptions.defaults())) {
        for (Part p : parts.parts()) {
          seen.add(
              new Seen(
                  p.info().hasFieldName() ? p.name() : null,
                  p.filename().orElse(null),
                  p.payload().sha256Hex()));
        }
      }
      assertEquals(0, pool.snapshot().liveBytes(), "every part's memory went back");
      return seen;
    }
  }

  static List<Seen> jetty(CaptureServer.Captured body) throws Exception {
    String boundary = MultiPart.extractBoundary(body.contentType());
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxMemoryFileSize(1 << 20); // files in memory: these are small
    List<Seen> seen = new ArrayList<>();
    try (MultiPartFormData.Parts parts =
        parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body.body()))).get()) {
      for (MultiPart.Part p : parts) {
        byte[] bytes =
            p.getContentAsString(StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
        seen.add(new Seen(p.getName(), p.getFileName(), sha256(bytes)));
      }
    }
    return seen;
  }

  static List<Seen> commons(CaptureServer.Captured body) throws IOException {
    MultipartParseBenchmark.FileUpload upload = new MultipartParseBenchmark.FileUpload();
    upload.setFileItemFactory(DiskFileItemFactory.builder().get());
    FileItemInputIterator items =
        upload.getItemIterator(
            new MultipartParseBenchmark.Request(body.body(), body.contentType()));
    List<Seen> seen = new ArrayList<>();
    while (items.hasNext()) {
      FileItemInput item = items.next();
      try (InputStream in = item.getInputStream()) {
        seen.add(new Seen(item.getFieldName(), item.getName(), sha256(in.readAllBytes())));
      }
    }
    return seen;
  }

  // ------------------------------------------------------------------------------ helpers

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The live capture must equal the committed one; if not, it is written to target/ to compare. */
  static void assertSameAsCommitted(String name, byte[] live) throws IOException {
    byte[] committed;
    try (InputStream in =
        RealClientBodiesTest.class.getResourceAsStream("/client-bodies/" + name)) {
      committed = in == null ? new byte[0] : in.readAllBytes();
    }
    if (!java.util.Arrays.equals(committed, live)) {
      Path out = Path.of("target", "client-bodies", name);
      Files.createDirectories(out.getParent());
      Files.write(out, live);
      assertArrayEquals(
          committed,
          live,
          "the client wrote other bytes than src/test/resources/client-bodies/"
              + name
              + " (the live capture is in "
              + out.toAbsolutePath()
              + ")");
    }
  }
}
