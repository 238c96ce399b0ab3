package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/**
 * {@link MediaType#parse} against an oracle written apart from it: RFC 9110's media-type grammar as
 * regular expressions. On text built from the grammar's pieces and on arbitrary text, the parser
 * accepts exactly what the grammar accepts (and no parameter name twice), with the same components;
 * what it accepts prints to text that parses back to an equal value, unchanged by case, parameter
 * order or needless quoting.
 */
class MediaTypePropertyTest {

  private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
  private static final String TOKEN = TCHAR + "+";
  private static final String OWS = "[ \\t]*";
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; obs-text as any non-ASCII character
  private static final String QUOTED =
      "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\x{FFFF}]|\\\\[\\t \\x21-\\x7E\\x80-\\x{FFFF}])*\"";
  private static final Pattern ESSENCE = Pattern.compile(OWS + "(" + TOKEN + ")/(" + TOKEN + ")");
  private static final Pattern PARAMETER =
      Pattern.compile(
          "\\G" + OWS + ";" + OWS + "(?:(" + TOKEN + ")=(" + TOKEN + "|" + QUOTED + "))?");
  private static final Pattern END = Pattern.compile("\\G" + OWS + "\\z");

  /** What the grammar makes of {@code text}: the expected value, or null if it is not one. */
  private static Expected oracle(String text) {
    Matcher essence = ESSENCE.matcher(text);
    if (!essence.lookingAt()) {
      return null;
    }
    Expected out = new Expected();
    out.type = essence.group(1).toLowerCase(Locale.ROOT);
    out.subtype = essence.group(2).toLowerCase(Locale.ROOT);
    int at = essence.end();
    while (true) {
      Matcher end = END.matcher(text);
      if (end.find(at)) {
        return out;
      }
      Matcher p = PARAMETER.matcher(text);
      if (!p.find(at)) {
        return null;
      }
      at = p.end();
      if (p.group(1) != null) {
        String name = p.group(1).toLowerCase(Locale.ROOT);
        String value = p.group(2);
        if (value.startsWith("\"")) {
          value = value.substring(1, value.length() - 1).replaceAll("(?s)\\\\(.)", "$1");
        }
        if (name.equals("charset")) {
          value = asciiLowerCase(value);
        }
        if (out.parameters.put(name, value) != null) {
          return null; // a name given twice
        }
      }
    }
  }

