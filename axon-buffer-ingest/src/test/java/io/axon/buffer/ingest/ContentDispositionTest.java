package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.ingest.HeaderParameters.SyntaxException;
import org.junit.jupiter.api.Test;

class ContentDispositionTest {

  private static ContentDisposition cd(String header) throws SyntaxException {
    return ContentDisposition.parse(header);
  }

  @Test
  void plainNameAndFilename() throws Exception {
    ContentDisposition d = cd("form-data; name=\"field\"; filename=\"a.txt\"");
    assertEquals("field", d.name);
    assertEquals("a.txt", d.filename);
    assertEquals("a.txt", d.plainFilename);
  }

  @Test
  void typeAndParameterNamesAreCaseInsensitive() throws Exception {
    ContentDisposition d = cd("Form-Data; NAME=\"x\"; FileName=\"y\"");
    assertEquals("x", d.name);
    assertEquals("y", d.filename);
  }

  @Test
  void emptyFilenameIsEmptyNotNull() throws Exception {
    assertEquals("", cd("form-data; name=\"f\"; filename=\"\"").filename);
    assertNull(cd("form-data; name=\"f\"").filename);
  }

  @Test
  void escapedQuoteAndBackslashAreUndoneOtherBackslashesKept() throws Exception {
    assertEquals(
        "quote\"name.txt", cd("form-data; name=q; filename=\"quote\\\"name.txt\"").filename);
    assertEquals(
        "back\\slash.txt", cd("form-data; name=q; filename=\"back\\\\slash.txt\"").filename);
    assertEquals("back\\slash.txt", cd("form-data; name=q; filename=\"back\\slash.txt\"").filename);
    assertEquals(
        "C:\\Windows\\evil.txt",
        cd("form-data; name=g; filename=\"C:\\Windows\\evil.txt\"").filename);
  }

  @Test
  void semicolonInsideQuotesIsPartOfTheValue() throws Exception {
    assertEquals(
        "semi;colon.txt", cd("form-data; name=\"sc\"; filename=\"semi;colon.txt\"").filename);
  }

