package io.axon.buffer.ingest;

/**
 * Makes a client's file name safe to use as a local file name. The parser keeps file names as sent
 * ({@code ../../etc/passwd}, {@code C:\Windows\evil.txt}): what a name means is the application's
 * business, but writing one to disk as sent is a path traversal.
 */
public final class FileNames {

  /** The longest safe base name, in UTF-8 bytes. */
  public static final int MAX_BASE_NAME_BYTES = 200;

  private FileNames() {}

  /**
   * The last path segment of {@code fileName}, safe as a single file name:
   *
   * <ul>
   *   <li>everything up to the last {@code /} or {@code \} is dropped ({@code ../../etc/passwd}
   *       gives {@code passwd}, {@code C:\Windows\evil.txt} gives {@code evil.txt});
   *   <li>a drive prefix ({@code C:}) is dropped;
   *   <li>control characters (U+0000–U+001F, U+007F–U+009F) are removed;
   *   <li>leading and trailing spaces and trailing dots are removed (Windows drops them silently);
   *   <li>{@code .} and {@code ..} give the empty string;
   *   <li>a name longer than {@value #MAX_BASE_NAME_BYTES} bytes in UTF-8 is cut in the middle,
   *       keeping its start and its extension (common file systems refuse names over 255 bytes:
   *       this leaves room for a prefix of the caller's, such as a sequence number).
   * </ul>
   *
   * @return the safe base name, possibly empty (then the caller must make up a name)
   * @throws NullPointerException if {@code fileName} is null
   */
  public static String safeBaseName(String fileName) {
    int cut = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
    String base = fileName.substring(cut + 1);
    if (base.length() >= 2 && base.charAt(1) == ':' && isAsciiLetter(base.charAt(0))) {
      base = base.substring(2);
    }
    StringBuilder out = new StringBuilder(base.length());
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      if (c >= 0x20 && !(c >= 0x7f && c <= 0x9f)) {
        out.append(c);
      }
    }
    int start = 0;
    int end = out.length();
    while (start < end && out.charAt(start) == ' ') {
      start++;
    }
    while (end > start && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '.')) {
      end--;
    }
    String result = out.substring(start, end);
    return result.equals(".") || result.equals("..") ? "" : shorten(result);
  }

  /** Cuts a name over {@link #MAX_BASE_NAME_BYTES} UTF-8 bytes, keeping a short extension. */
  private static String shorten(String name) {
    if (utf8Length(name) <= MAX_BASE_NAME_BYTES) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
    int budget = MAX_BASE_NAME_BYTES - utf8Length(ext);
    int cut = 0;
    int bytes = 0;
    while (cut < name.length()) {
      int cp = name.codePointAt(cut);
      int n = utf8Length(cp);
      if (bytes + n > budget) {
        break;
      }
      bytes += n;
      cut += Character.charCount(cp);
    }
    return name.substring(0, cut) + ext;
  }

  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
