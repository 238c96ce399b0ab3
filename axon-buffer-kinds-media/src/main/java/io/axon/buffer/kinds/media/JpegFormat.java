package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JPEG: the sniffer ({@code FF D8 FF} and a marker) and the inspector, a marker walker that reads
 * the frame header (SOFn) and the EXIF orientation without decoding anything.
 *
 * <p>The walk follows ITU-T T.81 B.1.1.2: any number of {@code 0xFF} fill bytes may precede a
 * marker; RSTn ({@code D0}–{@code D7}) and TEM ({@code 01}) have no length; every other marker
 * carries a 2-byte big-endian length that includes itself. Only {@code C0}–{@code C3}, {@code
 * C5}–{@code C7}, {@code C9}–{@code CB} and {@code CD}–{@code CF} are frame headers: {@code C4} is
 * DHT, {@code C8} is reserved (JPG) and {@code CC} is DAC. The walk stops at the first SOS after
 * the frame header (everything it reports is known by then), so its cost depends on the header, not
 * the image size. If the frame header says height 0, the height comes from the DNL segment after
 * the first scan, and the walk goes on to find it.
 */
final class JpegFormat {

  private JpegFormat() {}

  // ---------------------------------------------------------------- sniffer

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int n = head.limit() - p;
    if (n < 2 || Bytes.u8(head, p) != 0xFF || Bytes.u8(head, p + 1) != 0xD8) {
      return 0;
    }
    if (n == 2) {
      return 20; // SOI alone: a partial signature
    }
    if (Bytes.u8(head, p + 2) != 0xFF) {
      return 0; // SOI must be followed by a marker
    }
    if (n == 3) {
      return 60;
    }
    int m = Bytes.u8(head, p + 3);
    boolean plausible =
        (m >= 0xC0 && m <= 0xCF)
            || m == 0xDB
            || m == 0xDD
            || (m >= 0xE0 && m <= 0xEF)
            || m == 0xFE
            || m == 0xFF;
    return plausible ? KindSniffer.CERTAIN : 60;
  }

  // ---------------------------------------------------------------- inspector

  static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /**
   * Facts: {@code width}, {@code height}, {@code components}, {@code precision}, {@code
   * codingProcess} ({@code baseline}, {@code extended}, {@code progressive} or {@code lossless}),
   * {@code arithmetic} (arithmetic rather than Huffman coding), {@code hierarchical} (differential
   * frames), {@code colorSpace} ({@code gray}, {@code ycbcr}, {@code rgb}, {@code cmyk}, {@code
   * ycck}, or {@code unknown}, decided as libjpeg does from the JFIF and Adobe markers and the
   * component ids), {@code jfifVersion} when a JFIF APP0 is present, and {@code orientation} (1–8)
   * when an EXIF APP1 holds one. An unreadable EXIF block is skipped, not an error: it is metadata,
   * and the image stays decodable.
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.JPEG, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: a JPEG starts with SOI (FF D8)");
    }
    if (n < 2 || c.at(0) != 0xFF || c.at(1) != 0xD8) {
      throw c.fault(0, "not a JPEG: expected SOI (FF D8), found " + hex(c, 0, Math.min(n, 2)));
    }
    int sofMarker = -1;
    int precision = 0;
    int height = 0;
    int width = 0;
    int components = 0;
    int[] componentIds = null;
    String jfifVersion = null;
    int adobeTransform = -1;
    int orientation = 0;
    boolean dhp = false;
    int p = 2;
    while (true) {
      if (p >= n) {
        throw c.fault(
            p,
            sofMarker < 0
                ? "content ends before any frame header (SOFn)"
                : "content ends before the first scan (SOS)");
      }
      if (c.at(p) != 0xFF) {
        throw c.fault(p, String.format(Locale.ROOT, "expected a marker (FF), found %02X", c.at(p)));
      }
      while (p < n && c.at(p) == 0xFF) {
        p++; // fill bytes
      }
      if (p >= n) {
        throw c.fault(p, "content ends inside fill bytes, before a marker");
      }
      int marker = c.at(p);
      int markerAt = p - 1;
      p++;
      if (marker == 0x00) {
        throw c.fault(markerAt, "stuffed byte FF 00 outside entropy-coded data");
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // TEM, RSTn: no length
      }
      if (marker == 0xD8) {
        throw c.fault(markerAt, "second SOI marker");
      }
      if (marker == 0xD9) {
        throw c.fault(
            markerAt,
            sofMarker < 0
                ? "EOI before any frame header (SOFn)"
                : "EOI before the first scan (SOS)");
      }
      if (n - p < 2) {
        throw c.fault(
            p,
            markerName(marker)
                + " segment length runs past the end of the content ("
                + n
                + " bytes)");
      }
      int length = c.at(p) << 8 | c.at(p + 1);
      if (length < 2) {
        throw c.fault(
            p,
            String.format(
                Locale.ROOT, "marker %02X segment length %d is less than 2", marker, length));
      }
      if (length > n - p) {
        throw c.fault(
            p,
            String.format(
                Locale.ROOT,
                "%s segment length %d runs past the end of the content (%d bytes)",
                markerName(marker),
                length,
                n));
      }
      int seg = p + 2;
      int segEnd = p + length;
      if (isFrameHeader(marker) || marker == 0xDE) {
        if (length < 8) {
          throw c.fault(p, markerName(marker) + " segment length " + length + " is less than 8");
        }
        int nf = c.at(seg + 5);
        if (length != 8 + 3 * nf) {
          throw c.fault(
              p,
              markerName(marker)
                  + " segment length "
                  + length
                  + " does not match its "
                  + nf
                  + " components ("
                  + (8 + 3 * nf)
                  + ")");
        }
        if (nf == 0) {
          throw c.fault(seg + 5, markerName(marker) + " has 0 components");
        }
        int frameWidth = c.at(seg + 3) << 8 | c.at(seg + 4);
        if (frameWidth == 0) {
          throw c.fault(seg + 3, markerName(marker) + " width is 0");
        }
        if (marker == 0xDE) {
          // DHP (hierarchical): the image size; the frames that follow are its layers.
          dhp = true;
          precision = c.at(seg);
          height = c.at(seg + 1) << 8 | c.at(seg + 2);
          width = frameWidth;
          components = nf;
        } else if (sofMarker < 0) {
          sofMarker = marker;
          if (!dhp) {
            precision = c.at(seg);
            height = c.at(seg + 1) << 8 | c.at(seg + 2);
            width = frameWidth;
            components = nf;
          }
          componentIds = new int[nf];
          for (int i = 0; i < nf; i++) {
            componentIds[i] = c.at(seg + 6 + 3 * i);
          }
          checkPrecision(c, seg, marker, precision);
        }
      } else if (marker == 0xDA) {
        if (sofMarker < 0) {
          throw c.fault(markerAt, "scan (SOS) before any frame header (SOFn)");
        }
        if (height == 0) {
          height = findDnl(c, segEnd);
        }
        break;
      } else if (marker == 0xE0 && length >= 14 && c.startsWith(seg, "JFIF\0")) {
        jfifVersion = c.at(seg + 5) + "." + (c.at(seg + 6) < 10 ? "0" : "") + c.at(seg + 6);
      } else if (marker == 0xEE && length >= 14 && c.startsWith(seg, "Adobe")) {
        adobeTransform = c.at(seg + 11);
      } else if (marker == 0xE1
          && orientation == 0
          && length >= 16
          && c.startsWith(seg, "Exif\0\0")) {
        orientation = exifOrientation(c, seg + 6, segEnd);
      }
      p = segEnd;
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("width", width);
    facts.put("height", height);
    facts.put("components", components);
    facts.put("precision", precision);
    facts.put("codingProcess", codingProcess(sofMarker));
    facts.put("arithmetic", sofMarker >= 0xC9);
    facts.put("hierarchical", dhp || (sofMarker & 0x07) >= 5);
    facts.put(
        "colorSpace", colorSpace(components, componentIds, jfifVersion != null, adobeTransform));
    if (jfifVersion != null) {
      facts.put("jfifVersion", jfifVersion);
    }
    if (orientation != 0) {
      facts.put("orientation", orientation);
    }
    return facts;
  }

  private static void checkPrecision(Content c, int seg, int marker, int precision) {
    boolean lossless = (marker & 0x03) == 3;
    boolean ok;
    if (marker == 0xC0) {
      ok = precision == 8;
    } else if (lossless) {
      ok = precision >= 2 && precision <= 16;
    } else {
      ok = precision == 8 || precision == 12;
    }
    if (!ok) {
      throw c.fault(
          seg,
          markerName(marker)
              + " sample precision "
              + precision
              + " is not allowed for "
              + codingProcess(marker)
              + " coding");
    }
  }

  /** The coding process a frame header marker names. */
  static String codingProcess(int sofMarker) {
    switch (sofMarker & 0x03) {
      case 0:
        return sofMarker == 0xC0 ? "baseline" : "extended";
      case 1:
        return "extended";
      case 2:
        return "progressive";
      default:
        return "lossless";
    }
  }

  private static String colorSpace(int components, int[] ids, boolean jfif, int adobeTransform) {
    switch (components) {
      case 1:
        return "gray";
      case 3:
        if (jfif) {
          return "ycbcr";
        }
        if (adobeTransform >= 0) {
          return adobeTransform == 0 ? "rgb" : "ycbcr";
        }
        if (ids != null && ids.length == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B') {
          return "rgb";
        }
        return "ycbcr";
      case 4:
        return adobeTransform == 2 ? "ycck" : "cmyk";
      default:
        return "unknown";
    }
  }

  /**
   * Skips the entropy-coded data after the first SOS and returns the line count of the DNL segment
   * that must follow it (T.81 B.2.5) when the frame header said 0.
   */
  private static int findDnl(Content c, int from) {
    int p = from;
    int n = c.length();
    while (p + 1 < n) {
      if (c.at(p) != 0xFF) {
        p++;
        continue;
      }
      int m = c.at(p + 1);
      if (m == 0x00 || m == 0xFF || (m >= 0xD0 && m <= 0xD7)) {
        p += m == 0xFF ? 1 : 2; // stuffed byte, fill byte, restart marker: still in the scan
        continue;
      }
      if (m == 0xDC) {
        c.require(p + 2, 4, "DNL segment");
        int lines = c.at(p + 4) << 8 | c.at(p + 5);
        if (lines == 0) {
          throw c.fault(p + 4, "DNL line count is 0");
        }
        return lines;
      }
      throw c.fault(
          p,
          String.format(
              Locale.ROOT,
              "frame height is 0 and the first scan ends with marker %02X, not DNL",
              m));
    }
    throw c.fault(n, "frame height is 0 and the content ends before the DNL segment");
  }

  /**
   * The orientation (1–8) from IFD0 of an EXIF block, or 0 when absent or unreadable. Every read is
   * bounded by the APP1 segment; the entry count is bounded by the bytes present.
   */
  private static int exifOrientation(Content c, int tiff, int end) {
    if (end - tiff < 8) {
      return 0;
    }
    boolean little;
    if (c.at(tiff) == 'I' && c.at(tiff + 1) == 'I') {
      little = true;
    } else if (c.at(tiff) == 'M' && c.at(tiff + 1) == 'M') {
      little = false;
    } else {
      return 0;
    }
    if (u16(c, tiff + 2, little) != 42) {
      return 0;
    }
    long ifd = u32(c, tiff + 4, little);
    if (ifd < 8 || ifd > end - tiff - 2) {
      return 0;
    }
    int at = tiff + (int) ifd;
    int count = u16(c, at, little);
    at += 2;
    for (int i = 0; i < count && at + 12 <= end; i++, at += 12) {
      if (u16(c, at, little) == 0x0112) {
        int type = u16(c, at + 2, little);
        int value = type == 3 ? u16(c, at + 8, little) : 0;
        return value >= 1 && value <= 8 ? value : 0;
      }
    }
    return 0;
  }

  private static int u16(Content c, int at, boolean little) {
    return little ? c.at(at) | c.at(at + 1) << 8 : c.at(at) << 8 | c.at(at + 1);
  }

  private static long u32(Content c, int at, boolean little) {
    return little
        ? (u16(c, at, true) | (long) u16(c, at + 2, true) << 16)
        : ((long) u16(c, at, false) << 16 | u16(c, at + 2, false));
  }

  static String markerName(int marker) {
    if (isFrameHeader(marker)) {
      return "SOF" + (marker - 0xC0);
    }
    switch (marker) {
      case 0xC4:
        return "DHT";
      case 0xCC:
        return "DAC";
      case 0xDA:
        return "SOS";
      case 0xDB:
        return "DQT";
      case 0xDC:
        return "DNL";
      case 0xDD:
        return "DRI";
      case 0xDE:
        return "DHP";
      case 0xFE:
        return "COM";
      default:
        if (marker >= 0xE0 && marker <= 0xEF) {
          return "APP" + (marker - 0xE0);
        }
        return String.format(Locale.ROOT, "marker %02X", marker);
    }
  }

  private static String hex(Content c, int at, int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) {
      s.append(String.format(Locale.ROOT, i == 0 ? "%02X" : " %02X", c.at(at + i)));
    }
    return count == 0 ? "nothing" : s.toString();
  }
}
