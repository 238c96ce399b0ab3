package org.example.dicom;

import io.axon.buffer.KindInspector;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the facts of a DICOM Part 10 file: transfer syntax and SOP class (from the file meta
 * group), then modality and image geometry (rows, columns, samples per pixel, bits allocated,
 * photometric interpretation, number of frames) from the data set, up to the pixel data.
 *
 * <p>Handles explicit and implicit VR little endian, explicit VR big endian, encapsulated
 * (compressed) pixel data, and sequences of undefined length (skipped item by item, nesting at most
 * {@value #MAX_DEPTH} deep). A deflated data set is reported from its meta group only.
 *
 * <p>Every length is checked against the bytes present before it is used: truncated or lying input
 * gives a {@link MalformedContentException} with the offset of the element at fault, never an index
 * error, and nothing is allocated from a length field. An element whose value is reported may not
 * have an undefined length (only sequences and pixel data may). Cost: one pass over the data set
 * elements before the pixel data, without copying them (only the few string values reported are
 * decoded).
 */
public final class DicomInspector implements KindInspector {

  static final int MAX_DEPTH = 16;

  private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  private static final String DEFLATED = "1.2.840.10008.1.2.1.99";

  private static final Map<String, String> TRANSFER_SYNTAXES =
      Map.of(
          IMPLICIT_LE,
          "Implicit VR Little Endian",
          "1.2.840.10008.1.2.1",
          "Explicit VR Little Endian",
          EXPLICIT_BE,
          "Explicit VR Big Endian",
          DEFLATED,
          "Deflated Explicit VR Little Endian",
          "1.2.840.10008.1.2.4.50",
          "JPEG Baseline (Process 1)",
          "1.2.840.10008.1.2.4.51",
          "JPEG Extended (Process 2 & 4)",
          "1.2.840.10008.1.2.4.70",
          "JPEG Lossless, First-Order Prediction",
          "1.2.840.10008.1.2.4.90",
          "JPEG 2000 (Lossless Only)",
          "1.2.840.10008.1.2.4.91",
          "JPEG 2000",
          "1.2.840.10008.1.2.5",
          "RLE Lossless");

  private static final Map<String, String> SOP_CLASSES =
      Map.of(
          "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage",
          "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage",
          "1.2.840.10008.5.1.4.1.1.4", "MR Image Storage",
          "1.2.840.10008.5.1.4.1.1.1", "Computed Radiography Image Storage",
          "1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image Storage",
          "1.2.840.10008.5.1.4.1.1.77.1.4", "VL Photographic Image Storage",
          "1.2.840.10008.5.1.4.1.1.1.2",
              "Digital Mammography X-Ray Image Storage - For Presentation");

  /** VRs whose explicit encoding has 2 reserved bytes and a 4-byte length. */
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  private static final long UNDEFINED = 0xFFFFFFFFL;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_END = 0xFFFEE00D;
  private static final int SEQUENCE_END = 0xFFFEE0DD;
  private static final int PIXEL_DATA = 0x7FE00010;

  @Override
  public Map<String, Object> inspect(ByteBuffer content) {
    Reader r = new Reader(content.slice().order(ByteOrder.LITTLE_ENDIAN));
    if (r.limit < DicomKindProvider.PREFIX_OFFSET + 4) {
      throw r.fault(
          0, "file has " + r.limit + " bytes, fewer than the 132 of preamble and DICM prefix");
    }
    if (DicomKindProvider.sniff(r.buf.duplicate()) == 0) {
      throw r.fault(DicomKindProvider.PREFIX_OFFSET, "no DICM prefix after the 128-byte preamble");
    }
    Facts facts = new Facts();
    r.pos = DicomKindProvider.PREFIX_OFFSET + 4;
    // File meta information: group 0002, always explicit VR little endian.
    while (r.pos + 4 <= r.limit && r.peekGroup() == 0x0002) {
      Element e = r.element(true, 0);
      facts.meta(e, r);
    }
    if (facts.transferSyntax == null) {
      throw r.fault(r.pos, "file meta group has no Transfer Syntax UID (0002,0010)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("transferSyntaxUid", facts.transferSyntax);
    out.put("transferSyntax", TRANSFER_SYNTAXES.getOrDefault(facts.transferSyntax, "unknown"));
    if (!DEFLATED.equals(facts.transferSyntax)) {
      boolean explicit = !IMPLICIT_LE.equals(facts.transferSyntax);
      if (EXPLICIT_BE.equals(facts.transferSyntax)) {
        r.buf.order(ByteOrder.BIG_ENDIAN);
      }
      while (r.pos < r.limit && !facts.pixelDataSeen) {
        Element e = r.element(explicit, 0);
        facts.data(e, r);
      }
    }
    if (facts.sopClass != null) {
      out.put("sopClassUid", facts.sopClass);
      out.put("sopClass", SOP_CLASSES.getOrDefault(facts.sopClass, "unknown"));
    }
    putIfPresent(out, "modality", facts.modality);
    putIfPresent(out, "rows", facts.rows);
    putIfPresent(out, "columns", facts.columns);
    putIfPresent(out, "samplesPerPixel", facts.samplesPerPixel);
    putIfPresent(out, "bitsAllocated", facts.bitsAllocated);
    putIfPresent(out, "photometricInterpretation", facts.photometric);
    putIfPresent(out, "numberOfFrames", facts.frames);
    if (facts.pixelDataSeen) {
      out.put("pixelDataEncapsulated", facts.encapsulated);
    }
    return out;
  }

  /** A tag as DICOM writes it: {@code (gggg,eeee)} in hex. */
  private static String tagName(int tag) {
    return String.format("(%04x,%04x)", tag >>> 16, tag & 0xFFFF);
  }

  private static void putIfPresent(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  /** One data element header, its value left in place. */
  private static final class Element {
    final int tag;
    final long offset;
    final int valueOffset;
    final long length;

    Element(int tag, long offset, int valueOffset, long length) {
      this.tag = tag;
      this.offset = offset;
      this.valueOffset = valueOffset;
      this.length = length;
    }
  }

  /** The facts gathered so far. */
  private static final class Facts {
    String transferSyntax;
    String sopClass;
    String modality;
    Integer rows;
    Integer columns;
    Integer samplesPerPixel;
    Integer bitsAllocated;
    String photometric;
    Integer frames;
    boolean pixelDataSeen;
    boolean encapsulated;

    void meta(Element e, Reader r) {
      if (e.tag == 0x00020010) {
        transferSyntax = r.string(e);
      } else if (e.tag == 0x00020002) {
        sopClass = r.string(e);
      }
    }

    void data(Element e, Reader r) {
      switch (e.tag) {
        case 0x00080016:
          if (sopClass == null) {
            sopClass = r.string(e);
          }
          break;
        case 0x00080060:
          modality = r.string(e);
          break;
        case 0x00280002:
          samplesPerPixel = r.unsignedShort(e);
          break;
        case 0x00280004:
          photometric = r.string(e);
          break;
        case 0x00280008:
          frames = r.integerString(e);
          break;
        case 0x00280010:
          rows = r.unsignedShort(e);
          break;
        case 0x00280011:
          columns = r.unsignedShort(e);
          break;
        case 0x00280100:
          bitsAllocated = r.unsignedShort(e);
          break;
        case PIXEL_DATA:
          pixelDataSeen = true;
          encapsulated = e.length == UNDEFINED;
          break;
        default:
          break;
      }
    }
  }

  /** Bounds-checked reading over the content. */
  private static final class Reader {
    final ByteBuffer buf;
    final int limit;
    int pos;

    Reader(ByteBuffer buf) {
      this.buf = buf;
      this.limit = buf.limit();
    }

    MalformedContentException fault(long offset, String message) {
      return new MalformedContentException(DicomKindProvider.DICOM, offset, message);
    }

    int peekGroup() {
      return buf.getShort(pos) & 0xFFFF;
    }

    private int tagAt(int at) {
      return (buf.getShort(at) & 0xFFFF) << 16 | (buf.getShort(at + 2) & 0xFFFF);
    }

    /**
     * Reads the element at {@link #pos} and moves past it (past a whole undefined-length sequence
     * too). Pixel data of undefined length is not walked: it is the last element reported.
     */
    Element element(boolean explicit, int depth) {
      int start = pos;
      need(start, 8, "element header");
      int tag = tagAt(start);
      long length;
      int valueOffset;
      String vr = null;
      boolean delimiter = (tag >>> 16) == 0xFFFE;
      if (explicit && !delimiter) {
        vr =
            new String(
                new byte[] {buf.get(start + 4), buf.get(start + 5)}, StandardCharsets.US_ASCII);
        if (LONG_VRS.contains(vr)) {
          need(start, 12, "element header with VR " + vr);
          length = buf.getInt(start + 8) & 0xFFFFFFFFL;
          valueOffset = start + 12;
        } else {
          length = buf.getShort(start + 6) & 0xFFFF;
          valueOffset = start + 8;
        }
      } else {
        length = buf.getInt(start + 4) & 0xFFFFFFFFL;
        valueOffset = start + 8;
      }
      Element e = new Element(tag, start, valueOffset, length);
      if (length == UNDEFINED) {
        if (tag == PIXEL_DATA) {
          pos = limit;
          return e;
        }
        pos = valueOffset;
        skipUndefinedSequence(explicit, depth + 1, tag);
        return e;
      }
      if (length > limit - valueOffset) {
        throw fault(
            start,
            "element "
                + tagName(tag)
                + " length "
                + length
                + " runs past the end ("
                + limit
                + " bytes)");
      }
      pos = valueOffset + (int) length;
      return e;
    }

    private void skipUndefinedSequence(boolean explicit, int depth, int tag) {
      if (depth > MAX_DEPTH) {
        throw fault(pos, "sequences nested more than " + MAX_DEPTH + " deep");
      }
      while (true) {
        int start = pos;
        need(start, 8, "item of sequence " + tagName(tag));
        int itemTag = tagAt(start);
        long length = buf.getInt(start + 4) & 0xFFFFFFFFL;
        pos = start + 8;
        if (itemTag == SEQUENCE_END) {
          return;
        }
        if (itemTag != ITEM) {
          throw fault(start, "expected an item or sequence delimiter, found " + tagName(itemTag));
        }
        if (length == UNDEFINED) {
          while (true) {
            need(pos, 8, "element in item");
            if (tagAt(pos) == ITEM_END) {
              pos += 8;
              break;
            }
            element(explicit, depth);
          }
        } else {
          if (length > limit - pos) {
            throw fault(
                start, "item length " + length + " runs past the end (" + limit + " bytes)");
          }
          pos += (int) length;
        }
      }
    }

    private void need(int at, int bytes, String what) {
      if (at > limit - bytes) {
        throw fault(
            at, what + " needs " + bytes + " bytes, only " + Math.max(0, limit - at) + " left");
      }
    }

    /**
     * Refuses a reported value of undefined length: only sequences and encapsulated pixel data may
     * have one, and the bytes after such a header are items, not the value.
     */
    private void needDefinedLength(Element e) {
      if (e.length == UNDEFINED) {
        throw fault(
            e.offset,
            "element "
                + tagName(e.tag)
                + " has an undefined length, which only a sequence or pixel data may have");
      }
    }

    String string(Element e) {
      needDefinedLength(e);
      int n = (int) Math.min(e.length, 64);
      byte[] raw = new byte[n];
      buf.get(e.valueOffset, raw);
      int end = n;
      while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == 0)) {
        end--;
      }
      return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    Integer unsignedShort(Element e) {
      needDefinedLength(e);
      if (e.length < 2) {
        throw fault(
            e.offset,
            "element " + tagName(e.tag) + " has " + e.length + " bytes, a US value needs 2");
      }
      return buf.getShort(e.valueOffset) & 0xFFFF;
    }

    Integer integerString(Element e) {
      String s = string(e).trim();
      try {
        return s.isEmpty() ? null : Integer.valueOf(s);
      } catch (NumberFormatException nfe) {
        throw fault(e.offset, "Number of Frames \"" + s + "\" is not an integer");
      }
    }
  }
}
