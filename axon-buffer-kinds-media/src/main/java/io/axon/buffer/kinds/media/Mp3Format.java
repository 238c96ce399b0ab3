package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MP3 (MPEG-1, -2 and 2.5 Audio Layer III): the sniffer accepts an ID3v2 tag followed by a Layer
 * III frame header, or Layer III frame headers that chain (each frame's length leads to the next
 * header); the inspector reads the first frame header and, when the first frame is a Xing/Info
 * frame, the frame count and the LAME encoder delay and padding for an exact duration.
 *
 * <p>Layers I and II share the frame sync but are not MP3: with an ID3 tag in front they score low,
 * without it they are not claimed. ADTS AAC uses the layer bits {@code 00}, reserved in MPEG audio,
 * and is never taken for MP3.
 */
final class Mp3Format {

  private Mp3Format() {}

  private static final int[][] BITRATES = {
    // MPEG-1 Layer I, II, III
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
    // MPEG-2/2.5 Layer I, II, III
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
  };

  private static final int[][] SAMPLE_RATES = {
    {11025, 12000, 8000}, // MPEG-2.5 (version bits 00)
    null, // reserved (01)
    {22050, 24000, 16000}, // MPEG-2 (10)
    {44100, 48000, 32000}, // MPEG-1 (11)
  };

  /** The 4 header bytes as an int, big-endian. */
  private static int header(ByteBuffer b, int i) {
    return (int) Bytes.u32be(b, i);
  }

  private static int versionBits(int h) {
    return (h >>> 19) & 3;
  }

  /** 1 for Layer I, 2 for II, 3 for III, 0 for reserved. */
  private static int layer(int h) {
    int bits = (h >>> 17) & 3;
    return bits == 0 ? 0 : 4 - bits;
  }

  private static int bitrateKbps(int h) {
    int table = (versionBits(h) == 3 ? 0 : 3) + layer(h) - 1;
    return BITRATES[table][(h >>> 12) & 0xF];
  }

  private static int sampleRate(int h) {
    return SAMPLE_RATES[versionBits(h)][(h >>> 10) & 3];
  }

  /** True if {@code h} is a valid MPEG audio frame header with a known bitrate. */
  static boolean isFrameHeader(int h) {
    return (h >>> 21) == 0x7FF
        && versionBits(h) != 1
        && layer(h) != 0
        && ((h >>> 12) & 0xF) != 0xF
        && ((h >>> 12) & 0xF) != 0
        && ((h >>> 10) & 3) != 3
        && (h & 3) != 2;
  }

  private static int samplesPerFrame(int h) {
    int layer = layer(h);
    return layer == 1 ? 384 : layer == 2 || versionBits(h) == 3 ? 1152 : 576;
  }

  /** The frame's length in bytes, header included (valid headers only). */
  static int frameLength(int h) {
    int padding = (h >>> 9) & 1;
    int bitrate = bitrateKbps(h) * 1000;
    int rate = sampleRate(h);
    if (layer(h) == 1) {
      return (12 * bitrate / rate + padding) * 4;
    }
    return samplesPerFrame(h) / 8 * bitrate / rate + padding;
  }

  private static boolean sameStream(int a, int b) {
    return (a & 0xFFFE0C00) == (b & 0xFFFE0C00); // sync, version, layer, sample rate
  }

