package io.axon.buffer.ingest;

import io.axon.buffer.core.internal.Swar;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes RFC 8187 extended parameter values ({@code filename*=UTF-8''r%C3%A9sum%C3%A9.txt}) and
 * RFC 2231 continuations ({@code filename*0*=UTF-8''a%20; filename*1="b.txt"}). Internal.
 *
 * <p>Every decoder returns {@code null} for an invalid value (unknown or unsupported charset,
 * missing quotes, a character outside {@code attr-char}, a bad percent escape, bytes that are not
 * valid in the charset, a gap in the continuation numbers), so that the caller falls back to the
 * plain parameter, as RFC 6266 §4.3 asks. One leniency: a quoted extended value ({@code
 * filename*="UTF-8''..."}, as Apache HttpClient writes in strict mode) is accepted, its quotes
 * already removed by {@link HeaderParameters}.
 */
final class ExtendedValues {

  private ExtendedValues() {}

  /** Decodes {@code charset "'" [ language ] "'" value-chars}, or returns null if invalid. */
  static String decode(String extValue) {
    int q1 = extValue.indexOf('\'');
    int q2 = q1 < 0 ? -1 : extValue.indexOf('\'', q1 + 1);
    if (q2 < 0) {
      return null;
    }
    Charset charset = charset(extValue.substring(0, q1));
    if (charset == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(extValue.length());
    if (!percentDecode(extValue, q2 + 1, bytes)) {
      return null;
    }
    return decodeStrict(bytes.toByteArray(), charset);
  }

  /**
   * Joins RFC 2231 continuation segments: {@code segments} maps each index to its value and whether
   * it was extended ({@code name*N*}). Returns null if invalid.
   */
  static String joinContinuations(Map<Integer, Segment> segments) {
    TreeMap<Integer, Segment> ordered = new TreeMap<>(segments);
    int expected = 0;
    for (int index : ordered.keySet()) {
      if (index != expected++) {
        return null; // a gap, or no segment 0
      }
    }
    Segment first = ordered.get(0);
    Charset charset = StandardCharsets.UTF_8;
    boolean anyExtended = false;
    for (Segment s : ordered.values()) {
      anyExtended |= s.extended;
    }
    if (!anyExtended) {
      StringBuilder out = new StringBuilder();
      for (Segment s : ordered.values()) {
        out.append(s.value);
      }
      return out.toString();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Map.Entry<Integer, Segment> e : ordered.entrySet()) {
      Segment s = e.getValue();
      String v = s.value;
      if (e.getKey() == 0 && first.extended) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        if (q2 < 0) {
          return null;
        }
        charset = charset(v.substring(0, q1));
        if (charset == null) {
          return null;
        }
        v = v.substring(q2 + 1);
      }
      if (s.extended) {
        if (!percentDecode(v, 0, bytes)) {
          return null;
        }
      } else {
        byte[] literal = v.getBytes(charset);
        bytes.write(literal, 0, literal.length);
      }
    }
    return decodeStrict(bytes.toByteArray(), charset);
  }

  /** One continuation segment. */
  record Segment(String value, boolean extended) {}

  private static Charset charset(String name) {
    if (name.isEmpty()) {
      return null;
    }
    if (name.equalsIgnoreCase("UTF-8")) {
      return StandardCharsets.UTF_8;
    }
    if (name.equalsIgnoreCase("ISO-8859-1")) {
      return StandardCharsets.ISO_8859_1;
    }
    try {
      return Charset.isSupported(name) ? Charset.forName(name) : null;
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  private static boolean percentDecode(String s, int from, ByteArrayOutputStream out) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return false;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0 || s.charAt(i + 1) > 0x7f || s.charAt(i + 2) > 0x7f) {
          return false;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (isAttrChar(c)) {
        out.write(c);
      } else {
        return false;
      }
    }
    return true;
  }

  /** RFC 8187 attr-char. */
  private static boolean isAttrChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!':
      case '#':
      case '$':
      case '&':
      case '+':
      case '-':
      case '.':
      case '^':
      case '_':
      case '`':
      case '|':
      case '~':
        return true;
      default:
        return false;
    }
  }

  private static String decodeStrict(byte[] bytes, Charset charset) {
    try {
      CharBuffer chars =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Decodes header bytes as UTF-8 when they are valid UTF-8, else as ISO-8859-1 (never fails). */
  static String decodeHeaderBytes(byte[] bytes, int from, int to) {
    if (Swar.isAscii(bytes, from, to)) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }
}
