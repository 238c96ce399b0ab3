package io.axon.buffer.ingest;

/** Message helpers. Internal. */
final class Text {

  private Text() {}

  /** Escapes control and non-printable characters and cuts at 100 characters, for messages. */
  static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(s.length(), 100) + 8);
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > 100) {
      out.append("…(").append(s.length()).append(" chars)");
    }
    return out.toString();
  }

  /**
   * True if {@code s} equals {@code lower} ignoring ASCII case, where {@code lower} is lowercase
   * letters, digits and {@code -} only and {@code s} holds no control characters (a header token):
   * cheaper than {@link String#equalsIgnoreCase}, which handles all of Unicode.
   */
  static boolean equalsAsciiLower(String s, String lower) {
    int n = lower.length();
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if ((s.charAt(i) | 0x20) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with ASCII letters lowercased (itself if it has no uppercase ASCII letter). */
  static String asciiLowerCase(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] out = s.toCharArray();
        for (int k = i; k < n; k++) {
          char d = out[k];
          if (d >= 'A' && d <= 'Z') {
            out[k] = (char) (d + ('a' - 'A'));
          }
        }
        return new String(out);
      }
    }
    return s;
  }

  /** A byte for a message: the character if printable ASCII, with its hex value. */
  static String describeByte(int b) {
    b &= 0xff;
    if (b >= 0x21 && b < 0x7f) {
      return "'" + (char) b + "' (0x" + hex(b) + ")";
    }
    switch (b) {
      case '\r':
        return "CR (0x0d)";
      case '\n':
        return "LF (0x0a)";
      case ' ':
        return "SP (0x20)";
      case '\t':
        return "HTAB (0x09)";
      case 0:
        return "NUL (0x00)";
      default:
        return "0x" + hex(b);
    }
  }

  private static String hex(int b) {
    String h = Integer.toHexString(b);
    return h.length() == 1 ? "0" + h : h;
  }
}
