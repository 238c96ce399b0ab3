package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * PNG: the sniffer (the 8-byte signature) and the inspector (IHDR, checked against its CRC, and a
 * walk of the chunks before the first IDAT to tell an animated PNG by its {@code acTL}).
 */
final class PngFormat {

  private PngFormat() {}

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int n = head.limit() - p;
    if (n < 4
        || head.get(p) != SIGNATURE[0]
        || head.get(p + 1) != 'P'
        || head.get(p + 2) != 'N'
        || head.get(p + 3) != 'G') {
      return 0;
    }
    if (n < 8) {
      return 40; // "\x89PNG" then the content ends: a partial signature
    }
    for (int i = 4; i < 8; i++) {
      if (head.get(p + i) != SIGNATURE[i]) {
        return 40; // line endings mangled in transit: a damaged PNG, not a PNG
      }
    }
    return KindSniffer.CERTAIN;
  }

  /**
   * Facts: {@code width}, {@code height}, {@code bitDepth}, {@code colorType} ({@code gray}, {@code
   * rgb}, {@code palette}, {@code gray-alpha}, {@code rgba}), {@code interlaced}, {@code animated}
   * (an {@code acTL} chunk before the first IDAT).
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.PNG, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: a PNG starts with an 8-byte signature");
    }
    for (int i = 0; i < 8; i++) {
      if (i >= n) {
        throw c.fault(i, "content ends inside the PNG signature");
      }
      if (c.at(i) != (SIGNATURE[i] & 0xFF)) {
        throw c.fault(
            i,
            "not a PNG: signature byte "
                + i
                + " is "
                + c.at(i)
                + ", expected "
                + (SIGNATURE[i] & 0xFF));
      }
    }
    if (n == 8) {
      throw c.fault(8, "content ends after the signature: no IHDR chunk");
    }
    long ihdrLength = c.u32be(8, "IHDR chunk length");
    if (!c.startsWith(12, "IHDR")) {
      throw c.fault(12, "the first chunk is not IHDR");
    }
    if (ihdrLength != 13) {
      throw c.fault(8, "IHDR length is " + ihdrLength + ", not 13");
    }
    c.require(8, 25, "IHDR chunk");
    long width = c.u32be(16, "IHDR width");
    long height = c.u32be(20, "IHDR height");
    int bitDepth = c.at(24);
    int colorType = c.at(25);
    int compression = c.at(26);
    int filter = c.at(27);
    int interlace = c.at(28);
    long crc = c.u32be(29, "IHDR CRC");
    CRC32 crc32 = new CRC32();
    for (int i = 12; i < 29; i++) {
      crc32.update(c.at(i));
    }
    if (crc32.getValue() != crc) {
      throw c.fault(
          29, String.format("IHDR CRC is %08x, the bytes give %08x", crc, crc32.getValue()));
    }
    if (width == 0 || width > Integer.MAX_VALUE || height == 0 || height > Integer.MAX_VALUE) {
      throw c.fault(16, "IHDR size " + width + "x" + height + " is out of range (1..2^31-1)");
    }
    String type = colorTypeName(colorType);
    if (type == null) {
      throw c.fault(25, "IHDR colour type " + colorType + " is not 0, 2, 3, 4 or 6");
    }
    if (!depthAllowed(colorType, bitDepth)) {
      throw c.fault(24, "IHDR bit depth " + bitDepth + " is not allowed for colour type " + type);
    }
    if (compression != 0 || filter != 0 || interlace > 1) {
      throw c.fault(
          26,
          "IHDR compression "
              + compression
              + ", filter "
              + filter
              + ", interlace "
              + interlace
              + ": only 0, 0 and 0 or 1 are defined");
    }
    boolean animated = false;
    long p = 33;
    while (p + 8 <= n) {
      long length = c.u32be((int) p, "chunk length");
      if (c.startsWith((int) p + 4, "IDAT") || c.startsWith((int) p + 4, "IEND")) {
        break;
      }
      if (c.startsWith((int) p + 4, "acTL")) {
        animated = true;
        break;
      }
      if (length > Integer.MAX_VALUE) {
        throw c.fault(p, "chunk length " + length + " is more than 2^31-1");
      }
      p += 12 + length;
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("width", (int) width);
    facts.put("height", (int) height);
    facts.put("bitDepth", bitDepth);
    facts.put("colorType", type);
    facts.put("interlaced", interlace == 1);
    facts.put("animated", animated);
    return facts;
  }

  private static String colorTypeName(int colorType) {
    switch (colorType) {
      case 0:
        return "gray";
      case 2:
        return "rgb";
      case 3:
        return "palette";
      case 4:
        return "gray-alpha";
      case 6:
        return "rgba";
      default:
        return null;
    }
  }

  private static boolean depthAllowed(int colorType, int depth) {
    switch (colorType) {
      case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
      case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
      default:
        return depth == 8 || depth == 16;
    }
  }
}
