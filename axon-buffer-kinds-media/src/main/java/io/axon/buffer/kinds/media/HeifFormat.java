package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;
import io.axon.buffer.KindInspector;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HEIF images (ISO/IEC 23008-12): {@code heic} (HEVC-coded, and HEIF whose brands name no codec)
 * and {@code avif} (AV1-coded). The sniffers weigh the {@code ftyp} brands by {@link IsoBmff}'s
 * rule; the inspector, shared by both, reports the brands and the primary image's size: the {@code
 * meta} box's {@code pitm} names the primary item, {@code iprp}/{@code ipma} list its properties
 * and the {@code ispe} among them in {@code ipco} gives width and height (a HEIC photo's primary
 * item is often a grid of tiles: its own {@code ispe} is the whole picture's size, not a tile's).
 *
 * <p>Every read is bounds-checked and every loop advances by at least a box header or an entry
 * through the content, so hostile sizes and counts cost no more than the bytes present.
 */
final class HeifFormat {

  private HeifFormat() {}

  static int sniffHeic(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.HEIC);
  }

  static int sniffAvif(ByteBuffer head) {
    return IsoBmff.score(head, IsoBmff.Family.AVIF);
  }

  /** The inspector for {@code kind}: faults name that kind. */
  static KindInspector inspector(BufferKind kind) {
    return content -> inspect(kind, content);
  }

  /**
   * Facts: {@code majorBrand}, {@code minorVersion}, {@code compatibleBrands} (as the MP4 inspector
   * gives them), {@code primaryItem} (the {@code pitm} item id), and {@code width}, {@code height}
   * of the primary item when an {@code ispe} property is associated with it.
   *
   * @throws io.axon.buffer.MalformedContentException if the {@code ftyp} box is missing or cut,
   *     there is no {@code meta} box, a box inside it runs past its parent, or a property index
   *     points outside {@code ipco}
   */
  static Map<String, Object> inspect(BufferKind kind, ByteBuffer content) {
    Content c = new Content(kind, content);
    Map<String, Object> facts = new LinkedHashMap<>();
    long p = Mp4Format.fileType(c, facts);
    int n = c.length();
    while (p + 8 <= n) {
      long size = boxSize(c, p, n);
      if (c.startsWith((int) p + 4, "meta")) {
        meta(c, p + header(c, p) + 4, p + size, facts); // + version and flags
        return facts;
      }
      p += size;
    }
    throw c.fault(p, "no meta box: a HEIF file describes its images in one");
  }

  /** The size of the box at {@code p}, checked to lie within {@code [p, end)}. */
  private static long boxSize(Content c, long p, long end) {
    long size = c.u32be((int) p, "box size");
    if (size == 1) {
      if (!c.has(p, 16)) {
        throw c.fault(p, "box with a large size is cut before its 16-byte header ends");
      }
      size = c.u64be((int) p + 8, "box large size");
    } else if (size == 0) {
      size = end - p;
    }
    if (size < 8 || size > end - p) {
      throw c.fault(
          p,
          "box \""
              + c.ascii((int) p + 4, 4, "box type")
              + "\" of "
              + size
              + " bytes does not fit in the "
              + (end - p)
              + " bytes left of its parent");
    }
    return size;
  }

  /** The header length of the box at {@code p} (whose size {@link #boxSize} checked): 8 or 16. */
  private static int header(Content c, long p) {
    return c.u32be((int) p, "box size") == 1 ? 16 : 8;
  }

  private static void meta(Content c, long from, long end, Map<String, Object> facts) {
    long primary = -1;
    long ipco = -1;
    long ipcoEnd = -1;
    long ipma = -1;
    long ipmaEnd = -1;
    for (long p = from; p + 8 <= end; ) {
      long size = boxSize(c, p, end);
      if (c.startsWith((int) p + 4, "pitm")) {
        int at = (int) p + header(c, p);
        fits(c, p, at, 6, p + size, "pitm box", "version, flags and item id");
        primary =
            c.u8(at, "pitm version") == 0
                ? c.u16be(at + 4, "pitm item id")
                : c.u32be(at + 4, "pitm item id");
      } else if (c.startsWith((int) p + 4, "iprp")) {
        for (long q = p + header(c, p); q + 8 <= p + size; ) {
          long child = boxSize(c, q, p + size);
          if (c.startsWith((int) q + 4, "ipco")) {
            ipco = q + header(c, q);
            ipcoEnd = q + child;
          } else if (c.startsWith((int) q + 4, "ipma") && ipma < 0) {
            ipma = q;
            ipmaEnd = q + child;
          }
          q += child;
        }
      }
      p += size;
    }
    if (primary < 0) {
      return;
    }
    facts.put("primaryItem", primary);
    if (ipco < 0 || ipma < 0) {
      return;
    }
    long property = primaryProperty(c, ipma, ipmaEnd, primary, ipco, ipcoEnd);
    if (property >= 0) {
      facts.put("width", c.u32be((int) property + 4, "ispe width")); // after version and flags
      facts.put("height", c.u32be((int) property + 8, "ispe height"));
    }
  }

  /** The offset of the contents of the {@code ispe} box associated with {@code item}, or -1. */
  private static long primaryProperty(
      Content c, long ipmaBox, long ipmaEnd, long item, long ipco, long ipcoEnd) {
    long ipma = ipmaBox + header(c, ipmaBox);
    fits(c, ipmaBox, ipma, 8, ipmaEnd, "ipma box", "version, flags and entry count");
    int version = c.u8((int) ipma, "ipma version");
    boolean wideIndex = (c.u8((int) ipma + 3, "ipma flags") & 1) != 0;
    long entries = c.u32be((int) ipma + 4, "ipma entry count");
    long p = ipma + 8;
    for (long e = 0; e < entries; e++) {
      long entry = p;
      if (p >= ipmaEnd) {
        throw c.fault(ipmaBox, "ipma announces " + entries + " entries; its box ends after " + e);
      }
      fits(c, entry, p, version < 1 ? 3 : 5, ipmaEnd, "ipma entry", "item id and count");
      long id = version < 1 ? c.u16be((int) p, "ipma item id") : c.u32be((int) p, "ipma item");
      p += version < 1 ? 2 : 4;
      int count = c.u8((int) p, "ipma association count");
      p++;
      fits(c, entry, p, (long) count * (wideIndex ? 2 : 1), ipmaEnd, "ipma entry", "associations");
      for (int a = 0; a < count; a++) {
        int index =
            wideIndex
                ? c.u16be((int) p, "ipma property index") & 0x7FFF
                : c.u8((int) p, "ipma property index") & 0x7F;
        p += wideIndex ? 2 : 1;
        if (id == item && index > 0) {
          long box = property(c, ipco, ipcoEnd, index);
          if (c.startsWith((int) box + 4, "ispe")) {
            long size = boxSize(c, box, ipcoEnd);
            if (size < header(c, box) + 12) {
              throw c.fault(box, "ispe box of " + size + " bytes has no room for a size");
            }
            return box + header(c, box);
          }
        }
      }
    }
    return -1;
  }

  /**
   * Fails, at {@code start} (inside the content), unless {@code count} bytes at {@code at} lie
   * before {@code end}, the end of the structure that starts at {@code start}.
   */
  private static void fits(
      Content c, long start, long at, long count, long end, String what, String fields) {
    if (at + count > end) {
      throw c.fault(start, what + " of " + (end - start) + " bytes has no room for its " + fields);
    }
  }

  /** The offset of the {@code index}-th (1-based) property box of {@code ipco}. */
  private static long property(Content c, long ipco, long ipcoEnd, int index) {
    long p = ipco;
    for (int i = 1; p + 8 <= ipcoEnd; i++) {
      long size = boxSize(c, p, ipcoEnd);
      if (i == index) {
        return p;
      }
      p += size;
    }
    throw c.fault(ipco, "ipma names property " + index + ", which ipco does not hold");
  }
}
