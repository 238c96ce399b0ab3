package io.axon.buffer.cli;

/**
 * Makes text safe to print on a terminal: what the command prints without {@code --json} (file
 * names, a plugin's facts and class names, a body's header values, error messages) may come from
 * hostile files, and a control character reaching the terminal raw can clear the screen, move the
 * cursor or rewrite the title ({@code ESC [2J}).
 *
 * <p>The rules, chosen so that the printed text names one string only: {@code \} becomes {@code
 * \\}; newline, carriage return and tab {@code \n}, {@code \r}, {@code \t}; other C0 controls and
 * DEL {@code \xNN}; a byte of a file name that is not UTF-8 (a lone surrogate U+DC80..U+DCFF, see
 * {@link PathNames}) {@code \xNN}, the byte; C1 controls (U+0080..U+009F, which some terminals
 * obey), the line and paragraph separators, the bidirectional controls (which reorder what is
 * shown: "Trojan Source") and any other lone surrogate <code>&#92;uNNNN</code>. Everything else,
 * all of printable Unicode, is printed as it is.
 */
final class TerminalText {

  private TerminalText() {}

  /** {@code s} with every character a terminal might obey escaped (see the class comment). */
  static String escape(String s) {
    int i = 0;
    while (i < s.length() && !escaped(s, i)) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!escaped(s, i)) {
        out.append(c);
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (c >= 0xDC80 && c <= 0xDCFF) {
        out.append(String.format("\\x%02x", c & 0xFF));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  /**
   * True if the character at {@code i} is escaped: a backslash, or a character a terminal might
   * obey (what {@link Json} escapes too, as <code>&#92;uNNNN</code>).
   */
  static boolean escaped(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\\') {
      return true;
    }
    if (Character.isSurrogate(c)) {
      return !pairedAt(s, i);
    }
    return c == 0x2028
        || c == 0x2029
        || c == 0x061C
        || c == 0x200E
        || c == 0x200F
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** True if the surrogate at {@code i} is half of a valid pair. */
  static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
