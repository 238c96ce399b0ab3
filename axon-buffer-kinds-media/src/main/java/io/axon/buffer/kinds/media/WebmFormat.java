package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WebM: an EBML document whose header says DocType {@code webm}. The sniffer walks the EBML
 * header's children (allocation-free); a DocType of {@code matroska} is a near miss and is not
 * claimed. The inspector reports the header's DocType and versions, and the duration from the
 * Segment's Info when it is within the bytes present.
 *
 * <p>EBML variable-length integers (RFC 8794 4): the number of leading zero bits of the first byte
 * plus one is the length (1 to 8 bytes); element ids keep their marker bit, sizes drop it; a size
 * of all ones means "unknown".
 */
final class WebmFormat {

  private WebmFormat() {}

  private static final long EBML_ID = 0x1A45DFA3L;
  private static final long DOCTYPE = 0x4282;
  private static final long DOCTYPE_VERSION = 0x4287;
  private static final long DOCTYPE_READ_VERSION = 0x4285;
  private static final long EBML_VERSION = 0x4286;
  private static final long SEGMENT = 0x18538067L;
  private static final long INFO = 0x1549A966L;
  private static final long TIMESTAMP_SCALE = 0x2AD7B1L;
  private static final long DURATION = 0x4489;
  private static final long UNKNOWN = -1;