  @Test
  void filenameStarIsPreferredOverFilename() throws Exception {
    ContentDisposition d =
        cd(
            "form-data; name=\"u\"; filename=\"r?sum?.txt\"; "
                + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC%E8%AA%9E.txt");
    assertEquals("résumé 日本語.txt", d.filename);
    assertEquals("r?sum?.txt", d.plainFilename);
  }

  @Test
  void filenameStarAloneIsEnough() throws Exception {
    assertEquals("€ rates", cd("form-data; name=a; filename*=utf-8'en'%e2%82%ac%20rates").filename);
  }

  @Test
  void isoLatin1FilenameStar() throws Exception {
    assertEquals("£ rates", cd("form-data; name=a; filename*=iso-8859-1'en'%A3%20rates").filename);
  }

  @Test
  void quotedFilenameStarAsApacheStrictModeWritesItIsAccepted() throws Exception {
    assertEquals(
        "résumé.txt",
        cd("form-data; name=a; filename=\"x\"; filename*=\"UTF-8''r%C3%A9sum%C3%A9.txt\"")
            .filename);
  }

  @Test
  void invalidFilenameStarIsIgnored() throws Exception {
    // invalid UTF-8
    assertEquals(
        "plain.txt",
        cd("form-data; name=a; filename=\"plain.txt\"; filename*=UTF-8''%FF%FE").filename);
    // unknown charset
    assertEquals(
        "plain.txt", cd("form-data; name=a; filename=plain.txt; filename*=x-nope''abc").filename);
    // no quotes around the language
    assertEquals(
        "plain.txt", cd("form-data; name=a; filename=plain.txt; filename*=UTF-8abc").filename);
    // a bad percent escape
    assertEquals(
        "plain.txt", cd("form-data; name=a; filename=plain.txt; filename*=UTF-8''a%G1").filename);
    // a character outside attr-char
    assertEquals(
        "plain.txt",
        cd("form-data; name=a; filename=plain.txt; filename*=\"UTF-8''a b\"").filename);
    // alone and invalid: no file name at all
    assertNull(cd("form-data; name=a; filename*=UTF-8''%FF").filename);
  }

  @Test
  void rfc2231ContinuationsAreJoined() throws Exception {
    assertEquals(
        "a long name.txt",
        cd("form-data; name=a; filename*0=\"a long \"; filename*1=\"name.txt\"").filename);
    assertEquals(
        "résumé.txt",
        cd("form-data; name=a; filename*0*=UTF-8''r%C3%A9; filename*1*=sum%C3%A9; filename*2=\".txt\"")
            .filename);
    // segments given out of order are put in order
    assertEquals(
        "abc", cd("form-data; name=a; filename*1=\"b\"; filename*0=\"a\"; filename*2=c").filename);
  }

  @Test
  void continuationsWithAGapAreIgnored() throws Exception {
    assertEquals(
        "fallback",
        cd("form-data; name=a; filename=fallback; filename*0=a; filename*2=c").filename);
    assertEquals("fallback", cd("form-data; name=a; filename=fallback; filename*1=a").filename);
  }

  @Test
  void filenameStarWinsOverContinuations() throws Exception {
    assertEquals("x", cd("form-data; name=a; filename*=UTF-8''x; filename*0=y").filename);
  }

  @Test
  void duplicateParameterIsMalformed() {
    SyntaxException e =
        assertThrows(SyntaxException.class, () -> cd("form-data; name=\"a\"; name=\"b\""));
    assertTrue(e.getMessage().contains("\"name\" is given twice"), e.getMessage());
    assertThrows(SyntaxException.class, () -> cd("form-data; name=a; filename=x; FILENAME=y"));
    assertThrows(
        SyntaxException.class,
        () -> cd("form-data; name=a; filename*=UTF-8''x; Filename*=UTF-8''y"));
  }

  @Test
  void duplicatesAreFoundAmongManyParameters() throws Exception {
    StringBuilder many = new StringBuilder("form-data; name=a");
    for (int i = 0; i < 20; i++) {
      many.append("; p").append(i).append("=v");
    }
    assertEquals("a", cd(many.toString()).name);
    SyntaxException e = assertThrows(SyntaxException.class, () -> cd(many + "; P7=again"));
    assertTrue(e.getMessage().contains("\"p7\" is given twice"), e.getMessage());
  }

  @Test
  void notFormDataIsMalformedAndAMissingNameIsLeftToTheParser() throws Exception {
    assertTrue(
        assertThrows(SyntaxException.class, () -> cd("attachment; name=x"))
            .getMessage()
            .contains("\"attachment\" is not form-data"));
    ContentDisposition noName = cd("form-data; filename=x");
    assertEquals(null, noName.name);
    assertEquals("x", noName.filename);
  }

  @Test
  void malformedQuotingIsReadAsCommonsAndJettyReadIt() throws Exception {
    // A bare quote inside a quoted value is part of it when it does not end the parameter.
    assertEquals("a\"b.txt", cd("form-data; name=f; filename=\"a\"b.txt\"").filename);
    assertEquals("x\" junk", cd("form-data; name=\"x\" junk").name);
    // An unterminated quoted value runs to the end.
    assertEquals("x", cd("form-data; name=\"x").name);
    assertEquals("ab.txt", cd("form-data; name=f; filename=\"ab.txt  ").filename);
    // A quote inside an unquoted value is kept.
    assertEquals("a\"b", cd("form-data; name=a\"b").name);
    // A parameter without '=' or without a token name is skipped.
    ContentDisposition skipped = cd("form-data; name=f; filename; fi/le=\"x\"; =y");
    assertEquals("f", skipped.name);
    assertEquals(null, skipped.filename);
    // A closing quote followed by ';' ends the value, as in a valid header.
    ContentDisposition php = cd("form-data; name=\"f\"; filename=\"x.jpg\"; .php\"");
    assertEquals("x.jpg", php.filename);
  }

  @Test
  void jettysHttpClientFileNameIsTakenFromItsValidFilenameStar() throws Exception {
    // As Jetty 12's MultiPartRequestContent writes a file name with quotes, a backslash and a
    // non-ASCII letter (see RealClientBodiesTest for the body made by the client itself).
    ContentDisposition d =
        cd(
            "form-data; name=\"fi\\\"eld\"; filename=\"my \"quoted\" \\ n_me.txt\";"
                + " filename*=UTF-8''my%20%22quoted%22%20%5C%20n%C3%A4me.txt");
    assertEquals("fi\"eld", d.name);
    assertEquals("my \"quoted\" \\ n\u00e4me.txt", d.filename);
    assertEquals("my \"quoted\" \\ n_me.txt", d.plainFilename);
  }

  @Test
  void aValidHeaderReadsTheSameWithRecoveryOn() throws Exception {
    for (String header :
        new String[] {
          "form-data; name=\"a\"; filename=\"b;c.txt\"",
          "form-data; name=\"a\\\"q\"; filename=\"C:\\dir\\x.txt\"",
          "form-data;; name = field ; ;filename=my file.txt ;",
          "form-data; name=a; filename*=UTF-8''%E2%82%AC.txt"
        }) {
      assertEquals(
          HeaderParameters.parse(header, false).params(),
          HeaderParameters.parse(header, true).params(),
          header);
    }
  }

  @Test
  void emptyParametersAreSkippedAndUnquotedValuesTrimmed() throws Exception {
    ContentDisposition d = cd("form-data;; name = field ; ;filename=my file.txt ;");
    assertEquals("field", d.name);
    assertEquals("my file.txt", d.filename);
  }

  @Test
  void emptyNameIsAllowed() throws Exception {
    assertEquals("", cd("form-data; name=\"\"").name);
  }

  /**
   * The fast path for the shape clients send ({@code form-data; name="v"; filename="f"}) reads it
   * exactly as the general parser does, and declines every other shape (a quote or backslash in a
   * value, other spacing, other parameters, non-ASCII), which the general parser then reads.
   */
  @net.jqwik.api.Property(tries = 5000)
  void theUsualShapeReadsAsTheGeneralParserReadsIt(@net.jqwik.api.ForAll long seed)
      throws Exception {
    java.util.Random r = new java.util.Random(seed);
    String h =
        "form-data; name=\""
            + value(r)
            + "\""
            + (r.nextBoolean() ? "; filename=\"" + value(r) + "\"" : "")
            + (r.nextInt(6) == 0 ? value(r) : "");
    if (r.nextInt(8) == 0) {
      h = h.replace("; ", r.nextBoolean() ? ";" : ";  ");
    }
    ContentDisposition fast = ContentDisposition.simple(h);
    ContentDisposition general;
    try {
      general = ContentDisposition.parseGeneral(h);
    } catch (SyntaxException e) {
      assertNull(fast, h);
      return;
    }
    if (fast != null) {
      assertEquals(general.type, fast.type, h);
      assertEquals(general.name, fast.name, h);
      assertEquals(general.filename, fast.filename, h);
      assertEquals(general.plainFilename, fast.plainFilename, h);
      assertEquals(general.parameters, fast.parameters, h);
    }
  }

  private static String value(java.util.Random r) {
    String[] pieces = {"a", "field1", "x.txt", " ", "\"", "\\", "é", ";", "=", "\t", "%22", "*"};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(4); i > 0; i--) {
      b.append(pieces[r.nextInt(r.nextInt(3) == 0 ? pieces.length : 3)]);
    }
    return b.toString();
  }

  @Test
  void theFastPathTakesTheUsualShapeAndDeclinesTheRest() {
    assertEquals("field1", ContentDisposition.simple("form-data; name=\"field1\"").name);
    ContentDisposition file =
        ContentDisposition.simple("form-data; name=\"f\"; filename=\"a.txt\"");
    assertEquals("a.txt", file.filename);
    assertEquals("a.txt", file.plainFilename);
    assertNull(ContentDisposition.simple("form-data; name=\"a\"b\""));
    assertNull(ContentDisposition.simple("form-data; name=\"a\\\"b\""));
    assertEquals("é", ContentDisposition.simple("form-data; name=\"é\"").name);
    assertNull(ContentDisposition.simple("form-data; name=\"f\"; filename*=UTF-8''a"));
    assertNull(ContentDisposition.simple("Form-Data; name=\"f\""));
  }
}
