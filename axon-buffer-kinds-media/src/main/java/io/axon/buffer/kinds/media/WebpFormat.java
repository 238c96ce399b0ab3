package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WebP: the sniffer ({@code RIFF} + {@code WEBP} + a {@code VP8 }/{@code VP8L}/{@code VP8X} chunk)
 * and the inspector, which reads the canvas size from the first chunk: the VP8 key frame header
 * (RFC 6386 9.1), the VP8L header (14-bit sizes) or the VP8X canvas (24-bit sizes).
 */
final class WebpFormat {

  private WebpFormat() {}

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (!Bytes.matches(head, p, end, "RIFF") || !Bytes.matches(head, p + 8, end, "WEBP")) {
      return 0;
    }
    if (Bytes.matches(head, p + 12, end, "VP8 ")
        || Bytes.matches(head, p + 12, end, "VP8L")
        || Bytes.matches(head, p + 12, end, "VP8X")) {
      return KindSniffer.CERTAIN;
    }
    return 90; // the RIFF form says WEBP; the first chunk is missing or unknown
  }

  /**
   * Facts: {@code width}, {@code height}, {@code format} ({@code lossy}, {@code lossless} or {@code
   * extended}), {@code alpha}, {@code animated}.
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.WEBP, content);
    if (c.length() == 0) {
      throw c.fault(0, "empty content: a WebP starts with a 12-byte RIFF header");
    }
    c.require(0, 12, "RIFF header");
    if (!c.startsWith(0, "RIFF")) {
      throw c.fault(0, "not a RIFF file");
    }
    if (!c.startsWith(8, "WEBP")) {
      throw c.fault(8, "RIFF form type is not WEBP");
    }
    c.require(12, 8, "first chunk header");
    long size = c.u32le(16, "first chunk size");
    int width;
    int height;
    String format;
    boolean alpha = false;
    boolean animated = false;
    if (c.startsWith(12, "VP8 ")) {
      format = "lossy";
      c.require(20, 10, "VP8 frame header");
      if (size < 10) {
        throw c.fault(16, "VP8 chunk of " + size + " bytes is shorter than its frame header");
      }
      if ((c.at(20) & 0x01) != 0) {
        throw c.fault(20, "the VP8 frame is not a key frame");
      }
      if (c.at(23) != 0x9D || c.at(24) != 0x01 || c.at(25) != 0x2A) {
        throw c.fault(23, "VP8 start code is missing (expected 9D 01 2A)");
      }
      width = c.u16le(26, "VP8 width") & 0x3FFF;
      height = c.u16le(28, "VP8 height") & 0x3FFF;
    } else if (c.startsWith(12, "VP8L")) {
      format = "lossless";
      c.require(20, 5, "VP8L header");
      if (c.at(20) != 0x2F) {
        throw c.fault(20, "VP8L signature byte is " + c.at(20) + ", not 0x2F");
      }
      long bits = c.u32le(21, "VP8L header");
      width = (int) (bits & 0x3FFF) + 1;
      height = (int) ((bits >>> 14) & 0x3FFF) + 1;
      alpha = ((bits >>> 28) & 1) != 0;
      int version = (int) (bits >>> 29);
      if (version != 0) {
        throw c.fault(21, "VP8L version " + version + " is not 0");
      }
    } else if (c.startsWith(12, "VP8X")) {
      format = "extended";
      c.require(20, 10, "VP8X chunk");
      int flags = c.at(20);
      alpha = (flags & 0x10) != 0;
      animated = (flags & 0x02) != 0;
      width = c.u24le(24, "VP8X canvas width") + 1;
      height = c.u24le(27, "VP8X canvas height") + 1;
    } else {
      throw c.fault(
          12, "the first chunk is \"" + c.ascii(12, 4, "chunk name") + "\", not VP8, VP8L or VP8X");
    }
    if (width == 0 || height == 0) {
      throw c.fault(20, format + " image size " + width + "x" + height + " is empty");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("width", width);
    facts.put("height", height);
    facts.put("format", format);
    facts.put("alpha", alpha);
    facts.put("animated", animated);
    return facts;
  }
}
