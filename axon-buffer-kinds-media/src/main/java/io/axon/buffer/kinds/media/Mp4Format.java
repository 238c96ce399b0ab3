package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;
import io.axon.buffer.KindInspector;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MP4 (ISO base media file format) and its movie relatives, QuickTime, 3GPP and 3GPP2: the sniffer
 * of each weighs the {@code ftyp} brands by {@link IsoBmff}'s one rule (so a QuickTime movie is
 * {@code quicktime} at 100 and {@code mp4} only at {@value IsoBmff#RELATIVE}); the inspector, the
 * same for the four (they share the box structure and the {@code mvhd} movie header), reports the
 * brands and, when the {@code moov} box and its {@code mvhd} are present, the movie's duration.
 * HEIF and AVIF images use the same box structure but are not movies: see {@link HeifFormat}.
 */
final class Mp4Format {

  private Mp4Format() {}

  static int sniff(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.MP4);
  }

  static int sniffQuickTime(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.QUICKTIME);
  }

  static int sniff3gpp(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.THREE_GPP);
  }

  static int sniff3gpp2(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.THREE_GPP2);
  }

  /** The inspector for {@code kind}: faults name that kind. */
  static KindInspector inspector(BufferKind kind) {
    return content -> inspect(kind, content);
  }

  /**
   * Facts: {@code majorBrand}, {@code minorVersion}, {@code compatibleBrands} (comma-separated;
   * brands lose their trailing spaces, {@code "M4A "} reads {@code M4A}), and, when the {@code
   * moov} box holds a readable {@code mvhd}, {@code timescale} and {@code durationSeconds}.
   */
  static Map<String, Object> inspect(BufferKind kind, ByteBuffer content) {
    Content c = new Content(kind, content);
    int n = c.length();
    Map<String, Object> facts = new LinkedHashMap<>();
    long p = fileType(c, facts);
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

  /**
   * Reads the leading {@code ftyp} box into {@code majorBrand}, {@code minorVersion} and {@code
   * compatibleBrands}; returns the offset of the next box.
   *
   * @throws io.axon.buffer.MalformedContentException if there is no whole {@code ftyp} box first
   */
  static long fileType(Content c, Map<String, Object> facts) {
    if (c.length() == 0) {
      throw c.fault(0, "empty content: an ISO base media file starts with an ftyp box");
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
    facts.put("majorBrand", brand(c, 8));
    facts.put("minorVersion", c.u32be(12, "ftyp minor version"));
    StringBuilder compatible = new StringBuilder();
    for (int b = 16; b < size; b += 4) {
      compatible.append(b > 16 ? "," : "").append(brand(c, b));
    }
    facts.put("compatibleBrands", compatible.toString());
    return size;
  }

  private static String brand(Content c, int at) {
    return c.ascii(at, 4, "brand").stripTrailing();
  }
}
