package io.axon.buffer.ingest;

import static io.axon.buffer.ingest.Bodies.ascii;
import static io.axon.buffer.ingest.Bodies.close;
import static io.axon.buffer.ingest.Bodies.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.MediaType;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MultipartParserTest {

  private static final String B = "boundary42";
  private static final MultipartOptions STRICT = MultipartOptions.defaults();
  private static final MultipartOptions LENIENT =
      MultipartOptions.builder().lenientLineEndings(true).build();

  private SlabBufferPool pool;
  private BufferAllocator alloc;
  private final List<Recorder> recorders = new ArrayList<>();

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
    alloc = pool.forTenant("acme");
  }

  @AfterEach
  void noLeaks() {
    for (Recorder r : recorders) {
      r.closeAll();
    }
    TestPools.assertNoLiveBytes(pool, "the test, parts closed");
    pool.close();
  }

  private Recorder parse(MultipartOptions options, byte[] body, int... cuts) {
    Recorder r = Bodies.parse(alloc, options, B, body, cuts);
    recorders.add(r);
    assertEquals(1, r.terminals, () -> "terminal events: " + r.events);
    return r;
  }

  private Recorder parse(String body, int... cuts) {
    return parse(STRICT, ascii(body), cuts);
  }

  private MultipartException error(MultipartOptions options, byte[] body, int... cuts) {
    long before = pool.snapshot().liveBytes();
    Recorder r = parse(options, body, cuts);
    assertNotNull(r.error, () -> "expected an error, got " + r.events);
    // Everything the parser held is released; only parts handed out before the error are alive.
    if (r.parts.isEmpty()) {
      assertEquals(before, pool.snapshot().liveBytes(), "live bytes after " + r.error);
    }
    r.closeAll();
    assertEquals(before, pool.snapshot().liveBytes(), "live bytes after " + r.error);
    return r.multipartError();
  }

  private MultipartException error(String body, int... cuts) {
    return error(STRICT, ascii(body), cuts);
  }

  private static String text(Part p) {
    return new String(p.payload().toByteArray(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------- basics

  @Test
  void twoFieldsGiveEventsInOrder() {
    Recorder r = parse(field(B, "a", "alpha") + field(B, "b", "beta") + close(B));
    assertEquals(List.of("start a", "part a 5", "start b", "part b 4", "complete 2"), r.events);
    assertEquals("alpha", text(r.parts.get(0)));
    assertEquals("beta", text(r.parts.get(1)));
    assertEquals(new MultipartSummary(2, 0, 2, r.summary.bodyBytes()), r.summary);
  }

  @Test
  void payloadIsBilledToTheAllocatorsTenantUntilClosed() {
    Recorder r = parse(field(B, "a", "alpha") + close(B));
    ZeroCopyBuffer payload = r.parts.get(0).payload();
    assertEquals(Optional.of("acme"), payload.tenant());
    assertTrue(pool.snapshot().liveBytes("acme") > 0);
    r.closeAll();
    assertEquals(0, pool.snapshot().liveBytes("acme"));
  }

  @Test
  void headersAreKeptInOrderWithTheirValues() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\nX-Custom: yes\r\nX-Custom: again\r\n\r\nhi\r\n"
                + close(B));
    PartInfo info = r.parts.get(0).info();
    assertEquals(
        List.of(
            new HeaderField("Content-Disposition", "form-data; name=\"f\"; filename=\"a.txt\""),
            new HeaderField("Content-Type", "text/plain"),
            new HeaderField("X-Custom", "yes"),
            new HeaderField("X-Custom", "again")),
        info.headers());
    assertEquals(List.of("yes", "again"), info.headers("x-custom"));
    assertEquals(Optional.of("text/plain"), info.header("CONTENT-TYPE"));
    assertEquals(Optional.of("a.txt"), info.filename());
    assertEquals(
        List.of("name=f", "filename=a.txt"),
        info.dispositionParameters().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
    assertEquals(Optional.of("text/plain"), info.contentType());
    assertEquals("text/plain", info.mediaType().orElseThrow().toString());
    assertEquals(TransferEncoding.NONE, info.transferEncoding());
    assertTrue(info.isFile());
  }

  @Test
  void headerNamesAreReadInAnySpellingAndKeptAsSent() {
    // The usual spellings are recognised by their bytes; every other spelling by a
    // case-insensitive compare. Both give the same headers, names kept as sent.
    for (String[] names :
        new String[][] {
          {"Content-Disposition", "Content-Type", "Content-Transfer-Encoding"},
          {"content-disposition", "content-type", "content-transfer-encoding"},
          {"CONTENT-DISPOSITION", "Content-type", "Content-Transfer-encoding"}
        }) {
      Recorder r =
          parse(
              "--"
                  + B
                  + "\r\n"
                  + names[0]
                  + ": form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                  + names[1]
                  + ": text/plain\r\n"
                  + names[2]
                  + ": 8bit\r\n\r\nhi\r\n"
                  + close(B));
      PartInfo info = r.parts.get(0).info();
      String what = String.join(", ", names);
      assertEquals("f", info.name(), what);
      assertEquals(Optional.of("a.txt"), info.filename(), what);
      assertEquals(Optional.of("text/plain"), info.contentType(), what);
      assertEquals(Optional.of("8bit"), info.contentTransferEncoding(), what);
      assertEquals(
          List.of(names[0], names[1], names[2]),
          info.headers().stream().map(HeaderField::name).toList(),
          what);
    }
    // A second Content-Type is refused in either spelling.
    MultipartException twice =
        error(
            STRICT,
            ascii(
                "--"
                    + B
                    + "\r\nContent-Disposition: form-data; name=\"f\"\r\n"
                    + "Content-Type: text/plain\r\ncontent-type: text/html\r\n\r\nhi\r\n"
                    + close(B)));
    assertEquals(MultipartFault.MALFORMED_HEADER, twice.fault(), twice.getMessage());
  }

  @Test
  void mediaTypeIsTheLibrarysNormalizedValueAndEmptyWhenAbsentOrInvalid() {
    Recorder r =
        parse(
            part("a", "Text/Plain; Charset=\"UTF-8\"", null, "x")
                + part("b", "text/plain; a=1; a=2", null, "y")
                + field(B, "c", "z")
                + close(B));
    MediaType a = r.parts.get(0).info().mediaType().orElseThrow();
    assertEquals("text/plain", a.essence());
    assertEquals(Optional.of("utf-8"), a.parameter("charset"));
    assertEquals(MediaType.parse("text/plain;charset=utf-8"), a);
    assertEquals(Optional.empty(), r.parts.get(1).info().mediaType(), "a parameter given twice");
    assertEquals(Optional.empty(), r.parts.get(2).info().mediaType(), "no Content-Type");
  }

  @Test
  void duplicateFieldNamesAreAllKeptInOrder() {
    Recorder r =
        parse(field(B, "dup", "1") + field(B, "dup", "2") + field(B, "dup", "3") + close(B));
    assertEquals(List.of("1", "2", "3"), r.parts.stream().map(MultipartParserTest::text).toList());
    assertEquals(List.of(0, 1, 2), r.parts.stream().map(p -> p.info().index()).toList());
  }

  @Test
  void emptyFilenameIsEmptyNotAbsent() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n"
                + field(B, "g", "x")
                + close(B));
    assertEquals(Optional.of(""), r.parts.get(0).filename());
    assertEquals(Optional.empty(), r.parts.get(1).filename());
    assertFalse(r.parts.get(1).info().isFile());
  }

  @Test
  void pathLikeFilenamesAreKeptWithASafeBaseName() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\nx\r\n"
                + "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"g\"; filename=\"C:\\Windows\\evil.txt\"\r\n\r\ny\r\n"
                + close(B));
    assertEquals(Optional.of("../../etc/passwd"), r.parts.get(0).filename());
    assertEquals(Optional.of("passwd"), r.parts.get(0).info().safeFilename());
    assertEquals(Optional.of("C:\\Windows\\evil.txt"), r.parts.get(1).filename());
    assertEquals(Optional.of("evil.txt"), r.parts.get(1).info().safeFilename());
  }

  @Test
  void filenameStarIsPreferredAndInvalidOneIgnored() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"u\"; filename=\"x.txt\";"
                + " filename*=UTF-8''%E2%82%AC.txt\r\n\r\nx\r\n"
                + "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"v\"; filename=\"y.txt\";"
                + " filename*=UTF-8''%FF.txt\r\n\r\nx\r\n"
                + close(B));
    assertEquals(Optional.of("€.txt"), r.parts.get(0).filename());
    assertEquals(Optional.of("x.txt"), r.parts.get(0).info().plainFilename());
    assertEquals(Optional.of("y.txt"), r.parts.get(1).filename());
  }

  @Test
  void utf8HeaderBytesAreDecodedAndLatin1IsTheFallback() {
    byte[] body =
        Bodies.concat(
            ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"u\"; filename=\""),
            "résumé.txt".getBytes(StandardCharsets.UTF_8),
            ascii(
                "\"\r\n\r\nx\r\n--"
                    + B
                    + "\r\nContent-Disposition: form-data; name=\"l\"; filename=\""),
            "résumé.txt".getBytes(StandardCharsets.ISO_8859_1),
            ascii("\"\r\n\r\nx\r\n" + close(B)));
    Recorder r = parse(STRICT, body);
    assertEquals(Optional.of("résumé.txt"), r.parts.get(0).filename());
    assertEquals(Optional.of("résumé.txt"), r.parts.get(1).filename());
  }

  @Test
  void foldedHeaderLinesAreUnfolded() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data;\r\n name=\"folded\";\r\n\tfilename=\"f.txt\"\r\n"
                + "X-Long: one\r\n   two\r\n\r\nv\r\n"
                + close(B));
    PartInfo info = r.parts.get(0).info();
    assertEquals("folded", info.name());
    assertEquals(Optional.of("f.txt"), info.filename());
    assertEquals(Optional.of("one two"), info.header("X-Long"));
  }

  @Test
  void emptyPartsAndEmptyBody() {
    Recorder r = parse(field(B, "e", "") + close(B));
    assertEquals(0, r.parts.get(0).size());
    assertEquals(BufferKind.raw(), r.parts.get(0).payload().kind());
    Recorder none = parse(close(B));
    assertEquals(0, none.summary.parts());
    assertEquals(List.of("complete 0"), none.events);
  }

  // ------------------------------------------------------------------------------- delimiters

  @Test
  void preambleAndEpilogueAreCountedAndDropped() {
    String body =
        "This is the preamble.\r\nIt is ignored.\r\n"
            + field(B, "a", "x")
            + "--"
            + B
            + "--\r\nepilogue\r\nmore epilogue";
    Recorder r = parse(body);
    assertEquals(1, r.parts.size());
    assertEquals("x", text(r.parts.get(0)));
    assertEquals(body.indexOf("--" + B) - 2, r.summary.preambleBytes());
    assertEquals(2 + 10 + 13, r.summary.epilogueBytes());
  }

  @Test
  void whitespaceAfterTheBoundaryIsAccepted() {
    Recorder r =
        parse(
            "--"
                + B
                + " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--"
                + B
                + "\t\r\n"
                + "Content-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n--"
                + B
                + "--  \r\n");
    assertEquals(List.of("x", "y"), r.parts.stream().map(MultipartParserTest::text).toList());
  }

  @Test
  void closeDelimiterAtEndWithoutLineBreakIsAccepted() {
    Recorder r = parse(field(B, "a", "x") + "--" + B + "--");
    assertEquals(1, r.summary.parts());
    assertEquals(0, r.summary.epilogueBytes());
  }

  @Test
  void boundaryNotAtLineStartIsData() {
    String value = "a--" + B + "--\r\nb --" + B + "\r\n--" + B.substring(1) + "\r\n-- " + B;
    Recorder r = parse(field(B, "a", value) + close(B));
    assertEquals(value, text(r.parts.get(0)));
  }

  @Test
  void nearBoundariesAndCrLfRunsAreData() {
    String value =
        "\r\n\r\n\r\r\n--\r\n--"
            + B.substring(0, B.length() - 1)
            + "\r\n-\r\n--"
            + B.substring(0, 3)
            + "\r\r\n\n--\r\n";
    Recorder r = parse(field(B, "a", value) + close(B));
    assertEquals(value, text(r.parts.get(0)));
  }

  @Test
  void partStartingWithABoundaryPrefixCutInsideThePrefixIsData() {
    String value = "--" + B.substring(0, 5) + "X and the rest";
    String body =
        field(B, "a", value) + field(B, "b", "--" + B.substring(0, B.length() - 1)) + close(B);
    int start = body.indexOf("\r\n\r\n") + 4;
    for (int cut = start; cut <= start + value.length(); cut++) {
      Recorder r = parse(body, cut);
      assertEquals(value, text(r.parts.get(0)), "cut at " + cut);
      assertEquals("--" + B.substring(0, B.length() - 1), text(r.parts.get(1)), "cut at " + cut);
      r.closeAll();
    }
  }

  @Test
  void contentStartingWithTheFullBoundaryIsAnEmptyPart() {
    // RFC 2046 recognises a boundary at the start of any line, the content's first line included.
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n"
                + close(B));
    assertEquals(2, r.parts.size());
    assertEquals(0, r.parts.get(0).size());
    assertEquals("y", text(r.parts.get(1)));
  }

  @Test
  void everySplitPointGivesTheSameParts() {
    String body =
        "preamble\r\n"
            + field(B, "a", "alpha\r\n--" + B.substring(0, 4))
            + "--"
            + B
            + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n\r\n\r\n--\r\n"
            + "\r\n"
            + field(B, "e", "")
            + "--"
            + B
            + "--\r\nepilogue";
    Recorder whole = parse(body);
    List<String> expected = whole.parts.stream().map(MultipartParserTest::text).toList();
    assertEquals(List.of("alpha\r\n--" + B.substring(0, 4), "\r\n\r\n--\r\n", ""), expected);
    byte[] bytes = ascii(body);
    for (int cut = 0; cut <= bytes.length; cut++) {
      Recorder r =
          parse(STRICT, bytes, cut == 0 || cut == bytes.length ? new int[0] : new int[] {cut});
      assertEquals(
          expected, r.parts.stream().map(MultipartParserTest::text).toList(), "cut " + cut);
      assertEquals(whole.summary, r.summary, "cut " + cut);
      r.closeAll();
    }
  }

  @Test
  void everyPairOfSplitPointsGivesTheSameParts() {
    String body = field(B, "a", "x\r\n-") + field(B, "b", "") + "--" + B + "--";
    byte[] bytes = ascii(body);
    for (int i = 1; i < bytes.length; i++) {
      for (int j = i + 1; j < bytes.length; j++) {
        Recorder r = parse(STRICT, bytes, i, j);
        assertEquals(
            List.of("x\r\n-", ""),
            r.parts.stream().map(MultipartParserTest::text).toList(),
            "cuts " + i + "," + j);
        r.closeAll();
      }
    }
  }

  @Test
  void byteByByteAndDirectChunksGiveTheSameParts() {
    String body = field(B, "a", "alpha") + field(B, "b", "be\r\nta") + close(B);
    byte[] bytes = ascii(body);
    Recorder r = new Recorder();
    recorders.add(r);
    Bodies.feed(newParser(STRICT, r), bytes, Bodies.everyByte(bytes.length), true);
    assertEquals(
        List.of("alpha", "be\r\nta"), r.parts.stream().map(MultipartParserTest::text).toList());
  }

  private MultipartParser newParser(MultipartOptions options, MultipartListener listener) {
    try {
      return new MultipartParser(B, alloc, options, listener);
    } catch (MultipartException e) {
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------------------- line endings

  @Test
  void strictModeRejectsBareLfLines() {
    MultipartException e =
        error("--" + B + "\nContent-Disposition: form-data; name=\"a\"\n\nx\n--" + B + "--\n");
    assertEquals(MultipartFault.MALFORMED_DELIMITER, e.fault());
    assertTrue(e.getMessage().contains("bare LF"), e.getMessage());
    MultipartException h =
        error("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\n\r\nx\r\n" + close(B));
    assertEquals(MultipartFault.MALFORMED_HEADER, h.fault());
    assertTrue(h.getMessage().contains("bare LF"), h.getMessage());
  }

  @Test
  void lenientModeAcceptsBareLfAndCrLfAlike() {
    String lf =
        "--"
            + B
            + "\nContent-Disposition: form-data; name=\"a\"\n\nline one\nline two\n--"
            + B
            + "\nContent-Disposition: form-data; name=\"b\"\r\n\r\nwith crlf\r\n--"
            + B
            + "--\n";
    byte[] bytes = ascii(lf);
    for (int cut = 1; cut < bytes.length; cut++) {
      Recorder r = parse(LENIENT, bytes, cut);
      assertEquals(
          List.of("line one\nline two", "with crlf"),
          r.parts.stream().map(MultipartParserTest::text).toList(),
          "cut " + cut);
      r.closeAll();
    }
  }

  @Test
  void lenientModeKeepsACrThatIsNotPartOfTheDelimiter() {
    byte[] body =
        ascii("--" + B + "\nContent-Disposition: form-data; name=\"a\"\n\nx\r\r\n--" + B + "--");
    for (int cut = 1; cut < body.length; cut++) {
      Recorder r = parse(LENIENT, body, cut);
      assertEquals("x\r", text(r.parts.get(0)), "cut " + cut);
      r.closeAll();
    }
  }

  // ------------------------------------------------------------------------------- malformed

  @Test
  void boundaryFollowedByJunkIsAMalformedDelimiter() {
    for (String after : List.of("X", "-X", " \tX", "\rX", "  \r-")) {
      MultipartException e = error(field(B, "a", "x") + "--" + B + after + "\r\n" + close(B));
      assertEquals(MultipartFault.MALFORMED_DELIMITER, e.fault(), after);
      assertTrue(e.getMessage().contains("boundary \"--" + B + "\""), e.getMessage());
      assertEquals(400, e.httpStatus());
    }
    MultipartException pad =
        error(field(B, "a", "x") + "--" + B + " ".repeat(2000) + "\r\n" + close(B));
    assertTrue(pad.getMessage().contains("more than 1024 bytes of white space"), pad.getMessage());
  }

  @Test
  void malformedHeadersAreReported() {
    String start = "--" + B + "\r\n";
    String cd = "Content-Disposition: form-data; name=\"a\"\r\n";
    String end = "\r\nx\r\n" + close(B);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "first header line starts with white space",
        start + " " + cd + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "without a colon: \"no colon here\"",
        start + cd + "no colon here\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER, "NUL (0x00)", start + cd + "X-A: a\u0000b\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER, "0x01", start + cd + "X-A: a\u0001b\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "0x7f",
        start + cd + "X-Long-Header: abcdefghijklmnop\u007fqrs\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "0x1f",
        start + cd + "X-Long-Header: abcdefghijklmnopqrstuvw\u001f\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "CR not followed by LF",
        start + cd + "X-A: a\rb\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "invalid header field name \"Content-Type \"",
        start + cd + "Content-Type : text/plain\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "Content-Type given twice",
        start + cd + "Content-Type: a/b\r\ncontent-type: c/d\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_HEADER,
        "Content-Transfer-Encoding given twice",
        start
            + cd
            + "Content-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 8bit\r\n"
            + end);
  }

  @Test
  void aPartNamingNoFieldIsDeliveredWithNoFieldNameUnlessRequired() {
    String start = "--" + B + "\r\n";
    String body =
        start
            + "Content-Type: text/plain\r\n\r\nno disposition\r\n"
            + start
            + "\r\nno headers at all\r\n"
            + start
            + "Content-Disposition: form-data; filename=\"x.txt\"\r\n\r\nno name\r\n"
            + start
            + "Content-Disposition: form-data; name=\"\"\r\n\r\nthe empty name\r\n"
            + close(B);
    Recorder r = parse(body);
    assertEquals(4, r.parts.size(), r.events::toString);
    for (int i = 0; i < 3; i++) {
      Part p = r.parts.get(i);
      assertFalse(p.info().hasFieldName(), p.info()::toString);
      assertEquals("", p.name());
      assertTrue(p.info().toString().contains("(no field name)"), p.info()::toString);
    }
    assertEquals("text/plain", r.parts.get(0).contentType().orElseThrow());
    assertEquals("no disposition", text(r.parts.get(0)));
    assertEquals("no headers at all", text(r.parts.get(1)));
    assertEquals("x.txt", r.parts.get(2).filename().orElseThrow());
    assertTrue(r.parts.get(3).info().hasFieldName());
    assertEquals("", r.parts.get(3).name());

    MultipartOptions required = STRICT.toBuilder().requireFieldName(true).build();
    MultipartException e = error(required, ascii(body));
    assertEquals(MultipartFault.MALFORMED_CONTENT_DISPOSITION, e.fault());
    assertTrue(e.getMessage().contains("no Content-Disposition"), e.getMessage());
    assertTrue(e.getMessage().contains("requireFieldName"), e.getMessage());
    assertEquals(0, e.partIndex());
    String noName =
        start + "Content-Disposition: form-data; filename=\"x\"\r\n\r\nx\r\n" + close(B);
    MultipartException e2 = error(required, ascii(noName));
    assertTrue(e2.getMessage().contains("no name parameter"), e2.getMessage());
  }

  @Test
  void malformedContentDispositionsAreReported() {
    String start = "--" + B + "\r\n";
    String end = "\r\nx\r\n" + close(B);
    assertMalformed(
        MultipartFault.MALFORMED_CONTENT_DISPOSITION,
        "given 2 times",
        start
            + "Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n"
            + end);
    assertMalformed(
        MultipartFault.MALFORMED_CONTENT_DISPOSITION,
        "parameter \"name\" is given twice",
        start + "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_CONTENT_DISPOSITION,
        "parameter \"filename\" is given twice",
        start + "Content-Disposition: form-data; name=a; filename=x; filename=y\r\n" + end);
    assertMalformed(
        MultipartFault.MALFORMED_CONTENT_DISPOSITION,
        "\"inline\" is not form-data",
        start + "Content-Disposition: inline; name=\"x\"\r\n" + end);
  }

  private void assertMalformed(MultipartFault fault, String message, String body) {
    MultipartException e = error(body);
    assertEquals(fault, e.fault(), e.getMessage());
    assertTrue(
        e.getMessage().contains(message), () -> "\"" + message + "\" not in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(fault.name()), e.getMessage());
    assertEquals(0, e.partIndex(), e.getMessage());
  }

  @Test
  void errorAfterAPartHasBeenHandedOutKeepsThatPartValid() {
    Recorder r = parse(field(B, "a", "first") + "--" + B + "\r\nno colon\r\n\r\nx\r\n" + close(B));
    assertEquals(MultipartFault.MALFORMED_HEADER, r.multipartError().fault());
    assertEquals(1, r.multipartError().partIndex());
    assertEquals("first", text(r.parts.get(0)));
  }

  // ------------------------------------------------------------------------------- truncation

  @Test
  void truncatedInputIsReportedWhereverItEnds() {
    String full = field(B, "a", "alpha") + close(B);
    assertTruncated("", "without a boundary");
    assertTruncated("just a preamble", "without a boundary");
    assertTruncated("--" + B, "right after a boundary");
    assertTruncated("--" + B + "-", "right after a boundary");
    assertTruncated("--" + B + "\r\n", "inside the headers of part 0");
    assertTruncated("--" + B + "\r\nContent-Disposition: form", "inside the headers of part 0");
    assertTruncated(
        "--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\nalp",
        "inside part 0 after 3");
    assertTruncated(full.substring(0, full.indexOf("alpha") + 5), "inside part 0 after 5");
    assertTruncated(full.substring(0, full.indexOf("alpha") + 9), "inside part 0");
  }

  private void assertTruncated(String body, String message) {
    MultipartException e = error(body);
    assertEquals(MultipartFault.TRUNCATED, e.fault(), body);
    assertTrue(
        e.getMessage().contains(message), () -> "\"" + message + "\" not in: " + e.getMessage());
    assertEquals(body.length(), e.offset());
  }

  @Test
  void feedingAfterTheTerminalEventIsAnIllegalState() {
    Recorder r = new Recorder();
    recorders.add(r);
    MultipartParser p = newParser(STRICT, r);
    p.feed(ByteBuffer.wrap(ascii(field(B, "a", "x") + close(B))));
    assertFalse(p.isDone(), "the epilogue may still come");
    p.feed(ByteBuffer.wrap(ascii("epilogue")));
    p.finish();
    assertTrue(p.isDone());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> p.feed(ByteBuffer.wrap(ascii("more"))));
    assertTrue(e.getMessage().contains("already completed"), e.getMessage());
    p.finish(); // a no-op
    assertEquals(1, r.terminals);

    Recorder bad = new Recorder();
    MultipartParser q = newParser(STRICT, bad);
    assertFalse(q.feed(ByteBuffer.wrap(ascii("--" + B + "X"))));
    assertThrows(IllegalStateException.class, () -> q.feed(ByteBuffer.wrap(ascii("x"))));
    assertEquals(1, bad.terminals);
  }

  @Test
  void aThrowingListenerAbortsTheParseAndLeaksNothing() {
    MultipartListener throwing =
        new MultipartListener() {
          @Override
          public void onPart(Part part) {
            part.close();
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onComplete(MultipartSummary summary) {
            throw new AssertionError("no terminal event after a listener failure");
          }

          @Override
          public void onError(AxonBufferException error) {
            throw new AssertionError("no terminal event after a listener failure");
          }
        };
    MultipartParser p = newParser(STRICT, throwing);
    byte[] body = ascii(field(B, "a", "x") + field(B, "b", "y".repeat(10_000)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> p.feed(ByteBuffer.wrap(body)));
    assertEquals("listener bug", e.getMessage());
    assertTrue(p.isDone());
    TestPools.assertNoLiveBytes(pool, "a listener threw");
    assertThrows(IllegalStateException.class, () -> p.feed(ByteBuffer.wrap(body)));
  }

  @Test
  void aListenersOwnAxonBufferExceptionAbortsTheParseInsteadOfBeingReportedAsItsError() {
    // A fault of the listener's own work (here a size limit of its storage) is not a fault of the
    // body: it propagates out of feed as any listener exception does, with no terminal event.
    MultipartListener storing =
        new MultipartListener() {
          @Override
          public void onPart(Part part) {
            part.close();
            throw new SizeLimitExceededException("the listener's store", 1, part.size());
          }

          @Override
          public void onComplete(MultipartSummary summary) {
            throw new AssertionError("no terminal event after a listener failure");
          }

          @Override
          public void onError(AxonBufferException error) {
            throw new AssertionError("the listener's exception is not the body's: " + error);
          }
        };
    MultipartParser p = newParser(STRICT, storing);
    byte[] body = ascii(field(B, "a", "x") + field(B, "b", "y".repeat(10_000)) + close(B));
    SizeLimitExceededException e =
        assertThrows(SizeLimitExceededException.class, () -> p.feed(ByteBuffer.wrap(body)));
    assertEquals("the listener's store", e.what());
    assertTrue(p.isDone());
    TestPools.assertNoLiveBytes(pool, "a listener threw an AxonBufferException");
  }

  @Test
  void decodingUnderATenantLimitThrowsTheRefusalAsItself() {
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"x\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + "QUJD".repeat(30_000)
                + "\r\n"
                + close(B));
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("decode-limited").hardLimit("small", 4096).build()) {
      TenantLimitExceededException e =
          assertThrows(
              TenantLimitExceededException.class,
              () -> r.parts.get(0).decode(limited.forTenant("small")));
      assertEquals("small", e.tenant());
      assertEquals(0, limited.snapshot().liveBytes());
    }
  }

  @Test
  void smallPartsSharePackedSlabsAndARefusedSlabFailsTheParseWithNothingHeld() {
    // Parts of at most 2 KiB are packed into shared 4 KiB slabs: two 1500-byte fields fill one,
    // the third needs a second, which a tenant limited to one slab is refused.
    String v = "v".repeat(1500);
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("small-parts").hardLimit("t", 4096).build()) {
      Recorder r = new Recorder();
      MultipartParser p = new MultipartParser(B, limited.forTenant("t"), STRICT, r);
      p.feed(ByteBuffer.wrap(ascii(field(B, "a", "1") + field(B, "b", v) + close(B))));
      p.finish();
      assertEquals(
          List.of("start a", "part a 1", "start b", "part b 1500", "complete 2"), r.events);
      assertEquals(4096, limited.snapshot().liveBytes(), "both parts in one slab");
      r.parts.get(0).close();
      assertEquals(4096, limited.snapshot().liveBytes(), "held by the other part");
      assertEquals(
          v, new String(r.parts.get(1).payload().toByteArray(), StandardCharsets.US_ASCII));
      r.closeAll();
      assertEquals(0, limited.snapshot().liveBytes());

      Recorder refused = new Recorder();
      MultipartParser q = new MultipartParser(B, limited.forTenant("t"), STRICT, refused);
      q.feed(
          ByteBuffer.wrap(
              ascii(field(B, "a", v) + field(B, "b", v) + field(B, "c", v) + close(B))));
      assertInstanceOf(TenantLimitExceededException.class, refused.error, refused.events::toString);
      assertEquals(2, refused.parts.size(), refused.events::toString);
      assertEquals(4096, limited.snapshot().liveBytes(), "only the delivered parts' slab is held");
      refused.closeAll();
      assertEquals(0, limited.snapshot().liveBytes());
    }
  }

  @Test
  void manyTinyFieldsHoldAboutTheirBytesHoweverTheChunksCutThem() {
    // 1000 fields of 1 to 40 bytes: one slab each would hold 4 MiB for about 20 KB.
    Random random = new Random(11);
    StringBuilder body = new StringBuilder();
    List<String> values = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < 1000; i++) {
      String value = "x".repeat(1 + random.nextInt(40));
      values.add(value);
      bytes += value.length();
      body.append(field(B, "f" + i, value));
    }
    body.append(close(B));
    byte[] whole = ascii(body.toString());
    int[] everyByte = new int[whole.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    for (int[] cuts : new int[][] {{}, Bodies.randomCuts(random, whole.length, 50), everyByte}) {
      Recorder r = parse(STRICT, whole, cuts);
      assertNull(r.error, r.events::toString);
      assertEquals(1000, r.parts.size());
      for (int i = 0; i < 1000; i++) {
        assertEquals(values.get(i), text(r.parts.get(i)));
      }
      long held = pool.snapshot().liveBytes("acme");
      // Packed slabs are left more than half full: at most twice the bytes, and the last slab.
      assertTrue(held <= 2 * bytes + 4096, () -> held + " bytes held for " + whole.length);
      for (int i = 0; i < 999; i++) {
        r.parts.get(i).close();
      }
      assertEquals(4096, pool.snapshot().liveBytes("acme"), "the last part keeps its slab");
      r.closeAll();
      assertEquals(0, pool.snapshot().liveBytes("acme"));
    }
  }

  @Test
  void aPartWhoseHeadStraddledChunksEndsInSlabsOfItsSize() {
    // A 3 KiB file part cut a few bytes in: its first slab is taken for the 8 KiB head (64 KiB),
    // then the part, less than half of it, is copied into a 4 KiB one.
    String content = "y".repeat(3000);
    String body =
        "--"
            + B
            + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n"
            + content
            + "\r\n"
            + close(B);
    int cut = body.indexOf("yyy") + 3;
    Recorder r = parse(body, cut);
    assertEquals(content, text(r.parts.get(0)));
    assertEquals(4096, pool.snapshot().liveBytes("acme"));
  }

  @Test
  void aPackedPartIsAViewOfItsOwnBytesOnly() {
    Recorder r = parse(field(B, "a", "alpha") + field(B, "b", "beta") + close(B));
    Part a = r.parts.get(0);
    assertEquals(2, a.payload().sharers(), "the other part's view shares the slab");
    assertEquals("alpha", text(a));
    try (ZeroCopyBuffer head = a.payload().slice(0, 3)) {
      assertEquals("alp", new String(head.toByteArray(), StandardCharsets.US_ASCII));
    }
    assertEquals(Optional.of("acme"), a.payload().tenant());
    assertThrows(IndexOutOfBoundsException.class, () -> a.payload().slice(0, 6));
  }

  @Test
  void feedingFromInsideTheListenerIsRefused() {
    MultipartParser[] self = new MultipartParser[1];
    List<String> seen = new ArrayList<>();
    MultipartListener reentrant =
        new MultipartListener() {
          @Override
          public void onPart(Part part) {
            part.close();
            try {
              self[0].feed(ByteBuffer.wrap(ascii("x")));
            } catch (IllegalStateException e) {
              seen.add(e.getMessage());
              throw e;
            }
          }

          @Override
          public void onComplete(MultipartSummary summary) {}

          @Override
          public void onError(AxonBufferException error) {}
        };
    self[0] = newParser(STRICT, reentrant);
    assertThrows(
        IllegalStateException.class,
        () -> self[0].feed(ByteBuffer.wrap(ascii(field(B, "a", "x") + close(B)))));
    assertTrue(seen.get(0).contains("not re-entrant"), seen.toString());
  }

  // ------------------------------------------------------------------------------- limits

  @Test
  void partBytesLimit() {
    MultipartOptions ten = MultipartOptions.builder().maxPartBytes(10).build();
    Recorder ok = parse(ten, ascii(field(B, "a", "0123456789") + close(B)));
    assertEquals(10, ok.parts.get(0).size());
    MultipartException e = error(ten, ascii(field(B, "a", "0123456789X") + close(B)));
    assertLimit(e, MultipartLimit.PART_BYTES, 10);
    assertTrue(e.getMessage().contains("larger than 10 bytes"), e.getMessage());
  }

  @Test
  void partBytesLimitIsRaisedWhileStreamingBeforeTheBytesAreStored() {
    MultipartOptions limit = MultipartOptions.builder().maxPartBytes(100_000).build();
    Recorder r = new Recorder();
    recorders.add(r);
    MultipartParser p = newParser(limit, r);
    p.feed(
        ByteBuffer.wrap(
            ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n")));
    byte[] chunk = new byte[8192];
    Arrays.fill(chunk, (byte) 'z');
    long fed = 0;
    while (!p.isDone()) {
      p.feed(ByteBuffer.wrap(chunk));
      fed += chunk.length;
      assertTrue(fed < 100_000 + 2 * chunk.length, "no error after " + fed + " bytes");
      assertTrue(pool.snapshot().liveBytes() <= 2 * 1024 * 1024, "memory held while streaming");
    }
    assertLimit(r.multipartError(), MultipartLimit.PART_BYTES, 100_000);
    TestPools.assertNoLiveBytes(pool, "the part limit");
  }

  @Test
  void partCountLimit() {
    MultipartOptions two = MultipartOptions.builder().maxParts(2).build();
    assertEquals(
        2, parse(two, ascii(field(B, "a", "1") + field(B, "b", "2") + close(B))).summary.parts());
    MultipartException e =
        error(two, ascii(field(B, "a", "1") + field(B, "b", "2") + field(B, "c", "3") + close(B)));
    assertLimit(e, MultipartLimit.PART_COUNT, 2);
    assertEquals(2, e.partIndex());
  }

  @Test
  void headerBytesLimits() {
    MultipartOptions perPart = MultipartOptions.builder().maxHeaderBytesPerPart(50).build();
    String shortHeader = "Content-Disposition: form-data; name=\"a\"\r\n\r\n"; // 45 bytes
    assertEquals(
        1,
        parse(perPart, ascii("--" + B + "\r\n" + shortHeader + "x\r\n" + close(B)))
            .summary
            .parts());
    MultipartException e =
        error(
            perPart,
            ascii(
                "--"
                    + B
                    + "\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: 12345\r\n\r\nx\r\n"
                    + close(B)));
    assertLimit(e, MultipartLimit.HEADER_BYTES_PER_PART, 50);

    MultipartOptions total = MultipartOptions.builder().maxHeaderBytesTotal(100).build();
    MultipartException t =
        error(
            total, ascii(field(B, "a", "1") + field(B, "b", "2") + field(B, "c", "3") + close(B)));
    assertLimit(t, MultipartLimit.HEADER_BYTES_TOTAL, 100);
    assertEquals(2, t.partIndex());
  }

  @Test
  void preambleLimitAndUnboundedEpilogue() {
    MultipartOptions ten = MultipartOptions.builder().maxPreambleBytes(10).build();
    assertEquals(
        10,
        parse(ten, ascii("0123456789\r\n" + field(B, "a", "x") + close(B)))
            .summary
            .preambleBytes());
    MultipartException e = error(ten, ascii("0123456789X\r\n" + field(B, "a", "x") + close(B)));
    assertLimit(e, MultipartLimit.PREAMBLE_BYTES, 10);

    Recorder r = new Recorder();
    recorders.add(r);
    MultipartParser p = newParser(ten, r);
    p.feed(ByteBuffer.wrap(ascii(field(B, "a", "x") + close(B))));
    byte[] junk = new byte[1 << 20];
    for (int i = 0; i < 16; i++) {
      p.feed(ByteBuffer.wrap(junk));
    }
    p.finish();
    assertEquals(2 + 16L * junk.length, r.summary.epilogueBytes());
    assertTrue(pool.snapshot().liveBytes() < 1 << 20, "the epilogue is not buffered");
  }

  @Test
  void hugePreambleFailsWhileStreaming() {
    Recorder r = new Recorder();
    recorders.add(r);
    MultipartParser p = newParser(STRICT, r);
    byte[] chunk = new byte[8192];
    int chunks = 0;
    while (!p.isDone()) {
      p.feed(ByteBuffer.wrap(chunk));
      chunks++;
      assertTrue(chunks < 100, "no error after " + chunks + " chunks");
    }
    assertLimit(r.multipartError(), MultipartLimit.PREAMBLE_BYTES, 64 * 1024);
  }

  private static void assertLimit(MultipartException e, MultipartLimit limit, long value) {
    assertNotNull(e);
    assertEquals(MultipartFault.LIMIT_EXCEEDED, e.fault(), e.getMessage());
    assertEquals(Optional.of(limit), e.limit());
    assertEquals(value, e.limitValue());
    assertEquals(413, e.httpStatus());
    assertTrue(e.getMessage().startsWith("LIMIT_EXCEEDED " + limit.name()), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(value)), e.getMessage());
  }

  @Test
  void tenantHardLimitReachesTheListenerAsItselfAndReleasesEverything() {
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("limited").hardLimit("small", 70_000).build()) {
      Recorder r = new Recorder();
      try {
        MultipartParser p = new MultipartParser(B, limited.forTenant("small"), STRICT, r);
        byte[] body = ascii(field(B, "a", "x".repeat(500_000)) + close(B));
        Bodies.feed(p, body, Bodies.randomCuts(new Random(1), body.length, 8192), false);
      } catch (MultipartException e) {
        throw new AssertionError(e);
      }
      assertEquals(1, r.terminals);
      TenantLimitExceededException e =
          assertInstanceOf(TenantLimitExceededException.class, r.error);
      assertEquals("small", e.tenant());
      assertEquals(70_000, e.hardLimitBytes());
      assertEquals(429, e.httpStatus());
      assertEquals(List.of("start a", "error TenantLimitExceededException"), r.events);
      r.closeAll();
      assertEquals(0, limited.snapshot().liveBytes());
    }
  }

  @Test
  void aPartNeverAsksForMoreMemoryThanItsLimitLeavesSoAnOverLimitPartIsAPartLimitError() {
    // Pieces are billed by capacity (4 KiB, 64 KiB, 1 MiB, ...). A part past its first 64 KiB
    // must not take a 1 MiB piece when its limit leaves it 36 KiB: under a 200 KiB hard limit that
    // was a tenant refusal (429) for a part within every limit, and for an over-limit part.
    MultipartOptions limit = MultipartOptions.builder().maxPartBytes(100 * 1024).build();
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("limited").hardLimit("t", 200 * 1024).build()) {
      byte[] small = ascii(field(B, "a", "x".repeat(90 * 1024)) + close(B));
      Recorder fits =
          Bodies.parse(
              limited.forTenant("t"),
              limit,
              B,
              small,
              Bodies.randomCuts(new Random(7), small.length, 8192));
      assertNull(fits.error, () -> String.valueOf(fits.error));
      assertEquals(90 * 1024, fits.parts.get(0).size());
      fits.closeAll();

      byte[] large = ascii(field(B, "a", "x".repeat(150 * 1024)) + close(B));
      Recorder tooLarge =
          Bodies.parse(
              limited.forTenant("t"),
              limit,
              B,
              large,
              Bodies.randomCuts(new Random(8), large.length, 8192));
      assertLimit(tooLarge.multipartError(), MultipartLimit.PART_BYTES, 100 * 1024);
      tooLarge.closeAll();
      assertEquals(0, limited.snapshot().liveBytes());
      assertEquals(0, limited.snapshot().hardLimitRefusals().getOrDefault("t", 0L));
    }
  }

  // ------------------------------------------------------------------------------- kinds

  @Test
  void kindComesFromTheContentTypeRefinedBySniffing() {
    MultipartOptions opts = MultipartOptions.builder().registry(TestKinds.registry()).build();
    String body =
        part("a", "image/x-testimg", null, "TIMG rest") // declared, confirmed
            + part("b", "image/x-testimg", null, "not an image") // declared, bytes say no
            + part("c", "text/x-headerless", null, "TIMG") // signature beats declared
            + part("d", "text/x-headerless", null, "plain text") // no sniffer: declared
            + part("e", null, "photo.timg", "TIMG") // sniffed
            + part("f", null, "audio.hdl", "zzz") // headerless by name
            + part("g", "application/octet-stream", null, "TIMG") // octet-stream: sniffed
            + part("h", null, "x.bin", "nothing") // raw
            + part("i", null, null, "TIMG") // a plain field: not sniffed
            + close(B);
    Recorder r = parse(opts, ascii(body));
    assertEquals(
        List.of(
            "testimg",
            "raw",
            "testimg",
            "headerless",
            "testimg",
            "headerless",
            "testimg",
            "raw",
            "raw"),
        r.parts.stream().map(p -> p.kind().slug()).toList());
    for (int i = 0; i < r.parts.size(); i++) {
      assertSame(r.started.get(i), r.parts.get(i).info());
      assertEquals(r.parts.get(i).kind(), r.parts.get(i).payload().kind());
    }
  }

  @Test
  void sniffingWorksWhateverTheChunksAndStartComesOnceTheHeadIsKnown() {
    MultipartOptions opts =
        MultipartOptions.builder().registry(TestKinds.registry()).sniffBytes(16).build();
    String big = "TIMG" + "0123456789".repeat(10);
    String body =
        part("a", null, "a.bin", "TIMG")
            + part("b", null, "b.bin", big)
            + part("c", null, "c.bin", "TI")
            + close(B);
    byte[] bytes = ascii(body);
    for (int cut = 1; cut < bytes.length; cut++) {
      Recorder r = parse(opts, bytes, cut);
      assertEquals(
          List.of("testimg", "testimg", "raw"),
          r.parts.stream().map(p -> p.kind().slug()).toList(),
          "cut " + cut);
      assertEquals(big, text(r.parts.get(1)));
      r.closeAll();
    }
    Recorder r = new Recorder();
    recorders.add(r);
    MultipartParser p = newParser(opts, r);
    int headerEnd = body.indexOf(big);
    p.feed(ByteBuffer.wrap(bytes, 0, headerEnd + 10));
    assertEquals(1, r.started.size(), "b's head has 10 of 16 bytes: not started yet");
    p.feed(ByteBuffer.wrap(bytes, headerEnd + 10, 10));
    assertEquals(2, r.started.size(), "b started once 16 bytes arrived");
    assertEquals(1, r.parts.size(), "b has not ended");
    p.feed(ByteBuffer.wrap(bytes, headerEnd + 20, bytes.length - headerEnd - 20));
    p.finish();
    assertEquals(3, r.parts.size());

    Recorder plain = new Recorder();
    recorders.add(plain);
    MultipartParser q = newParser(opts, plain);
    String field = part("p", null, null, "TIMG and more");
    q.feed(ByteBuffer.wrap(ascii(field.substring(0, field.indexOf("TIMG")))));
    assertEquals(1, plain.started.size(), "a plain field starts at once: nothing to sniff");
    assertEquals("raw", plain.started.get(0).kind().slug());
  }

  @Test
  void sniffingOffAndEncodedPartsUseTheDeclaredTypeAndName() {
    MultipartOptions off =
        MultipartOptions.builder().registry(TestKinds.registry()).sniffBytes(0).build();
    Recorder r =
        parse(
            off,
            ascii(
                part("a", "image/x-testimg", null, "not an image")
                    + part("b", null, "x.timg", "whatever")
                    + part("c", null, "c.bin", "TIMG")
                    + close(B)));
    assertEquals(
        List.of("testimg", "testimg", "raw"), r.parts.stream().map(p -> p.kind().slug()).toList());
    MultipartOptions on = MultipartOptions.builder().registry(TestKinds.registry()).build();
    Recorder enc =
        parse(
            on,
            ascii(
                "--"
                    + B
                    + "\r\nContent-Disposition: form-data; name=\"e\"\r\n"
                    + "Content-Type: image/x-testimg\r\nContent-Transfer-Encoding: base64\r\n\r\nVElNRw==\r\n"
                    + close(B)));
    assertEquals("testimg", enc.parts.get(0).kind().slug());
  }

  private static String part(String name, String contentType, String filename, String content) {
    return "--"
        + B
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\""
        + (filename == null ? "" : "; filename=\"" + filename + "\"")
        + "\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "\r\n"
        + content
        + "\r\n";
  }

  // ------------------------------------------------------------------------------- encodings

  @Test
  void base64AndQuotedPrintableAreDeliveredRawAndDecodedOnRequest() throws Exception {
    String b64 =
        "SGVsbG8sIG11bHRpcGFydCB3b3JsZCEKU2Vjb25kIGxpbmUNClRoaXJkIGxpbmUgd2l0aCBDUkxG\r\nDQo=";
    String qp = "caf=C3=A9 =3D equals   \r\nsoft=\r\nbreak trailing =20 \t\r\nend=";
    Recorder r =
        parse(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"b\"\r\nContent-Transfer-Encoding: BASE64\r\n\r\n"
                + b64
                + "\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"q\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + qp
                + "\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"p\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplain\r\n"
                + close(B));
    Part b = r.parts.get(0);
    assertEquals(TransferEncoding.BASE64, b.info().transferEncoding());
    assertEquals(Optional.of("BASE64"), b.info().contentTransferEncoding());
    assertEquals(b64, text(b));
    try (ZeroCopyBuffer decoded = b.decode(alloc)) {
      assertEquals(
          "Hello, multipart world!\nSecond line\r\nThird line with CRLF\r\n",
          new String(decoded.toByteArray(), StandardCharsets.UTF_8));
      assertEquals(Optional.of("acme"), decoded.tenant());
    }
    Part q = r.parts.get(1);
    assertEquals(TransferEncoding.QUOTED_PRINTABLE, q.info().transferEncoding());
    assertEquals(qp, text(q));
    try (ZeroCopyBuffer decoded = q.decode(alloc)) {
      assertEquals(
          "café = equals\r\nsoftbreak trailing  \r\nend",
          new String(decoded.toByteArray(), StandardCharsets.UTF_8));
    }
    Part p = r.parts.get(2);
    assertEquals(TransferEncoding.EIGHT_BIT, p.info().transferEncoding());
    int sharers = p.payload().sharers();
    try (ZeroCopyBuffer same = p.decode(alloc)) {
      assertEquals("plain", new String(same.toByteArray(), StandardCharsets.UTF_8));
      assertEquals(sharers + 1, p.payload().sharers(), "the payload itself, shared");
    }
  }

  @Test
  void malformedEncodingsAreTypedErrorsAndLeakNothing() {
    for (String[] c :
        new String[][] {
          {"base64", "SGVsbG8*", "'*' (0x2a) is not base64"},
          {"base64", "SGVsbG8=x", "after padding"},
          {"base64", "SGVsb", "single character"},
          {"base64", "S===", "padding '=' after 1"},
          {"quoted-printable", "a=G1", "'=' followed by 'G'"},
          {"quoted-printable", "a=4", "inside an '=XX' escape"},
          {"quoted-printable", "a=\rb", "'=' CR followed by 'b'"}
        }) {
      Recorder r =
          parse(
              "--"
                  + B
                  + "\r\nContent-Disposition: form-data; name=\"x\"\r\nContent-Transfer-Encoding: "
                  + c[0]
                  + "\r\n\r\n"
                  + c[1]
                  + "\r\n"
                  + close(B));
      MultipartException e =
          assertThrows(MultipartException.class, () -> r.parts.get(0).decode(alloc).close());
      assertEquals(MultipartFault.MALFORMED_ENCODING, e.fault());
      assertTrue(e.getMessage().contains(c[2]), () -> c[2] + " not in " + e.getMessage());
      r.closeAll();
      TestPools.assertNoLiveBytes(pool, "decoding " + c[1]);
    }
  }

  // ------------------------------------------------------------------------------- whole bodies

  @Test
  void parseReadsAWholeBodyAndClosesEverythingOnError() throws Exception {
    byte[] body = ascii(field(B, "a", "x".repeat(100_000)) + field(B, "b", "y") + close(B));
    try (MultipartBody parsed =
        MultipartParser.parse(new ByteArrayInputStream(body), B, alloc, STRICT)) {
      assertEquals(2, parsed.parts().size());
      assertEquals(100_000, parsed.part("a").orElseThrow().size());
      assertEquals(List.of(parsed.parts().get(1)), parsed.parts("b"));
    }
    TestPools.assertNoLiveBytes(pool, "closing a parsed body");
    byte[] bad = ascii(field(B, "a", "x".repeat(100_000)) + field(B, "b", "y") + "--" + B + "X");
    MultipartException e =
        assertThrows(
            MultipartException.class,
            () -> MultipartParser.parse(new ByteArrayInputStream(bad), B, alloc, STRICT));
    assertEquals(MultipartFault.MALFORMED_DELIMITER, e.fault());
    TestPools.assertNoLiveBytes(pool, "a failed parse");
    MultipartException t =
        assertThrows(
            MultipartException.class,
            () ->
                MultipartParser.parse(
                    new ByteArrayInputStream(Arrays.copyOf(body, 90_000)), B, alloc, STRICT));
    assertEquals(MultipartFault.TRUNCATED, t.fault());
    TestPools.assertNoLiveBytes(pool, "a truncated parse");
  }

  @Test
  void parseClosesEverythingWhenTheChannelFails() {
    byte[] body =
        ascii(field(B, "a", "x".repeat(100_000)) + field(B, "b", "y".repeat(100_000)) + close(B));
    ReadableByteChannel failing =
        new ReadableByteChannel() {
          final ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(body));
          int reads;

          @Override
          public int read(ByteBuffer dst) throws IOException {
            if (++reads == 3) {
              throw new IOException("connection reset");
            }
            return in.read(dst);
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        };
    IOException e =
        assertThrows(IOException.class, () -> MultipartParser.parse(failing, B, alloc, STRICT));
    assertEquals("connection reset", e.getMessage());
    TestPools.assertNoLiveBytes(pool, "a channel failure");
  }

  @Test
  void largePartsSpanSeveralSlabsWithoutLosingABit() {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(content);
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\r') {
        content[i] = '\n';
      }
    }
    byte[] body =
        Bodies.concat(
            ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n"),
            content,
            ascii("\r\n" + close(B)));
    Recorder r = parse(STRICT, body, Bodies.randomCuts(new Random(3), body.length, 70_000));
    Part big = r.parts.get(0);
    assertEquals(content.length, big.size());
    assertArrayEquals(content, big.payload().toByteArray());
    assertTrue(
        big.payload().asReadOnlyByteBuffers().size() > 1, "several slabs, joined without a copy");
  }

  @Test
  void constructorRejectsBadArguments() {
    assertThrows(
        NullPointerException.class, () -> new MultipartParser(B, null, STRICT, new Recorder()));
    assertThrows(
        NullPointerException.class, () -> new MultipartParser(null, alloc, STRICT, new Recorder()));
    assertEquals(
        MultipartFault.INVALID_BOUNDARY,
        assertThrows(
                MultipartException.class,
                () -> new MultipartParser("x".repeat(71), alloc, STRICT, new Recorder()))
            .fault());
    assertThrows(IllegalArgumentException.class, () -> MultipartOptions.builder().maxPartBytes(-1));
    assertThrows(
        IllegalArgumentException.class, () -> MultipartOptions.builder().maxHeaderBytesPerPart(0));
    assertSame(io.axon.buffer.BufferKindRegistry.global(), MultipartOptions.defaults().registry());
    assertEquals(5, MultipartOptions.defaults().toBuilder().maxParts(5).build().maxParts());
  }
}