  /** The length of the vint whose first byte is {@code first}, 0 if invalid. */
  private static int vintLength(int first) {
    return first == 0 ? 0 : Integer.numberOfLeadingZeros(first) - 23;
  }

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (end - p < 4 || Bytes.u32be(head, p) != EBML_ID) {
      return 0;
    }
    int q = p + 4;
    if (q >= end) {
      return 10;
    }
    int len = vintLength(Bytes.u8(head, q));
    if (len == 0 || q + len > end) {
      return len == 0 ? 0 : 10;
    }
    long size = Bytes.u8(head, q) & (0xFF >> len);
    boolean allOnes = size == (0xFF >> len);
    for (int i = 1; i < len; i++) {
      int b = Bytes.u8(head, q + i);
      allOnes &= b == 0xFF;
      size = size << 8 | b;
    }
    q += len;
    int headerEnd = allOnes || size > end - q ? end : (int) (q + size);
    while (q < headerEnd) {
      int idLen = vintLength(Bytes.u8(head, q));
      if (idLen == 0 || idLen > 4 || q + idLen >= headerEnd) {
        return 10;
      }
      long id = 0;
      for (int i = 0; i < idLen; i++) {
        id = id << 8 | Bytes.u8(head, q + i);
      }
      q += idLen;
      int sizeLen = vintLength(Bytes.u8(head, q));
      if (sizeLen == 0 || q + sizeLen > headerEnd) {
        return 10;
      }
      long elementSize = Bytes.u8(head, q) & (0xFF >> sizeLen);
      for (int i = 1; i < sizeLen; i++) {
        elementSize = elementSize << 8 | Bytes.u8(head, q + i);
      }
      q += sizeLen;
      if (elementSize > headerEnd - q) {
        return 10;
      }
      if (id == DOCTYPE) {
        boolean webm = elementSize >= 4 && Bytes.matches(head, q, end, "webm");
        for (int i = 4; webm && i < elementSize; i++) {
          webm = Bytes.u8(head, q + i) == 0; // EBML strings may be zero-padded
        }
        return webm ? KindSniffer.CERTAIN : 0;
      }
      q += (int) elementSize;
    }
    return 10; // an EBML header without a DocType in view
  }

  /** Reads EBML elements over {@link Content}, every read checked. */
  private static final class Reader {
    final Content c;
    long id;
    long size;
    long dataAt;

    Reader(Content c) {
      this.c = c;
    }

    /** Reads the element header at {@code at}; false if it does not fit before {@code end}. */
    boolean element(long at, long end) {
      if (at >= end) {
        return false;
      }
      int idLen = vintLength(c.at((int) at));
      if (idLen == 0 || idLen > 4) {
        throw c.fault(at, "invalid EBML element id (first byte " + c.at((int) at) + ")");
      }
      if (at + idLen >= end) {
        return false;
      }
      long v = 0;
      for (int i = 0; i < idLen; i++) {
        v = v << 8 | c.at((int) at + i);
      }
      id = v;
      long q = at + idLen;
      int sizeLen = vintLength(c.at((int) q));
      if (sizeLen == 0) {
        throw c.fault(q, "invalid EBML size (first byte 0)");
      }
      if (q + sizeLen > end) {
        return false;
      }
      long s = c.at((int) q) & (0xFF >> sizeLen);
      boolean allOnes = s == (0xFF >> sizeLen);
      for (int i = 1; i < sizeLen; i++) {
        int b = c.at((int) q + i);
        allOnes &= b == 0xFF;
        s = s << 8 | b;
      }
      size = allOnes ? UNKNOWN : s;
      dataAt = q + sizeLen;
      return true;
    }

    long unsigned(String what) {
      if (size < 1 || size > 8) {
        throw c.fault(dataAt, what + " has " + size + " bytes, not 1 to 8");
      }
      c.require(dataAt, size, what);
      long v = 0;
      for (int i = 0; i < size; i++) {
        v = v << 8 | c.at((int) dataAt + i);
      }
      return v;
    }

    String string(String what) {
      if (size < 0 || size > 1024) {
        throw c.fault(dataAt, what + " of " + size + " bytes is not a short string");
      }
      c.require(dataAt, size, what);
      int len = (int) size;
      while (len > 0 && c.at((int) dataAt + len - 1) == 0) {
        len--;
      }
      return c.ascii((int) dataAt, len, what);
    }
  }

  /**
   * Facts: {@code docType}, {@code docTypeVersion}, {@code docTypeReadVersion}, {@code
   * ebmlVersion}, and {@code durationSeconds} when the Segment's Info carries a Duration within the
   * bytes present.
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.WEBM, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: a WebM starts with an EBML header");
    }
    c.require(0, 4, "EBML header id");
    if (c.u32be(0, "EBML header id") != EBML_ID) {
      throw c.fault(0, "not an EBML document: expected 1A 45 DF A3");
    }
    Reader r = new Reader(c);
    if (!r.element(0, n)) {
      throw c.fault(4, "content ends inside the EBML header's size");
    }
    if (r.size == UNKNOWN || r.size > n - r.dataAt) {
      throw c.fault(
          4,
          "EBML header of "
              + (r.size == UNKNOWN ? "unknown" : r.size)
              + " bytes does not fit in the content ("
              + n
              + " bytes)");
    }
    long headerEnd = r.dataAt + r.size;
    String docType = null;
    long docTypeVersion = 1;
    long docTypeReadVersion = 1;
    long ebmlVersion = 1;
    long p = r.dataAt;
    while (r.element(p, headerEnd)) {
      if (r.size == UNKNOWN || r.size > headerEnd - r.dataAt) {
        throw c.fault(p, "EBML header element runs past the header's end");
      }
      if (r.id == DOCTYPE) {
        docType = r.string("DocType");
      } else if (r.id == DOCTYPE_VERSION) {
        docTypeVersion = r.unsigned("DocTypeVersion");
      } else if (r.id == DOCTYPE_READ_VERSION) {
        docTypeReadVersion = r.unsigned("DocTypeReadVersion");
      } else if (r.id == EBML_VERSION) {
        ebmlVersion = r.unsigned("EBMLVersion");
      }
      p = r.dataAt + r.size;
    }
    if (p != headerEnd) {
      throw c.fault(p, "EBML header ends inside an element");
    }
    if (docType == null) {
      throw c.fault(4, "the EBML header has no DocType");
    }
    if (!docType.equals("webm")) {
      throw c.fault(4, "EBML DocType is \"" + docType + "\", not \"webm\"");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("docType", docType);
    facts.put("docTypeVersion", docTypeVersion);
    facts.put("docTypeReadVersion", docTypeReadVersion);
    facts.put("ebmlVersion", ebmlVersion);
    Double duration = segmentDuration(c, r, headerEnd);
    if (duration != null) {
      facts.put("durationSeconds", duration);
    }
    return facts;
  }

  /** The Segment's Info Duration in seconds, or null when not within the bytes present. */
  private static Double segmentDuration(Content c, Reader r, long from) {
    int n = c.length();
    if (!r.element(from, n) || r.id != SEGMENT) {
      return null;
    }
    long end = r.size == UNKNOWN ? n : Math.min(n, r.dataAt + r.size);
    long p = r.dataAt;
    while (r.element(p, end)) {
      if (r.size == UNKNOWN) {
        return null; // a live cluster: nothing further is delimited
      }
      if (r.id == INFO) {
        long infoEnd = Math.min(end, r.dataAt + r.size);
        long scale = 1_000_000;
        double duration = -1;
        long q = r.dataAt;
        while (r.element(q, infoEnd) && r.size != UNKNOWN && r.size <= infoEnd - r.dataAt) {
          if (r.id == TIMESTAMP_SCALE) {
            scale = r.unsigned("TimestampScale");
          } else if (r.id == DURATION) {
            if (r.size == 4) {
              duration = Float.intBitsToFloat((int) r.unsigned("Duration"));
            } else if (r.size == 8) {
              duration = Double.longBitsToDouble(r.unsigned("Duration"));
            } else {
              throw c.fault(r.dataAt, "Duration has " + r.size + " bytes, not 4 or 8");
            }
          }
          q = r.dataAt + r.size;
        }
        return duration >= 0 && Double.isFinite(duration) ? duration * scale / 1e9 : null;
      }
      if (r.size > end - r.dataAt) {
        return null;
      }
      p = r.dataAt + r.size;
    }
    return null;
  }
}
