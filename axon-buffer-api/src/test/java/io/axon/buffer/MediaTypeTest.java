package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The media-type value on the examples RFC 9110 gives and on the faults it names. */
class MediaTypeTest {

  @Test
  void rfc9110sEquivalentExamplesAreEqualAndPrintTheSame() {
    MediaType a = MediaType.parse("text/html;charset=utf-8");
    for (String same :
        new String[] {
          "Text/HTML;Charset=\"utf-8\"", "text/html; charset=\"utf-8\"", "text/html;charset=UTF-8"
        }) {
      MediaType b = MediaType.parse(same);
      assertEquals(a, b, same);
      assertEquals(a.hashCode(), b.hashCode(), same);
      assertEquals("text/html; charset=utf-8", b.toString(), same);
    }
  }

  @Test
  void exposesTypeSubtypeEssenceAndParameters() {
    MediaType m = MediaType.parse("  Multipart/Form-Data ; Boundary=\"a \\\"b\\\\\" ;; X=Y ; ");
    assertEquals("multipart", m.type());
    assertEquals("form-data", m.subtype());
    assertEquals("multipart/form-data", m.essence());
    assertEquals(Optional.of("a \"b\\"), m.parameter("BOUNDARY"));
    assertEquals(Optional.of("Y"), m.parameter("x"), "values other than charset keep their case");
    assertEquals(Optional.empty(), m.parameter("charset"));
    assertEquals(Map.of("boundary", "a \"b\\", "x", "Y"), m.parameters());
    assertEquals("multipart/form-data; boundary=\"a \\\"b\\\\\"; x=Y", m.toString());
    assertEquals(MediaType.of("multipart", "form-data"), m.withoutParameters());
  }

  @Test
  void parameterOrderDoesNotMatterButValueCaseDoes() {
    assertEquals(MediaType.parse("a/b; p=1; q=2"), MediaType.parse("a/b;q=2;p=1"));
    assertNotEquals(MediaType.parse("a/b; p=x"), MediaType.parse("a/b; p=X"));
    assertNotEquals(MediaType.parse("a/b"), MediaType.parse("a/b; p=x"));
  }

  @Test
  void withoutParametersOfABareTypeIsItself() {
    MediaType bare = MediaType.parse("image/jpeg");
    assertSame(bare, bare.withoutParameters());
  }

  @Test
  void emptyAndNonTokenValuesAreQuotedInText() {
    assertEquals("a/b; p=\"\"", MediaType.parse("a/b; p=\"\"").toString());
    assertEquals("a/b; p=\"x y;z\"", MediaType.parse("a/b;p=\"x y;z\"").toString());
    assertEquals(
        "a/b; name=\"résumé.pdf\"", MediaType.parse("a/b; name=\"résumé.pdf\"").toString());
  }

  @Test
  void badInputIsAnIllegalArgumentQuotingItAndNamingTheFault() {
    assertFault("", "it is empty");
    assertFault(" \t", "it is empty");
    assertFault("image", "no '/' after the type");
    assertFault("image/", "the subtype is missing at the end");
    assertFault("/jpeg", "expected a type at index 0, found '/'");
    assertFault("image /jpeg", "expected '/' after the type at index 5, found ' '");
    assertFault("image/ jpeg", "expected a subtype at index 6");
    assertFault("a/b/c", "expected ';' or the end at index 3, found '/'");
    assertFault("a/b; p", "parameter \"p\" has no '='");
    assertFault("a/b; p =1", "expected '=' after parameter \"p\" at index 6");
    assertFault("a/b; p= 1", "expected a parameter value at index 7");
    assertFault("a/b; =1", "expected a parameter name at index 5");
    assertFault("a/b; p=x y", "expected ';' or the end at index 9, found 'y'");
    assertFault("a/b; p=\"x", "the quoted value of parameter \"p\" (from index 7) is not closed");
    assertFault("a/b; p=\"x\\", "is not closed");
    assertFault("a/b; p=\"x\ny\"", "control character '\\u000a' at index 9 in a quoted value");
    assertFault("a/b; p=\"x\"y", "expected ';' or the end at index 10, found 'y'");
    assertFault("a/b; p=1; P=2", "parameter \"p\" is given twice (at index 10)");
    assertFault("a/b; p=é", "expected a parameter value at index 7, found '\\u00e9'");
    assertFault("imagé/jpeg", "expected '/' after the type at index 4");
    assertThrows(NullPointerException.class, () -> MediaType.parse(null));
  }

  @Test
  void tryParseIsEmptyForNullAndBadInput() {
    assertEquals(Optional.empty(), MediaType.tryParse(null));
    assertEquals(Optional.empty(), MediaType.tryParse("a/b/c"));
    assertEquals(Optional.of(MediaType.of("A", "B")), MediaType.tryParse("a/b"));
  }

  @Test
  void ofChecksTokens() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MediaType.of("image", "jp eg"));
    assertEquals("invalid media type \"image/jp eg\": \"jp eg\" is not a token", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MediaType.of("", "x"));
  }

  private static void assertFault(String input, String fault) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MediaType.parse(input));
    String quoted = "invalid media type \"" + BufferKind.printable(input) + "\": ";
    assertTrue(e.getMessage().startsWith(quoted), e.getMessage());
    assertTrue(e.getMessage().contains(fault), e.getMessage());
  }
}