  /** The ID3v2 tag's total length at {@code i} (header and footer included), -1 if none. */
  private static long id3v2Length(ByteBuffer b, int i, int end) {
    if (end - i < 10 || !Bytes.matches(b, i, end, "ID3")) {
      return -1;
    }
    int major = Bytes.u8(b, i + 3);
    if (major < 2 || major > 4 || Bytes.u8(b, i + 4) == 0xFF) {
      return -1;
    }
    long size = 0;
    for (int k = 6; k < 10; k++) {
      int v = Bytes.u8(b, i + k);
      if (v >= 0x80) {
        return -1;
      }
      size = size << 7 | v;
    }
    boolean footer = major == 4 && (Bytes.u8(b, i + 5) & 0x10) != 0;
    return 10 + size + (footer ? 10 : 0);
  }

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (end - p < 4) {
      return 0;
    }
    long tag = id3v2Length(head, p, end);
    if (tag > 0) {
      if (tag > end - p - 4) {
        return 80; // a valid ID3v2 tag larger than what is in view: almost always MP3
      }
      int q = p + (int) tag;
      while (q < end - 4 && head.get(q) == 0) {
        q++; // padding some taggers leave after the declared size
      }
      if (q + 4 > end) {
        return 80;
      }
      int h = header(head, q);
      if (isFrameHeader(h)) {
        return layer(h) == 3 ? KindSniffer.CERTAIN : 30;
      }
      return 20;
    }
    int h = header(head, p);
    if (!isFrameHeader(h) || layer(h) != 3) {
      return 0;
    }
    int chained = 1;
    int q = p + frameLength(h);
    while (chained < 3 && q + 4 <= end) {
      int next = header(head, q);
      if (!isFrameHeader(next) || !sameStream(h, next)) {
        return 0;
      }
      chained++;
      q += frameLength(next);
    }
    return chained >= 3 ? KindSniffer.CERTAIN : chained == 2 ? 90 : 40;
  }

  /**
   * Facts: {@code id3v2Version} (such as {@code "2.3.0"}, when a tag is present), {@code
   * mpegVersion} ({@code "1"}, {@code "2"}, {@code "2.5"}), {@code layer}, {@code bitrateKbps} (of
   * the first frame), {@code sampleRate}, {@code channelMode} ({@code stereo}, {@code
   * joint-stereo}, {@code dual-channel}, {@code mono}), {@code channels}; when the first frame is a
   * Xing/Info frame: {@code vbr}, {@code frames}, and {@code durationSeconds} (less the LAME
   * encoder delay and padding when a LAME tag gives them).
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.MP3, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: an MP3 starts with an ID3v2 tag or a frame header");
    }
    ByteBuffer b = content.duplicate();
    int base = b.position();
    int end = b.limit();
    Map<String, Object> facts = new LinkedHashMap<>();
    int p = 0;
    long tag = id3v2Length(b, base, end);
    if (tag > 0) {
      facts.put("id3v2Version", "2." + c.at(3) + "." + c.at(4));
      if (tag > n) {
        throw c.fault(
            6, "ID3v2 tag of " + tag + " bytes runs past the end of the content (" + n + " bytes)");
      }
      p = (int) tag;
      while (p < n && c.at(p) == 0) {
        p++;
      }
    }
    c.require(p, 4, "MPEG audio frame header");
    int h = header(b, base + p);
    if (!isFrameHeader(h)) {
      throw c.fault(p, String.format("no MPEG audio frame header: found %08x", h));
    }
    if (layer(h) != 3) {
      throw c.fault(p, "the first frame is MPEG audio Layer " + layer(h) + ", not Layer III");
    }
    int version = versionBits(h);
    int rate = sampleRate(h);
    int mode = (h >>> 6) & 3;
    facts.put("mpegVersion", version == 3 ? "1" : version == 2 ? "2" : "2.5");
    facts.put("layer", 3);
    facts.put("bitrateKbps", bitrateKbps(h));
    facts.put("sampleRate", rate);
    facts.put(
        "channelMode",
        mode == 0 ? "stereo" : mode == 1 ? "joint-stereo" : mode == 2 ? "dual-channel" : "mono");
    facts.put("channels", mode == 3 ? 1 : 2);
    int sideInfo = version == 3 ? (mode == 3 ? 17 : 32) : (mode == 3 ? 9 : 17);
    int xing = p + 4 + sideInfo;
    int frameEnd = Math.min(n, p + frameLength(h));
    if (xing + 8 <= frameEnd && (c.startsWith(xing, "Xing") || c.startsWith(xing, "Info"))) {
      long flags = c.u32be(xing + 4, "Xing flags");
      int q = xing + 8;
      if ((flags & 1) != 0 && q + 4 <= frameEnd) {
        long frames = c.u32be(q, "Xing frame count");
        facts.put("vbr", c.startsWith(xing, "Xing"));
        facts.put("frames", frames);
        q += 4;
        q += (flags & 2) != 0 ? 4 : 0;
        q += (flags & 4) != 0 ? 100 : 0;
        q += (flags & 8) != 0 ? 4 : 0;
        long samples = frames * samplesPerFrame(h);
        if (q + 24 <= frameEnd && c.startsWith(q, "LAME")) {
          int b0 = c.at(q + 21);
          int b1 = c.at(q + 22);
          int b2 = c.at(q + 23);
          int delay = b0 << 4 | b1 >>> 4;
          int padding = (b1 & 0x0F) << 8 | b2;
          if (delay + padding < samples) {
            samples -= delay + padding;
          }
        }
        facts.put("durationSeconds", samples / (double) rate);
      }
    }
    return facts;
  }
}
