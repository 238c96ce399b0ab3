package io.axon.buffer.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File names as the command reports them: the real bytes of the name, never the JVM's lossy
 * decoding of them.
 *
 * <p>On Linux a file name is bytes. The JVM decodes them with {@code sun.jnu.encoding} (the
 * locale's: UTF-8 under {@code LANG=C.UTF-8}, ASCII under {@code LANG=C}), and {@link
 * Path#toString()} shows a byte it cannot decode as U+FFFD (under {@code LANG=C} every non-ASCII
 * byte, even valid UTF-8), so the printed name names no file. The {@link Path} itself keeps the
 * bytes (a name read from a folder opens fine); {@link #of} gets them back through {@link
 * Path#toUri()}, which percent-encodes the bytes, and decodes them as UTF-8, each byte that is not
 * part of valid UTF-8 becoming one lone surrogate U+DC80..U+DCFF (Python's "surrogateescape", PEP
 * 383). {@link Json} writes such a surrogate as <code>&#92;udcNN</code> (a consumer can turn the
 * name back into bytes: Python's {@code os.fsencode}), {@link TerminalText} as {@code \xNN}.
 *
 * <p>Arguments are another matter: the launcher decodes the command line with the same encoding
 * before any Java code runs, so an argument's undecodable bytes are lost (UTF-8 locale: each
 * becomes U+FFFD and names no file) or refused (ASCII locale: {@link #path} says to use a UTF-8
 * locale; the {@code ./axon-buffer} launcher picks {@code C.UTF-8} itself when the locale is not
 * UTF-8). Give the folder instead: names found by walking it keep their bytes.
 */
final class PathNames {

  /** True when {@link Path#toString()} decodes names as UTF-8. */
  private static final boolean JNU_UTF8 =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

  private PathNames() {}

  /**
   * The name of {@code path} with its real bytes: valid UTF-8 decoded, any other byte as a lone
   * surrogate {@code U+DC00 + byte}.
   */
  static String of(Path path) {
    String s = path.toString();
    boolean lossless = s.indexOf('\uFFFD') < 0 && (JNU_UTF8 || isAscii(s));
    if (lossless || path.getFileSystem() != FileSystems.getDefault()) {
      return s;
    }
    return decode(bytes(path));
  }

  /**
   * {@code arg} as a path, for the option or parameter {@code what}.
   *
   * @throws UsageError if the JVM cannot encode {@code arg} as a file name (a non-ASCII name under
   *     an ASCII locale)
   */
  static Path path(String what, String arg) {
    try {
      return Path.of(arg);
    } catch (InvalidPathException e) {
      throw new UsageError(
          what
              + ": cannot name the file '"
              + arg
              + "' in this locale (the JVM encodes file names as "
              + System.getProperty("sun.jnu.encoding")
              + "): run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    }
  }

  /**
   * The file argument {@code arg} as messages name it: "standard input" for {@code -}, else its
   * real name.
   */
  static String display(String what, String arg) {
    return arg.equals("-") ? "standard input" : of(path(what, arg));
  }

  /** The bytes of {@code path}'s name, element by element, from their URI form. */
  static byte[] bytes(Path path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (path.isAbsolute()) {
      out.write('/');
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      if (i > 0) {
        out.write('/');
      }
      // The URI of the element taken from the working folder ends with the element's bytes,
      // percent-encoded (and a '/' when that names a folder).
      String raw = path.getName(i).toAbsolutePath().toUri().getRawPath();
      int end = raw.endsWith("/") ? raw.length() - 1 : raw.length();
      percentDecode(raw, raw.lastIndexOf('/', end - 1) + 1, end, out);
    }
    return out.toByteArray();
  }

  private static void percentDecode(String s, int from, int to, ByteArrayOutputStream out) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < to) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
  }

  /** UTF-8 with surrogateescape: a byte that is not part of valid UTF-8 becomes U+DC00 + byte. */
  static String decode(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      for (int k = 0; k < r.length(); k++) {
        out.put((char) (0xDC00 | (in.get() & 0xFF)));
      }
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
