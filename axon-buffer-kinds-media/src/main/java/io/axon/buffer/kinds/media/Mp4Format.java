package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MP4 (ISO base media file format): the sniffer reads the {@code ftyp} box and weighs its brands;
 * the inspector reports the brands and, when the {@code moov} box and its {@code mvhd} are present,
 * the movie's duration.
 *
 * <p>Scores: an MP4 brand ({@code isom}, {@code mp41}, {@code mp42}, {@code avc1}, {@code M4A },
 * {@code dash}, …) as major brand 100; an unknown major brand with an MP4 brand among the
 * compatible ones 90; 3GPP and QuickTime ({@code qt }), close relatives that most MP4 readers play,
 * 75; any other well-formed {@code ftyp} 50. HEIF and AVIF images ({@code heic}, {@code mif1},
 * {@code avif}, …) use the same box structure but are not video: not claimed.
 */
final class Mp4Format {

  private Mp4Format() {}

  private static final String[] MP4_BRANDS = {
    "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "mp71",
    "avc1", "dash", "M4A ", "M4B ", "M4P ", "M4V ", "M4VH", "M4VP", "f4v ", "f4a ", "f4p ", "mmp4",
    "MSNV", "cmfc", "cmfa", "cmf2"
  };

  private static final String[] IMAGE_BRANDS = {
    "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "mif2", "avif",
    "avis", "avci", "jpeg", "jpgs"
  };

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (end - p < 12 || !Bytes.matches(head, p + 4, end, "ftyp")) {
      return 0;
    }
    long size = Bytes.u32be(head, p);
    if (size < 16 || (size & 3) != 0 || size > 4096) {
      return end - p < 16 ? 30 : 0;
    }
    if (isOneOf(head, p + 8, end, IMAGE_BRANDS)) {
      return 0;
    }
    if (isOneOf(head, p + 8, end, MP4_BRANDS)) {
      return KindSniffer.CERTAIN;
    }
    int brandsEnd = (int) Math.min(end, p + size);
    for (int b = p + 16; b + 4 <= brandsEnd; b += 4) {
      if (isOneOf(head, b, end, MP4_BRANDS)) {
        return 90;
      }
    }
    if (Bytes.matches(head, p + 8, end, "3gp")
        || Bytes.matches(head, p + 8, end, "3g2")
        || Bytes.matches(head, p + 8, end, "qt  ")) {
      return 75;
    }
    return KindSniffer.SIGNATURE;
  }

  private static boolean isOneOf(ByteBuffer head, int at, int end, String[] brands) {
    for (String brand : brands) {
      if (Bytes.matches(head, at, end, brand)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Facts: {@code majorBrand}, {@code minorVersion}, {@code compatibleBrands} (comma-separated;
   * brands lose their trailing spaces, {@code "M4A "} reads {@code M4A}), and, when the {@code
   * moov} box holds a readable {@code mvhd}, {@code timescale} and {@code durationSeconds}.
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.MP4, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: an MP4 starts with an ftyp box");
    }
    c.require(0, 8, "first box header");
    if (!c.startsWith(4, "ftyp")) {
      throw c.fault(4, "the first box is \"" + c.ascii(4, 4, "box type") + "\", not ftyp");
    }
    long size = c.u32be(0, "ftyp size");
    if (size < 16 || (size & 3) != 0) {
      throw c.fault(0, "ftyp box size " + size + " is not 16 plus a multiple of 4");
    }
    c.require(0, size, "ftyp box");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("majorBrand", brand(c, 8));
    facts.put("minorVersion", c.u32be(12, "ftyp minor version"));
    StringBuilder compatible = new StringBuilder();
    for (int b = 16; b < size; b += 4) {
      compatible.append(b > 16 ? "," : "").append(brand(c, b));
    }
    facts.put("compatibleBrands", compatible.toString());
    long p = size;
    while (p + 8 <= n) {
      long boxSize = c.u32be((int) p, "box size");
      int header = 8;
      if (boxSize == 1) {
        if (!c.has(p, 16)) {
          break;
        }
        boxSize = c.u64be((int) p + 8, "box large size");
        header = 16;
      } else if (boxSize == 0) {
        boxSize = n - p;
      }
      if (boxSize < header) {
        throw c.fault(
            p,
            "box \""
                + c.ascii((int) p + 4, 4, "box type")
                + "\" size "
                + boxSize
                + " is smaller than its header");
      }
      if (c.startsWith((int) p + 4, "moov")) {
        long moovEnd = Math.min(n, p + boxSize);
        movieHeader(c, p + header, moovEnd, facts);
        break;
      }
      if (boxSize > n - p) {
        break;
      }
      p += boxSize;
    }
    return facts;
  }

  private static void movieHeader(Content c, long from, long end, Map<String, Object> facts) {
    long p = from;
    while (p + 8 <= end) {
      long size = c.u32be((int) p, "box size");
      if (size < 8 || size > end - p) {
        return;
      }
      if (c.startsWith((int) p + 4, "mvhd")) {
        int at = (int) p + 8;
        if (size < 8 + 4) {
          throw c.fault(p, "mvhd box of " + size + " bytes has no room for its version and flags");
        }
        int version = c.u8(at, "mvhd version");
        long timescale;
        long duration;
        if (version == 1 && size >= 8 + 4 + 28) {
          timescale = c.u32be(at + 20, "mvhd timescale");
          duration = c.u64be(at + 24, "mvhd duration");
        } else if (version == 0 && size >= 8 + 4 + 16) {
          timescale = c.u32be(at + 12, "mvhd timescale");
          duration = c.u32be(at + 16, "mvhd duration");
        } else {
          throw c.fault(p, "mvhd box of " + size + " bytes is too short for version " + version);
        }
        if (timescale == 0) {
          throw c.fault(at, "mvhd timescale is 0");
        }
        facts.put("timescale", timescale);
        if (duration >= 0 && duration != 0xFFFFFFFFL) {
          facts.put("durationSeconds", duration / (double) timescale);
        }
        return;
      }
      p += size;
    }
  }

  private static String brand(Content c, int at) {
    return c.ascii(at, 4, "brand").stripTrailing();
  }
}
