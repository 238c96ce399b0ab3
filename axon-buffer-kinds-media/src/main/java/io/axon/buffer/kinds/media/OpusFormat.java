package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opus in Ogg (RFC 7845): the first page of the stream (flagged "beginning of stream") carries one
 * packet, the identification header, which starts with {@code OpusHead}. An Ogg stream whose first
 * packet is Vorbis ({@code \x01vorbis}), FLAC or Speex is a near miss and is not claimed.
 */
final class OpusFormat {

  private OpusFormat() {}

  /** The offset of the first packet of the Ogg page at {@code p}, or -1. */
  private static int firstPacket(ByteBuffer b, int p, int end) {
    if (end - p < 27
        || !Bytes.matches(b, p, end, "OggS")
        || Bytes.u8(b, p + 4) != 0
        || (Bytes.u8(b, p + 5) & 0x02) == 0) {
      return -1;
    }
    int segments = Bytes.u8(b, p + 26);
    return p + 27 + segments;
  }

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    int packet = firstPacket(head, p, end);
    if (packet < 0) {
      return 0;
    }
    return Bytes.matches(head, packet, end, "OpusHead") ? KindSniffer.CERTAIN : 0;
  }

  /**
   * Facts: {@code version}, {@code channels}, {@code preSkip} (samples at 48 kHz to drop), {@code
   * inputSampleRate} (of the source, informational), {@code outputGainDb}, {@code mappingFamily},
   * {@code sampleRate} (always 48000: Opus decodes at 48 kHz).
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Content c = new Content(MediaKinds.OPUS, content);
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: an Ogg stream starts with an OggS page");
    }
    c.require(0, 27, "Ogg page header");
    if (!c.startsWith(0, "OggS")) {
      throw c.fault(0, "not an Ogg page: expected \"OggS\"");
    }
    if (c.at(4) != 0) {
      throw c.fault(4, "Ogg stream structure version " + c.at(4) + " is not 0");
    }
    if ((c.at(5) & 0x02) == 0) {
      throw c.fault(5, "the first Ogg page is not flagged beginning-of-stream");
    }
    int segments = c.at(26);
    c.require(27, segments, "Ogg segment table");
    int packetLength = 0;
    for (int i = 0; i < segments; i++) {
      int lace = c.at(27 + i);
      packetLength += lace;
      if (lace < 255) {
        break;
      }
    }
    int packet = 27 + segments;
    if (packetLength < 19) {
      throw c.fault(
          packet, "the first packet has " + packetLength + " bytes, fewer than an OpusHead (19)");
    }
    c.require(packet, 19, "OpusHead packet");
    if (!c.startsWith(packet, "OpusHead")) {
      throw c.fault(
          packet, "the first packet is \"" + c.ascii(packet, 8, "packet") + "\", not OpusHead");
    }
    int version = c.at(packet + 8);
    if (version >> 4 != 0) {
      throw c.fault(packet + 8, "OpusHead version " + version + " is not 0.x (major 0)");
    }
    int channels = c.at(packet + 9);
    if (channels == 0) {
      throw c.fault(packet + 9, "OpusHead channel count is 0");
    }
    int gain = (short) c.u16le(packet + 16, "output gain");
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("version", version);
    facts.put("channels", channels);
    facts.put("preSkip", c.u16le(packet + 10, "pre-skip"));
    facts.put("inputSampleRate", c.u32le(packet + 12, "input sample rate"));
    facts.put("outputGainDb", gain / 256.0);
    facts.put("mappingFamily", c.at(packet + 18));
    facts.put("sampleRate", 48000);
    return facts;
  }
}
