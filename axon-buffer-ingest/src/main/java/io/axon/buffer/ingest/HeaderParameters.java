package io.axon.buffer.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parses a header value of the form {@code value *( ";" name "=" ( token / quoted-string ) )}:
 * Content-Type and Content-Disposition. Internal.
 *
 * <p>Rules (RFC 7231 §3.1.1.1, RFC 6266, RFC 7578), with the leniencies real clients need:
 *
 * <ul>
 *   <li>Parameter names are tokens, compared case-insensitively (returned lowercase).
 *   <li>A quoted value undoes the escapes browsers and curl write: {@code \"} gives {@code "} and
 *       {@code \\} gives {@code \}; any other backslash is kept as sent, so {@code
 *       "C:\Windows\x.txt"} stays a Windows path (HTML form submission never escapes backslashes).
 *   <li>An unquoted value runs to the next {@code ;}, trimmed: {@code boundary=----=_Part_1}
 *       (characters RFC 7230 reserves for quoted strings) is accepted as sent.
 *   <li>Empty parameters ({@code ;;}, a trailing {@code ;}) are skipped.
 *   <li>Errors: a parameter without a name or without {@code =}, a name that is not a token, an
 *       unterminated quoted string, text after a closing quote, a {@code "} inside an unquoted
 *       value.
 * </ul>
 *
 * <p>With recovery on ({@link #parse(String, boolean)}; for Content-Disposition, never for a
 * Content-Type, whose boundary must be read one way only), those errors are read as Commons
 * FileUpload 2 and Jetty 12 read them, both of which accept them: a {@code "} inside a quoted value
 * that is not followed by {@code ;} or the end is part of the value ({@code filename="a"b.txt"}
 * gives {@code a"b.txt}); an unterminated quoted value runs to the end; a {@code "} inside an
 * unquoted value is kept; a parameter without {@code =} or whose name is not a token is skipped up
 * to the next {@code ;}. A header that parses without recovery parses the same with it.
 */
final class HeaderParameters {

  /** One parameter: its lowercase name and its value with quoting undone. */
  record Param(String name, String value, boolean quoted) {}

  /** A parse failure, with a message naming the problem and the value. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private final String value;
  private final List<Param> params;

  private HeaderParameters(String value, List<Param> params) {
    this.value = value;
    this.params = params;
  }

  /** The value before the first {@code ;}, trimmed, as sent. */
  String value() {
    return value;
  }

  /** The parameters in the order sent (duplicates kept). */
  List<Param> params() {
    return params;
  }

  /** The values of parameter {@code lowercaseName}, in order. */
  List<String> all(String lowercaseName) {
    List<String> out = new ArrayList<>(1);
    for (Param p : params) {
      if (p.name.equals(lowercaseName)) {
        out.add(p.value);
      }
    }
    return out;
  }

  /** {@link #parse(String, boolean)} without recovery. */
  static HeaderParameters parse(String header) throws SyntaxException {
    return parse(header, false);
  }

  /**
   * The value and parameters of {@code header}.
   *
   * @param recover read the malformed shapes real clients send instead of refusing them (see the
   *     class comment)
   * @throws SyntaxException naming the problem, when {@code recover} is off or cannot help
   */
  static HeaderParameters parse(String header, boolean recover) throws SyntaxException {
    final char[] h = header.toCharArray();
    final int n = h.length;
    int semi = 0;
    while (semi < n && h[semi] != ';') {
      semi++;
    }
    String main = header.substring(0, semi).trim();
    List<Param> params = new ArrayList<>(4);
    int i = semi;
    while (i < n) {
      // h[i] == ';'
      i = skipOws(h, i + 1);
      if (i >= n) {
        break;
      }
      if (h[i] == ';') {
        continue;
      }
      int nameStart = i;
      while (i < n && h[i] != '=' && h[i] != ';' && !isOws(h[i])) {
        i++;
      }
      if (recover && (!isToken(h, nameStart, i) || skipOws(h, i) >= n || h[skipOws(h, i)] != '=')) {
        // A malformed parameter: skipped, as the peers do.
        while (i < n && h[i] != ';') {
          i++;
        }
        continue;
      }
      if (!isToken(h, nameStart, i)) {
        throw new SyntaxException(
            "parameter name \""
                + Text.printable(new String(h, nameStart, i - nameStart))
                + "\" at index "
                + nameStart
                + " is not a token");
      }
      String name = Text.asciiLowerCase(new String(h, nameStart, i - nameStart));
      i = skipOws(h, i);
      if (i >= n || h[i] != '=') {
        throw new SyntaxException("parameter \"" + Text.printable(name) + "\" has no '='");
      }
      i = skipOws(h, i + 1);
      if (i < n && h[i] == '"') {
        i++;
        int valueStart = i;
        StringBuilder escaped = null;
        boolean closed = false;
        while (i < n) {
          char c = h[i];
          if (c == '"') {
            int after = skipOws(h, i + 1);
            if (!recover || after >= n || h[after] == ';') {
              closed = true;
              break;
            }
            // Recovery: a bare quote inside the value (the next one may close it).
            if (escaped != null) {
              escaped.append(c);
            }
            i++;
            continue;
          }
          if (c == '\\' && i + 1 < n && (h[i + 1] == '"' || h[i + 1] == '\\')) {
            if (escaped == null) {
              escaped = new StringBuilder(n - valueStart).append(h, valueStart, i - valueStart);
            }
            escaped.append(h[i + 1]);
            i += 2;
          } else {
            if (escaped != null) {
              escaped.append(c);
            }
            i++;
          }
        }
        if (!closed && !recover) {
          throw new SyntaxException(
              "unterminated quoted string in parameter \"" + Text.printable(name) + "\"");
        }
        String value =
            escaped != null ? escaped.toString() : new String(h, valueStart, i - valueStart);
        if (!closed) {
          // Recovery: an unterminated quoted value runs to the end.
          value = value.stripTrailing();
        }
        i = skipOws(h, i + 1);
        if (i < n && h[i] != ';') {
          throw new SyntaxException(
              "unexpected '"
                  + Text.printable(String.valueOf(h[i]))
                  + "' after the quoted value of parameter \""
                  + Text.printable(name)
                  + "\"");
        }
        params.add(new Param(name, value, true));
      } else {
        int start = i;
        while (i < n && h[i] != ';') {
          if (h[i] == '"' && !recover) {
            throw new SyntaxException(
                "'\"' inside the unquoted value of parameter \"" + Text.printable(name) + "\"");
          }
          i++;
        }
        int end = i;
        while (end > start && isOws(h[end - 1])) {
          end--;
        }
        params.add(new Param(name, new String(h, start, end - start), false));
      }
    }
    return new HeaderParameters(main, Collections.unmodifiableList(params));
  }

  private static int skipOws(char[] h, int i) {
    while (i < h.length && isOws(h[i])) {
      i++;
    }
    return i;
  }

  private static boolean isToken(char[] h, int from, int to) {
    if (from == to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isTchar(h[i])) {
        return false;
      }
    }
    return true;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** RFC 7230 token: one or more tchar. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }
}
