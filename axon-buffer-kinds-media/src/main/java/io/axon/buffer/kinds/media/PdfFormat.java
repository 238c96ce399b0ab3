package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import io.axon.buffer.core.internal.Swar;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PDF: the sniffer and the inspector read the {@code %PDF-M.m} header. ISO 32000 puts it at the
 * start; readers (and this sniffer, with a lower score) accept it anywhere in the first 1024 bytes,
 * after junk some producers prepend.
 */
final class PdfFormat {

  private PdfFormat() {}

  /** How far into the content readers look for the header. */
  static final int HEADER_WINDOW = 1024;

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (Bytes.matches(head, p, end, "%PDF-")) {
      return versionAt(head, p + 5, end) > 0 ? KindSniffer.CERTAIN : 80;
    }
    int window = Math.min(end, p + HEADER_WINDOW);
    // A header lies wholly inside the window; its '%' is found eight bytes at a time.
    int last = window - 4;
    for (int i = Swar.indexOf(head, p + 1, last, (byte) '%');
        i >= 0;
        i = Swar.indexOf(head, i + 1, last, (byte) '%')) {
      if (Bytes.matches(head, i, end, "%PDF-")) {
        return versionAt(head, i + 5, end) > 0 ? 70 : 40;
      }
    }
    return 0;
  }

  /** The length of a {@code digits.digits} version at {@code i}, 0 if there is none. */
  private static int versionAt(ByteBuffer b, int i, int end) {
    int k = i;
    while (k < end && k - i < 3 && isDigit(b.get(k))) {
      k++;
    }
    if (k == i || k >= end || b.get(k) != '.') {
      return 0;
    }
    int dot = ++k;
    while (k < end && k - dot < 3 && isDigit(b.get(k))) {
      k++;
    }
    return k == dot ? 0 : k - i;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /**
   * Facts: {@code version} (such as {@code "1.4"}), {@code headerOffset} (0 unless junk precedes
   * the header), {@code linearized} (a linearization dictionary right after the header, "fast web
   * view"), {@code eofMarker} (a {@code %%EOF} in the last 1024 bytes: a PDF cut short in transit
   * usually lacks it).
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.PDF, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: a PDF starts with %PDF-");
    }
    ByteBuffer b = content.duplicate();
    int base = b.position();
    int end = b.limit();
    int at = -1;
    for (int i = 0; i + 5 <= Math.min(n, HEADER_WINDOW); i++) {
      if (Bytes.matches(b, base + i, end, "%PDF-")) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      throw c.fault(0, "no %PDF- header in the first " + Math.min(n, HEADER_WINDOW) + " bytes");
    }
    int versionLength = versionAt(b, base + at + 5, end);
    if (versionLength == 0) {
      throw c.fault(at + 5, "the %PDF- header has no M.m version");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("version", c.ascii(at + 5, versionLength, "PDF version"));
    facts.put("headerOffset", at);
    facts.put(
        "linearized",
        contains(b, base + at, Math.min(end, base + at + HEADER_WINDOW), "/Linearized"));
    facts.put("eofMarker", contains(b, Math.max(base, end - HEADER_WINDOW), end, "%%EOF"));
    return facts;
  }

  private static boolean contains(ByteBuffer b, int from, int to, String text) {
    for (int i = from; i + text.length() <= to; i++) {
      if (Bytes.matches(b, i, to, text)) {
        return true;
      }
    }
    return false;
  }
}
