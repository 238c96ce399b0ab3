package io.axon.buffer;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A media type ({@code image/jpeg}, {@code text/plain; charset=utf-8}): the one parser and
 * normalizer of media types in the library. {@link KindDescriptor} stores its media types through
 * it, {@link BufferKindRegistry#byMediaType} looks them up through it, and ingest reports a part's
 * Content-Type as one.
 *
 * <h2>Syntax (RFC 9110 §8.3.1)</h2>
 *
 * <pre>
 * media-type = type "/" subtype *( OWS ";" OWS [ parameter ] )
 * parameter  = token "=" ( token / quoted-string )
 * </pre>
 *
 * <ul>
 *   <li>Type, subtype and parameter names are tokens (RFC 9110 {@code tchar}), compared
 *       case-insensitively and stored lowercase.
 *   <li>A parameter value is a token or a quoted string; {@code charset="utf-8"} and {@code
 *       charset=utf-8} are the same value. A quoted string undoes its quoted pairs ({@code \"} is
 *       {@code "}). Its text may hold any character but controls other than tab: a non-ASCII
 *       character is RFC 9110's {@code obs-text} as a caller that decoded header bytes as UTF-8
 *       sees it.
 *   <li>Parameter values are case-sensitive, except {@code charset}'s (RFC 9110 §8.3.2), which is
 *       stored lowercase.
 *   <li>Empty parameters ({@code ;;}, a trailing {@code ;}) are allowed and dropped, as the grammar
 *       allows. A parameter name given twice is an error (RFC 6838 §4.3), whatever its case.
 *   <li>White space (space, tab) around the whole value is ignored, as a header field's value
 *       carries none; around {@code ;} it is optional white space; anywhere else (around {@code /}
 *       or {@code =}) it is an error.
 * </ul>
 *
 * <h2>Equality and text</h2>
 *
 * Two media types are equal when their normalized forms are: lowercase type, subtype and parameter
 * names, parameters in name order, values unquoted. {@link #toString()} writes that form ({@code
 * type/subtype; name=value}, values quoted only when they are not tokens), so {@code
 * parse(m.toString()).equals(m)} always holds.
 *
 * <p>Immutable and thread-safe. Parsing costs one pass over the text and, when it has parameters,
 * one small sorted map.
 */
public final class MediaType {

  private final String type;
  private final String subtype;
  private final SortedMap<String, String> parameters;
  private final String essence;

  private MediaType(String type, String subtype, SortedMap<String, String> parameters) {
    this.type = type;
    this.subtype = subtype;
    this.parameters = parameters;
    this.essence = type + "/" + subtype;
  }

  /**
   * A media type with no parameters.
   *
   * @param type the type, a token ({@code image})
   * @param subtype the subtype, a token ({@code jpeg})
   * @return the media type, type and subtype lowercase
   * @throws IllegalArgumentException if either is not a token, quoting it
   */
  public static MediaType of(String type, String subtype) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subtype, "subtype");
    for (String part : new String[] {type, subtype}) {
      if (!isToken(part, 0, part.length())) {
        throw new IllegalArgumentException(
            "invalid media type \""
                + BufferKind.printable(type + "/" + subtype)
                + "\": \""
                + BufferKind.printable(part)
                + "\" is not a token");
      }
    }
    return new MediaType(lower(type), lower(subtype), Collections.emptySortedMap());
  }

  /**
   * Parses a media type (see the class documentation for the rules).
   *
   * @param text the media type, as a Content-Type header value carries it
   * @return the media type, normalized
   * @throws IllegalArgumentException if {@code text} is not a media type; the message quotes it and
   *     names the fault and its index
   */
  public static MediaType parse(String text) {
    Objects.requireNonNull(text, "text");
    Parser parser = new Parser(text);
    MediaType parsed = parser.parse();
    if (parsed == null) {
      throw new IllegalArgumentException(
          "invalid media type \"" + BufferKind.printable(text) + "\": " + parser.fault);
    }
    return parsed;
  }

  /**
   * Parses a media type, or gives empty when {@code text} is null or not a media type (for values a
   * peer sent, where a bad one is simply absent).
   *
   * @param text the media type, or null
   * @return the media type, or empty
   */
  public static Optional<MediaType> tryParse(String text) {
    return text == null ? Optional.empty() : Optional.ofNullable(new Parser(text).parse());
  }

  /**
   * The type, lowercase ({@code image} for {@code Image/JPEG}).
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * The subtype, lowercase ({@code jpeg} for {@code Image/JPEG}).
   *
   * @return the subtype
   */
  public String subtype() {
    return subtype;
  }

  /**
   * The essence: {@code type/subtype}, lowercase, without parameters. What kinds are registered and
   * looked up by.
   *
   * @return the essence
   */
  public String essence() {
    return essence;
  }

  /**
   * The value of a parameter.
   *
   * @param name the parameter's name, any case
   * @return its value (unquoted; lowercase for {@code charset}), or empty if not given
   */
  public Optional<String> parameter(String name) {
    Objects.requireNonNull(name, "name");
    return Optional.ofNullable(parameters.get(lower(name)));
  }

  /**
   * Every parameter.
   *
   * @return an unmodifiable map from lowercase name to unquoted value, sorted by name
   */
  public SortedMap<String, String> parameters() {
    return parameters;
  }

  /**
   * This media type without its parameters.
   *
   * @return the essence as a media type ({@code this} when there are no parameters)
   */
  public MediaType withoutParameters() {
    return parameters.isEmpty() ? this : new MediaType(type, subtype, Collections.emptySortedMap());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaType
        && ((MediaType) o).essence.equals(essence)
        && ((MediaType) o).parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return essence.hashCode() * 31 + parameters.hashCode();
  }

  /**
   * The normalized form: {@code type/subtype}, then {@code ; name=value} per parameter in name
   * order, a value quoted (with {@code "} and {@code \} escaped) when it is empty or not a token.
   *
   * @return the normalized text, which {@link #parse} reads back to an equal value
   */
  @Override
  public String toString() {
    if (parameters.isEmpty()) {
      return essence;
    }
    StringBuilder out = new StringBuilder(essence);
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      out.append("; ").append(p.getKey()).append('=');
      String value = p.getValue();
      if (!value.isEmpty() && isToken(value, 0, value.length())) {
        out.append(value);
      } else {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          if (c == '"' || c == '\\') {
            out.append('\\');
          }
          out.append(c);
        }
        out.append('"');
      }
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- grammar

  /** RFC 9110 {@code tchar}: the characters of a token. */
  static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
  }

  private static boolean isToken(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A character a quoted string may hold, after a backslash or not: not a control but tab. */
  private static boolean isQuotable(char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** ASCII lowercase (tokens are ASCII; no locale can change them). */
  private static String lower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
  }

  /** One parse: the result, or null with {@link #fault} set. */
  private static final class Parser {
    private final String s;
    private int i;
    private int end;
    String fault;

    Parser(String s) {
      this.s = s;
    }

    MediaType parse() {
      end = s.length();
      while (end > 0 && isOws(s.charAt(end - 1))) {
        end--;
      }
      i = 0;
      while (i < end && isOws(s.charAt(i))) {
        i++;
      }
      if (i == end) {
        return fail("it is empty");
      }
      String type = token("type");
      if (type == null) {
        return null;
      }
      if (i >= end || s.charAt(i) != '/') {
        return fail(i >= end ? "no '/' after the type" : unexpected("'/' after the type"));
      }
      i++;
      String subtype = token("subtype");
      if (subtype == null) {
        return null;
      }
      TreeMap<String, String> parameters = null;
      while (true) {
        skipOws();
        if (i >= end) {
          break;
        }
        if (s.charAt(i) != ';') {
          return fail(unexpected("';' or the end"));
        }
        i++;
        skipOws();
        if (i >= end || s.charAt(i) == ';') {
          continue; // an empty parameter
        }
        int nameAt = i;
        String name = token("parameter name");
        if (name == null) {
          return null;
        }
        name = lower(name);
        if (i >= end || s.charAt(i) != '=') {
          return fail(
              i >= end
                  ? "parameter \"" + name + "\" has no '='"
                  : unexpected("'=' after parameter \"" + name + "\""));
        }
        i++;
        String value = i < end && s.charAt(i) == '"' ? quoted(name) : token("parameter value");
        if (value == null) {
          return null;
        }
        if (parameters == null) {
          parameters = new TreeMap<>();
        }
        if (parameters.putIfAbsent(name, name.equals("charset") ? lower(value) : value) != null) {
          return fail("parameter \"" + name + "\" is given twice (at index " + nameAt + ")");
        }
      }
      return new MediaType(
          lower(type),
          lower(subtype),
          parameters == null
              ? Collections.emptySortedMap()
              : Collections.unmodifiableSortedMap(parameters));
    }

    private String token(String what) {
      int start = i;
      while (i < end && isTchar(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        fail(i >= end ? "the " + what + " is missing at the end" : unexpected("a " + what));
        return null;
      }
      return s.substring(start, i);
    }

    /** A quoted string starting at {@code i} (on its opening quote), unquoted. */
    private String quoted(String name) {
      int open = i++;
      StringBuilder out = null;
      int runStart = i;
      while (i < end) {
        char c = s.charAt(i);
        if (c == '"') {
          String value =
              out == null ? s.substring(runStart, i) : out.append(s, runStart, i).toString();
          i++;
          return value;
        }
        if (c == '\\') {
          if (i + 1 >= end || !isQuotable(s.charAt(i + 1))) {
            fail(
                i + 1 >= end
                    ? "the quoted value of parameter \""
                        + name
                        + "\" (from index "
                        + open
                        + ") is not closed"
                    : "a backslash before a control character at index " + i);
            return null;
          }
          if (out == null) {
            out = new StringBuilder(end - runStart);
          }
          out.append(s, runStart, i);
          i++;
          runStart = i; // the escaped character starts the next run
        } else if (!isQuotable(c)) {
          fail("control character " + printableChar(c) + " at index " + i + " in a quoted value");
          return null;
        }
        i++;
      }
      fail(
          "the quoted value of parameter \"" + name + "\" (from index " + open + ") is not closed");
      return null;
    }

    private void skipOws() {
      while (i < end && isOws(s.charAt(i))) {
        i++;
      }
    }

    private String unexpected(String expected) {
      return "expected " + expected + " at index " + i + ", found " + printableChar(s.charAt(i));
    }

    private static String printableChar(char c) {
      return "'" + BufferKind.printable(String.valueOf(c)) + "'";
    }

    private MediaType fail(String why) {
      fault = why;
      return null;
    }
  }
}