  private static String asciiLowerCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return out.toString();
  }

  private static final class Expected {
    String type;
    String subtype;
    final Map<String, String> parameters = new TreeMap<>();
  }

  private static final String[] PIECES = {
    "text",
    "/",
    "plain",
    "Image",
    "vnd.a+json",
    ";",
    ";",
    "=",
    "charset",
    "UTF-8",
    "q",
    "x-Y",
    " ",
    "\t",
    "\"",
    "\"",
    "\\",
    "\\\"",
    "é",
    "\u0001",
    "\u007f",
    ",",
    "@",
    "(",
    "\r\n",
    "\n",
    "\r",
    "\u0080",
    "\u00ff",
    "\u20ac",
    "*",
    "'"
  };

  /** Pieces of the grammar (and of near misses), so that random joins are often media types. */
  @Provide
  Arbitrary<String> pieced() {
    return Arbitraries.of(PIECES).list().ofMaxSize(14).map(pieces -> String.join("", pieces));
  }

  /** Well-formed media types, written with random case, spacing, quoting and empty parameters. */
  @Provide
  Arbitrary<String> wellFormed() {
    return Arbitraries.longs().map(seed -> write(new Random(seed)));
  }

  /**
   * Well-formed media types with one to three edits: a piece inserted, a character deleted, or a
   * parameter repeated (in another case): the near misses where a parser goes wrong.
   */
  @Provide
  Arbitrary<String> mutated() {
    return Arbitraries.longs()
        .map(
            seed -> {
              Random r = new Random(seed);
              StringBuilder text = new StringBuilder(write(r));
              for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
                int at = r.nextInt(text.length() + 1);
                switch (r.nextInt(3)) {
                  case 0 -> text.insert(at, PIECES[r.nextInt(PIECES.length)]);
                  case 1 -> {
                    if (at < text.length()) {
                      text.deleteCharAt(at);
                    }
                  }
                  default -> {
                    int semi = text.indexOf(";");
                    if (semi >= 0) {
                      int next = text.indexOf(";", semi + 1);
                      String param = text.substring(semi, next < 0 ? text.length() : next);
                      text.append(flipCase(param, r));
                    }
                  }
                }
              }
              return text.toString();
            });
  }

  private static String write(Random r) {
    StringBuilder out = new StringBuilder();
    out.append(ows(r)).append(token(r)).append('/').append(token(r));
    int params = r.nextInt(4);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < params; i++) {
      out.append(ows(r)).append(';').append(ows(r));
      if (r.nextInt(5) == 0) {
        continue; // an empty parameter
      }
      String name = r.nextInt(4) == 0 ? "charset" : token(r);
      if (names.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      names.add(name.toLowerCase(Locale.ROOT));
      out.append(name).append('=');
      if (r.nextBoolean()) {
        out.append(token(r));
      } else {
        out.append('"');
        int n = r.nextInt(8);
        for (int c = 0; c < n; c++) {
          String chars = " \t\"\\;=/,aZ9é€";
          char ch = chars.charAt(r.nextInt(chars.length()));
          if (ch == '"' || ch == '\\' || r.nextInt(8) == 0) {
            out.append('\\');
          }
          out.append(ch);
        }
        out.append('"');
      }
    }
    return out.append(ows(r)).toString();
  }

  private static String token(Random r) {
    String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    int n = 1 + r.nextInt(6);
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < n; i++) {
      t.append(tchars.charAt(r.nextInt(tchars.length())));
    }
    return t.toString();
  }

  private static String ows(Random r) {
    return r.nextInt(3) == 0 ? " \t".substring(0, 1 + r.nextInt(2)) : "";
  }

  @Property(tries = 3000)
  void acceptsExactlyWhatTheGrammarAcceptsOnPiecedText(@ForAll("pieced") String text) {
    agreesWithOracle(text);
  }

  @Property(tries = 2000)
  void acceptsExactlyWhatTheGrammarAcceptsOnArbitraryText(
      @ForAll
          @StringLength(max = 30)
          @Chars({'/', ';', '=', '"', '\\', ' ', '\t', 'a', 'B'})
          @CharRange(from = 0, to = 0x100)
          String text) {
    agreesWithOracle(text);
  }

  @Property(tries = 5000)
  void acceptsExactlyWhatTheGrammarAcceptsOnNearMisses(@ForAll("mutated") String text) {
    agreesWithOracle(text);
  }

  @Property(tries = 2000)
  void acceptsEveryWellFormedMediaType(@ForAll("wellFormed") String text) {
    assertNotNull(oracle(text), "the generator wrote a media type: " + text);
    agreesWithOracle(text);
  }

  private static void agreesWithOracle(String text) {
    Expected expected = oracle(text);
    MediaType parsed = MediaType.tryParse(text).orElse(null);
    if (expected == null) {
      assertNull(parsed, () -> "accepted what the grammar refuses: " + printable(text));
      try {
        MediaType.parse(text);
      } catch (IllegalArgumentException e) {
        assertTrue(
            e.getMessage().startsWith("invalid media type \"" + BufferKind.printable(text) + "\""),
            e.getMessage());
        return;
      }
      throw new AssertionError("parse accepted what tryParse refused: " + printable(text));
    }
    assertNotNull(parsed, () -> "refused what the grammar accepts: " + printable(text));
    assertEquals(parsed, MediaType.parse(text));
    assertEquals(expected.type, parsed.type());
    assertEquals(expected.subtype, parsed.subtype());
    assertEquals(expected.type + "/" + expected.subtype, parsed.essence());
    assertEquals(expected.parameters, parsed.parameters());
    expected.parameters.forEach(
        (name, value) ->
            assertEquals(value, parsed.parameter(name.toUpperCase(Locale.ROOT)).orElseThrow()));
    MediaType reparsed = MediaType.parse(parsed.toString());
    assertEquals(parsed, reparsed);
    assertEquals(parsed.hashCode(), reparsed.hashCode());
    assertEquals(parsed.toString(), reparsed.toString());
    assertEquals(parsed.essence(), parsed.withoutParameters().toString());
  }

  @Property(tries = 1000)
  void caseOfNamesOrderOfParametersAndNeedlessQuotesDoNotChangeTheValue(
      @ForAll("wellFormed") String text, @ForAll long seed) {
    MediaType parsed = MediaType.parse(text);
    Random r = new Random(seed);
    StringBuilder rewritten = new StringBuilder(flipCase(parsed.essence(), r));
    List<Map.Entry<String, String>> params = new ArrayList<>(parsed.parameters().entrySet());
    Collections.shuffle(params, r);
    for (Map.Entry<String, String> p : params) {
      String value = p.getValue();
      boolean token = value.matches(TOKEN);
      String written =
          token && r.nextBoolean()
              ? value
              : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      if (p.getKey().equals("charset")) {
        written = flipCase(written, r);
      }
      rewritten.append(";").append(flipCase(p.getKey(), r)).append('=').append(written);
    }
    MediaType other = MediaType.parse(rewritten.toString());
    assertEquals(parsed, other, rewritten::toString);
    assertEquals(parsed.hashCode(), other.hashCode());
    assertEquals(parsed.toString(), other.toString());
  }

  private static String flipCase(String s, Random r) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c >= 'a' && c <= 'z' && r.nextBoolean() ? (char) (c - 32) : c);
    }
    return out.toString();
  }

  private static String printable(String s) {
    return "\"" + BufferKind.printable(s) + "\"";
  }
}
