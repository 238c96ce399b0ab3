package io.axon.buffer.kinds.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of a well-formed sample, as far as {@link InspectorMutationTest} needs it to mutate
 * the sample structurally: its units (MP4 boxes, RIFF and PNG chunks, JPEG segments and scans, EBML
 * elements, Ogg pages, the ID3v2 tag and MPEG audio frames, PDF objects) and the length fields that
 * delimit them. Written independently of the inspectors (the formats' own rules), so that the
 * mutations do not inherit the inspectors' mistakes; the walk stops quietly at anything it does not
 * understand.
 */
final class SampleStructure {

  /** How a length field stores its value. */
  enum Encoding {
    /** Unsigned big-endian. */
    BE,
    /** Unsigned little-endian. */
    LE,
    /** ID3v2 "synchsafe": 7 bits per byte, big-endian. */
    SYNCSAFE,
    /** EBML variable-length integer of a fixed width (RFC 8794 4), the width's marker bit kept. */
    VINT
  }

  /**
   * A length field: {@code width} bytes at {@code at}. A unit of {@code L} bytes stores {@code L -
   * bias} in it (an MP4 box stores its whole size, bias 0; a RIFF chunk its body, bias 8).
   */
  record Field(int at, int width, Encoding encoding, int bias) {

    /** The largest value the field can hold. */
    long max() {
      switch (encoding) {
        case SYNCSAFE:
          return (1L << 28) - 1;
        case VINT:
          return (1L << (7 * width)) - 1; // all ones: "unknown size"
        default:
          return width >= 8 ? -1L : (1L << (8 * width)) - 1;
      }
    }

    long read(byte[] b) {
      long v = 0;
      for (int i = 0; i < width; i++) {
        int x = b[encoding == Encoding.LE ? at + width - 1 - i : at + i] & 0xFF;
        v = encoding == Encoding.SYNCSAFE ? v << 7 | (x & 0x7F) : v << 8 | x;
      }
      return encoding == Encoding.VINT ? v & ((1L << (7 * width)) - 1) : v;
    }

    /** Stores {@code value}, cut to what the field holds. */
    void write(byte[] b, long value) {
      long v = value;
      long max = max();
      if (max != -1 && Long.compareUnsigned(v, max) > 0) {
        v = max;
      }
      if (encoding == Encoding.VINT) {
        v |= 1L << (7 * width);
      }
      for (int i = width - 1; i >= 0; i--) {
        int at = encoding == Encoding.LE ? this.at + width - 1 - i : this.at + i;
        if (encoding == Encoding.SYNCSAFE) {
          b[at] = (byte) (v & 0x7F);
          v >>>= 7;
        } else {
          b[at] = (byte) v;
          v >>>= 8;
        }
      }
    }

    /** Values a reader must survive: all ones, the sign bit alone, just under it, near the top. */
    long[] hugeValues() {
      if (encoding == Encoding.SYNCSAFE) {
        return new long[] {max(), 1L << 27, max() - 15};
      }
      int bits = encoding == Encoding.VINT ? 7 * width : 8 * width;
      long ones = bits >= 64 ? -1L : (1L << bits) - 1;
      long top = 1L << (bits - 1);
      return new long[] {ones, top, top - 1, ones - 1, ones - 15};
    }
  }

  /**
   * One unit, {@code [start, end)}, with a header of {@code header} bytes, its length field (null
   * if its length is implied, as an MPEG frame's or an Ogg page's) and the index of the unit that
   * holds it (-1 at the top level).
   */
  record Unit(int start, int end, int header, Field size, int parent) {}

  final List<Unit> units = new ArrayList<>();

  /** Every length field: the units' own and a few more (Ogg segment count and lacing values). */
  final List<Field> fields = new ArrayList<>();

  private final byte[] b;

  private SampleStructure(byte[] b) {
    this.b = b;
  }

  /** The structure of {@code sample}, a good sample of the kind {@code slug}. */
  static SampleStructure of(String slug, byte[] sample) {
    SampleStructure s = new SampleStructure(sample);
    switch (slug) {
      case "mp4":
      case "quicktime":
      case "3gpp":
      case "3gpp2":
      case "heic":
      case "avif":
        s.boxes(0, sample.length, -1);
        break;
      case "wav":
      case "webp":
        s.riff();
        break;
      case "png":
        s.pngChunks();
        break;
      case "jpeg":
        s.jpegSegments();
        break;
      case "webm":
        s.ebml(0, sample.length, -1);
        break;
      case "opus":
        s.oggPages();
        break;
      case "mp3":
        s.mp3();
        break;
      case "pdf":
        s.pdfObjects();
        break;
      default:
        throw new IllegalArgumentException("no structure for " + slug);
    }
    return s;
  }

  private int add(int start, long end, int header, Field size, int parent) {
    units.add(new Unit(start, (int) Math.min(end, b.length), header, size, parent));
    if (size != null) {
      fields.add(size);
    }
    return units.size() - 1;
  }

  private int u8(int at) {
    return b[at] & 0xFF;
  }

  private long be(int at, int width) {
    return new Field(at, width, Encoding.BE, 0).read(b);
  }

  private boolean ascii(int at, String text) {
    if (at < 0 || at + text.length() > b.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  // ISO/IEC 14496-12: size (4, BE, whole box; 1 = a 64-bit size follows the type), type (4).
  private static final Set<String> MP4_CONTAINERS =
      Set.of(
          "moov", "trak", "mdia", "minf", "stbl", "dinf", "edts", "udta", "mvex", "moof", "traf",
          "mfra", "iprp", "ipco");

  private void boxes(int from, int to, int parent) {
    int p = from;
    while (p + 8 <= to) {
      long size = be(p, 4);
      int header = 8;
      Field field = new Field(p, 4, Encoding.BE, 0);
      if (size == 1) {
        if (p + 16 > to) {
          return;
        }
        size = be(p + 8, 8);
        header = 16;
        field = new Field(p + 8, 8, Encoding.BE, 0);
      } else if (size == 0) {
        size = (long) to - p;
      }
      if (size < header || size > to - p) {
        return;
      }
      String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
      int unit = add(p, p + size, header, field, parent);
      if (MP4_CONTAINERS.contains(type)) {
        boxes(p + header, (int) (p + size), unit);
      } else if (type.equals("meta")) {
        boxes(p + header + 4, (int) (p + size), unit); // a full box: version and flags first
      }
      p += (int) size;
    }
  }

  // RIFF: "RIFF", size (4, LE, what follows it), form type; chunks: id, size (4, LE, body), body,
  // a pad byte when the size is odd.
  private void riff() {
    if (b.length < 12) {
      return;
    }
    Field outer = new Field(4, 4, Encoding.LE, 8);
    int riff = add(0, 8 + outer.read(b), 12, outer, -1);
    int end = units.get(riff).end();
    long p = 12;
    while (p + 8 <= end) {
      Field size = new Field((int) p + 4, 4, Encoding.LE, 8);
      long body = size.read(b);
      long total = 8 + body + (body & 1);
      add((int) p, p + total, 8, size, riff);
      p += total;
    }
  }

  // PNG: signature (8); chunks: length (4, BE, data), type (4), data, CRC (4).
  private void pngChunks() {
    long p = 8;
    while (p + 12 <= b.length) {
      Field length = new Field((int) p, 4, Encoding.BE, 12);
      long total = 12 + length.read(b);
      add((int) p, p + total, 8, length, -1);
      p += total;
    }
  }

  // T.81 B.1.1: FF marker; SOI, EOI, RSTn and TEM have no length; others a 2-byte BE length that
  // counts itself. Entropy-coded data follows SOS up to the next marker that is not RSTn or FF 00.
  private void jpegSegments() {
    int n = b.length;
    int p = 2;
    add(0, 2, 2, null, -1);
    while (p + 4 <= n && u8(p) == 0xFF) {
      int marker = u8(p + 1);
      if (marker == 0xD9) {
        add(p, p + 2, 2, null, -1);
        return;
      }
      if (marker == 0x01 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD8)) {
        add(p, p + 2, 2, null, -1);
        p += 2;
        continue;
      }
      Field length = new Field(p + 2, 2, Encoding.BE, 2);
      int end = (int) Math.min(n, p + 2 + length.read(b));
      add(p, end, 4, length, -1);
      p = end;
      if (marker == 0xDA) {
        int q = p;
        while (q + 1 < n
            && !(u8(q) == 0xFF && u8(q + 1) != 0x00 && (u8(q + 1) < 0xD0 || u8(q + 1) > 0xD7))) {
          q++;
        }
        if (q + 1 >= n) {
          q = n;
        }
        add(p, q, 0, null, -1);
        p = q;
      }
    }
  }

  // RFC 8794: element id (vint, marker kept), data size (vint; all ones = unknown), data.
  private static final Set<Long> EBML_MASTERS =
      Set.of(
          0x1A45DFA3L,
          0x18538067L,
          0x114D9B74L,
          0x4DBBL,
          0x1549A966L,
          0x1654AE6BL,
          0xAEL,
          0xE0L,
          0xE1L,
          0x1F43B675L,
          0xA0L,
          0x1C53BB6BL,
          0xBBL,
          0xB7L,
          0x1254C367L,
          0x7373L,
          0x63C0L,
          0x67C8L);

  private static int vintLength(int first) {
    return first == 0 ? 0 : Integer.numberOfLeadingZeros(first) - 23;
  }

  private void ebml(int from, int to, int parent) {
    int p = from;
    while (p < to) {
      int idLength = vintLength(u8(p));
      if (idLength == 0 || idLength > 4 || p + idLength >= to) {
        return;
      }
      long id = be(p, idLength);
      int q = p + idLength;
      int sizeLength = vintLength(u8(q));
      if (sizeLength == 0 || q + sizeLength > to) {
        return;
      }
      int header = idLength + sizeLength;
      Field size = new Field(q, sizeLength, Encoding.VINT, header);
      long value = size.read(b);
      boolean unknown = value == size.max();
      long end = unknown ? to : Math.min(to, (long) p + header + value);
      int unit = add(p, end, header, size, parent);
      if (EBML_MASTERS.contains(id)) {
        ebml(p + header, (int) end, unit);
      }
      p = (int) end;
    }
  }

  // RFC 3533: "OggS", version, flags, granule (8), serial, sequence, CRC, segment count (at 26),
  // lacing values; the page's data is their sum.
  private void oggPages() {
    int p = 0;
    while (p + 27 <= b.length && ascii(p, "OggS")) {
      int segments = u8(p + 26);
      if (p + 27 + segments > b.length) {
        return;
      }
      long data = 0;
      for (int i = 0; i < segments; i++) {
        data += u8(p + 27 + i);
        fields.add(new Field(p + 27 + i, 1, Encoding.BE, 0));
      }
      fields.add(new Field(p + 26, 1, Encoding.BE, 0));
      long total = 27L + segments + data;
      add(p, p + total, 27 + segments, null, -1);
      p += (int) Math.min(total, b.length - p);
    }
  }

  // ID3v2: "ID3", version (2), flags, size (4, synchsafe, what follows the 10-byte header); then
  // MPEG audio frames, each as long as its header says.
  private void mp3() {
    int p = 0;
    if (ascii(0, "ID3") && b.length >= 10) {
      Field size = new Field(6, 4, Encoding.SYNCSAFE, 10);
      int tag = add(0, 10 + size.read(b), 10, size, -1);
      p = units.get(tag).end();
    }
    while (p < b.length && b[p] == 0) {
      p++;
    }
    while (p + 4 <= b.length) {
      int h = (int) be(p, 4);
      if (!Mp3Format.isFrameHeader(h)) {
        return;
      }
      int length = Mp3Format.frameLength(h);
      add(p, (long) p + length, 4, null, -1);
      p += length;
    }
  }

  // ISO 32000 7.5: the header line, then "n g obj ... endobj" objects, xref, trailer, %%EOF.
  private static final Pattern PDF_OBJECT = Pattern.compile("(?s)\\d+ \\d+ obj.*?endobj");

  private void pdfObjects() {
    String text = new String(b, StandardCharsets.ISO_8859_1);
    int line = text.indexOf('\n');
    if (line > 0) {
      add(0, line + 1, 0, null, -1);
    }
    Matcher m = PDF_OBJECT.matcher(text);
    while (m.find()) {
      add(m.start(), m.end(), 0, null, -1);
    }
    int xref = text.lastIndexOf("xref");
    if (xref >= 0) {
      add(xref, b.length, 0, null, -1);
    }
  }
}
