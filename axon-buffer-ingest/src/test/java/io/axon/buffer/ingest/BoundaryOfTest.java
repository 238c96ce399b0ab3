package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundaryOfTest {

  private static MultipartException invalid(String contentType) {
    return assertThrows(MultipartException.class, () -> MultipartParser.boundaryOf(contentType));
  }

  @Test
  void quotedOrNotCaseInsensitive() throws Exception {
    assertEquals("abc", MultipartParser.boundaryOf("multipart/form-data; boundary=abc"));
    assertEquals("abc", MultipartParser.boundaryOf("Multipart/Form-Data; BOUNDARY=\"abc\""));
    assertEquals(
        "===============6394496939070551284==",
        MultipartParser.boundaryOf(
            "multipart/form-data; boundary=\"===============6394496939070551284==\""));
    assertEquals(
        "httpclient_boundary_6fa9e003",
        MultipartParser.boundaryOf(
            "multipart/form-data; charset=ISO-8859-1; boundary=httpclient_boundary_6fa9e003"));
  }

  @Test
  void rfcSpecialCharactersAndSpacesInQuotes() throws Exception {
    String special = "'()+_,-./:=? x";
    assertEquals(
        special, MultipartParser.boundaryOf("multipart/form-data; boundary=\"" + special + "\""));
    assertEquals(
        "----=_Part_0_1.2",
        MultipartParser.boundaryOf("multipart/form-data; boundary=----=_Part_0_1.2"));
  }

  @Test
  void aBoundaryEndingWithASpaceIsInvalid() throws Exception {
    // RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace; only a quoted value can end with a
    // space (an unquoted one is trimmed).
    MultipartException e = invalid("multipart/form-data; boundary=\"abc \"");
    assertEquals(MultipartFault.INVALID_BOUNDARY, e.fault());
    assertTrue(e.getMessage().contains("ends with a space"), e.getMessage());
    assertEquals(
        MultipartFault.INVALID_BOUNDARY, invalid("multipart/form-data; boundary=\" \"").fault());
    try (var pool = TestPools.newPool()) {
      MultipartException c =
          assertThrows(
              MultipartException.class,
              () -> new MultipartParser("x ", pool, MultipartOptions.defaults(), new Recorder()));
      assertEquals(MultipartFault.INVALID_BOUNDARY, c.fault());
    }
    // Spaces inside are bchars; a leading one too.
    assertEquals("a b", MultipartParser.boundaryOf("multipart/form-data; boundary=\"a b\""));
    assertEquals(" ab", MultipartParser.boundaryOf("multipart/form-data; boundary=\" ab\""));
  }

  @Test
  void charactersBeyondTheRfcsBcharsAreRefusedUnlessLenient() throws Exception {
    MultipartOptions lenient = MultipartOptions.builder().lenientBoundary(true).build();
    for (String b : new String[] {"a[b]c", "x#y~z", "p{q}r|s", "a!b*c", "a@b$c%d^e&f", "a;b"}) {
      String header = "multipart/form-data; boundary=\"" + b + "\"";
      assertEquals(MultipartFault.INVALID_BOUNDARY, invalid(header).fault(), b);
      assertEquals(b, MultipartParser.boundaryOf(header, lenient), b);
    }
    assertEquals(
        "a~b!c", MultipartParser.boundaryOf("multipart/form-data; boundary=a~b!c", lenient));
    MultipartException e = invalid("multipart/form-data; boundary=a~b!c");
    assertTrue(e.getMessage().contains("'~' at index 1"), e.getMessage());
  }

  @Test
  void aQuoteOrBackslashInTheBoundaryIsRefusedAsASmugglingShape() throws Exception {
    MultipartOptions lenient = MultipartOptions.builder().lenientBoundary(true).build();
    for (String header :
        new String[] {
          "multipart/form-data; boundary=\"a\\\"b\"", // a\"b quoted: a"b
          "multipart/form-data; boundary=\"a\\\\b\"", // a\\b quoted: a\b
          "multipart/form-data; boundary=\"a\\b\"" // a\b quoted, kept as sent
        }) {
      MultipartException e = invalid(header);
      assertEquals(MultipartFault.INVALID_BOUNDARY, e.fault(), header);
      assertTrue(
          e.getMessage().contains("request-smuggling") || e.getMessage().contains("proxy"),
          e.getMessage());
      MultipartParser.boundaryOf(header, lenient);
    }
    try (var pool = TestPools.newPool()) {
      assertEquals(
          MultipartFault.INVALID_BOUNDARY,
          assertThrows(
                  MultipartException.class,
                  () ->
                      new MultipartParser(
                          "a\"b", pool, MultipartOptions.defaults(), new Recorder()))
              .fault());
      assertEquals("a\"b", new MultipartParser("a\"b", pool, lenient, new Recorder()).boundary());
    }
  }

  @Test
  void seventyCharactersIsTheMost() throws Exception {
    String b70 = "0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123456789";
    assertEquals(b70, MultipartParser.boundaryOf("multipart/form-data; boundary=" + b70));
    MultipartException e = invalid("multipart/form-data; boundary=" + b70 + "X");
    assertEquals(MultipartFault.INVALID_BOUNDARY, e.fault());
    assertTrue(e.getMessage().contains("71 characters, more than 70"), e.getMessage());
  }

  @Test
  void emptyMissingTwiceAndControlCharactersAreInvalid() {
    assertEquals(
        MultipartFault.INVALID_BOUNDARY, invalid("multipart/form-data; boundary=\"\"").fault());
    assertEquals(
        MultipartFault.INVALID_BOUNDARY, invalid("multipart/form-data; boundary=").fault());
    assertEquals(MultipartFault.INVALID_BOUNDARY, invalid("multipart/form-data").fault());
    MultipartException twice = invalid("multipart/form-data; boundary=a; Boundary=a");
    assertEquals(MultipartFault.INVALID_BOUNDARY, twice.fault());
    assertTrue(twice.getMessage().contains("given 2 times"), twice.getMessage());
    MultipartException cr = invalid("multipart/form-data; boundary=\"a\rb\"");
    assertTrue(cr.getMessage().contains("contains CR at index 1"), cr.getMessage());
    assertTrue(
        invalid("multipart/form-data; boundary=\"a\nb\"").getMessage().contains("contains LF"));
    assertTrue(
        invalid("multipart/form-data; boundary=\"a\u0000b\"")
            .getMessage()
            .contains("contains NUL"));
    assertTrue(
        invalid("multipart/form-data; boundary=\"a\u00e9\"").getMessage().contains("U+00E9"));
  }

  @Test
  void notFormDataOrUnparseableIsInvalidContentType() {
    MultipartException e = invalid("multipart/mixed; boundary=abc");
    assertEquals(MultipartFault.INVALID_CONTENT_TYPE, e.fault());
    assertEquals(415, e.httpStatus());
    assertEquals(1003, e.webSocketCloseCode());
    assertTrue(e.getMessage().contains("multipart/mixed"), e.getMessage());
    assertEquals(MultipartFault.INVALID_CONTENT_TYPE, invalid("text/plain").fault());
    assertEquals(MultipartFault.INVALID_CONTENT_TYPE, invalid("").fault());
    assertEquals(MultipartFault.INVALID_CONTENT_TYPE, invalid(null).fault());
    assertEquals(
        MultipartFault.INVALID_CONTENT_TYPE,
        invalid("multipart/form-data; boundary=\"abc").fault());
  }

  @Test
  void everyCorpusHeaderGivesTheManifestBoundary() throws Exception {
    for (Corpus.Body body : Corpus.multipartBodies()) {
      assertEquals(body.boundary(), MultipartParser.boundaryOf(body.contentType()), body.name());
    }
  }

  @Test
  void constructorChecksTheBoundaryToo() {
    try (var pool = TestPools.newPool()) {
      MultipartException e =
          assertThrows(
              MultipartException.class,
              () -> new MultipartParser("", pool, MultipartOptions.defaults(), new Recorder()));
      assertEquals(MultipartFault.INVALID_BOUNDARY, e.fault());
      assertTrue(e.getMessage().contains("boundary is empty"), e.getMessage());
    }
  }
}
