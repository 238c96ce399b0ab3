package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scores: full signatures, partial ones, near misses and heuristics. */
class SnifferTest {

  static int sniff(KindSniffer sniffer, byte[] bytes) {
    return sniffer.sniff(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRiffThatIsNotWaveIsNotClaimed() {
    byte[] avi = new ByteWriter().ascii("RIFF").u32le(100).ascii("AVI LIST").zeros(20).toArray();
    assertEquals(0, sniff(WavFormat::sniff, avi));
    assertEquals(0, sniff(WebpFormat::sniff, avi));
    byte[] rifx = new ByteWriter().ascii("RIFX").u32be(100).ascii("WAVEfmt ").toArray();
    assertEquals(0, sniff(WavFormat::sniff, rifx), "big-endian RIFX is not read");
    byte[] rf64 = new ByteWriter().ascii("RF64").u32le(-1).ascii("WAVEds64").toArray();
    assertEquals(100, sniff(WavFormat::sniff, rf64));
  }

  static byte[] ebml(String docType, boolean padded) {
    ByteWriter children =
        new ByteWriter()
            .u8(0x42, 0x86, 0x81, 0x01) // EBMLVersion 1
            .u8(0x42, 0xF7, 0x81, 0x01);
    byte[] type = docType.getBytes(StandardCharsets.US_ASCII);
    children.u8(0x42, 0x82, 0x80 | (type.length + (padded ? 2 : 0))).bytes(type);
    if (padded) {
      children.u8(0, 0);
    }
    children.u8(0x42, 0x87, 0x81, 0x04);
    byte[] c = children.toArray();
    return new ByteWriter()
        .u8(0x1A, 0x45, 0xDF, 0xA3)
        .u8(0x80 | c.length)
        .bytes(c)
        .u8(0x18, 0x53, 0x80, 0x67)
        .u8(0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
        .toArray();
  }

  @Test
  void ebmlIsWebmOnlyWhenItsDocTypeSaysSo() {
    assertEquals(100, sniff(WebmFormat::sniff, ebml("webm", false)));
    assertEquals(100, sniff(WebmFormat::sniff, ebml("webm", true)));
    assertEquals(0, sniff(WebmFormat::sniff, ebml("matroska", false)));
    assertEquals(0, sniff(WebmFormat::sniff, ebml("webmx", false)));
    byte[] cut = ebml("webm", false);
    assertTrue(sniff(WebmFormat::sniff, java.util.Arrays.copyOf(cut, 8)) < KindSniffer.SIGNATURE);
    assertEquals("webm", WebmFormat.inspect(ByteBuffer.wrap(ebml("webm", true))).get("docType"));
  }

  static byte[] oggFirstPage(byte[] packet) {
    return new ByteWriter()
        .ascii("OggS")
        .u8(0, 0x02)
        .zeros(8)
        .u32le(1)
        .u32le(0)
        .u32le(0)
        .u8(1, packet.length)
        .bytes(packet)
        .toArray();
  }

  @Test
  void oggIsOpusOnlyWhenItsFirstPacketIsOpusHead() {
    byte[] opusHead =
        new ByteWriter()
            .ascii("OpusHead")
            .u8(1, 2)
            .u16le(312)
            .u32le(44100)
            .u16le(0)
            .u8(0)
            .toArray();
    assertEquals(100, sniff(OpusFormat::sniff, oggFirstPage(opusHead)));
    byte[] vorbis = new ByteWriter().u8(1).ascii("vorbis").zeros(23).toArray();
    assertEquals(0, sniff(OpusFormat::sniff, oggFirstPage(vorbis)));
    byte[] notFirst = oggFirstPage(opusHead);
    notFirst[5] = 0; // not beginning-of-stream
    assertEquals(0, sniff(OpusFormat::sniff, notFirst));
  }

  static byte[] ftyp(String major, String... compatible) {
    ByteWriter w =
        new ByteWriter().u32be(16 + 4L * compatible.length).ascii("ftyp").ascii(major).u32be(0);
    for (String c : compatible) {
      w.ascii(c);
    }
    return w.toArray();
  }

  @Test
  void ftypBrandsAreWeighed() {
    assertEquals(100, sniff(Mp4Format::sniff, ftyp("mp42", "isom")));
    assertEquals(100, sniff(Mp4Format::sniff, ftyp("M4A ", "M4A ", "mp42")));
    assertEquals(0, sniff(Mp4Format::sniff, ftyp("heic", "mif1", "heic")), "HEIF image");
    assertEquals(0, sniff(Mp4Format::sniff, ftyp("avif", "avif", "mif1")), "AVIF image");
    assertEquals(0, sniff(Mp4Format::sniff, ftyp("mif1", "mif1")), "HEIF of no codec");
    assertEquals(90, sniff(Mp4Format::sniff, ftyp("xyzw", "isom")));
    assertEquals(KindSniffer.SIGNATURE, sniff(Mp4Format::sniff, ftyp("xyzw")));
    byte[] oddSize = ftyp("isom");
    oddSize[3] = 17;
    assertEquals(0, sniff(Mp4Format::sniff, oddSize));
  }

  /**
   * Movies MP4 players also play: their own kind at 100, mp4 below the signature range, so that a
   * {@code .mp4} name cannot make a QuickTime movie MP4; the first compatible brand naming a family
   * decides when the major brand names none.
   */
  @Test
  void quickTimeAnd3gppAreTheirOwnKindsAndMp4OnlyAHeuristic() {
    byte[] qt = ftyp("qt  ", "qt  ");
    assertEquals(100, sniff(Mp4Format::sniffQuickTime, qt));
    assertEquals(IsoBmff.RELATIVE, sniff(Mp4Format::sniff, qt));
    assertTrue(IsoBmff.RELATIVE < KindSniffer.SIGNATURE);
    byte[] threeGp = ftyp("3gp4", "3gp4", "isom", "iso2"); // as ffmpeg -f 3gp writes it
    assertEquals(100, sniff(Mp4Format::sniff3gpp, threeGp));
    assertEquals(0, sniff(Mp4Format::sniff3gpp2, threeGp));
    assertEquals(IsoBmff.RELATIVE, sniff(Mp4Format::sniff, threeGp));
    byte[] threeG2 = ftyp("3g2a", "3g2a", "isom", "iso2");
    assertEquals(100, sniff(Mp4Format::sniff3gpp2, threeG2));
    assertEquals(0, sniff(Mp4Format::sniff3gpp, threeG2));
    assertEquals(100, sniff(Mp4Format::sniff3gpp, ftyp("3gr6")), "any 3GPP profile brand");
    byte[] unknownMajor = ftyp("xyzw", "3gp5", "isom");
    assertEquals(90, sniff(Mp4Format::sniff3gpp, unknownMajor));
    assertEquals(IsoBmff.RELATIVE, sniff(Mp4Format::sniff, unknownMajor));
    byte[] mp4 = ftyp("isom", "qt  ", "3gp4");
    assertEquals(0, sniff(Mp4Format::sniffQuickTime, mp4), "the major brand decides");
    assertEquals(0, sniff(Mp4Format::sniff3gpp, mp4));
  }

  @Test
  void heifBrandsAreImagesOfTheirCodec() {
    assertEquals(100, sniff(HeifFormat::sniffHeic, ftyp("heic", "mif1", "heic", "miaf")));
    assertEquals(100, sniff(HeifFormat::sniffHeic, ftyp("hevc", "msf1", "hevc")), "sequence");
    assertEquals(0, sniff(HeifFormat::sniffAvif, ftyp("heic", "mif1", "heic")));
    assertEquals(100, sniff(HeifFormat::sniffAvif, ftyp("avif", "avif", "mif1", "miaf", "MA1A")));
    assertEquals(0, sniff(HeifFormat::sniffHeic, ftyp("avif", "avif", "mif1")));
    assertEquals(90, sniff(HeifFormat::sniffAvif, ftyp("mif1", "avif", "mif1")));
    assertEquals(90, sniff(HeifFormat::sniffHeic, ftyp("mif1", "mif1", "heic")));
    assertEquals(0, sniff(HeifFormat::sniffAvif, ftyp("mif1", "mif1", "heic")));
    assertEquals(IsoBmff.HEIF_GENERIC, sniff(HeifFormat::sniffHeic, ftyp("mif1", "miaf")));
    assertEquals(0, sniff(HeifFormat::sniffHeic, ftyp("isom", "mif1")), "an MP4 is no image");
    assertEquals(0, sniff(HeifFormat::sniffHeic, ftyp("qt  ")));
    byte[] cut = ftyp("heic", "mif1");
    assertEquals(0, sniff(HeifFormat::sniffHeic, Arrays.copyOf(cut, 11)), "cut in the major brand");
  }

  /** An MPEG-1 Layer III header at 128 kbps, 44.1 kHz, no padding: 417-byte frames. */
  static byte[] mp3Frames(int count, int secondByte) {
    ByteWriter w = new ByteWriter();
    for (int i = 0; i < count; i++) {
      w.u8(0xFF, secondByte, 0x90, 0x44).zeros(417 - 4);
    }
    return w.toArray();
  }

  @Test
  void mp3WithoutATagNeedsChainedLayerThreeFrames() {
    assertEquals(417, Mp3Format.frameLength(0xFFFB9044));
    assertEquals(100, sniff(Mp3Format::sniff, mp3Frames(3, 0xFB)));
    assertEquals(90, sniff(Mp3Format::sniff, mp3Frames(2, 0xFB)));
    assertEquals(40, sniff(Mp3Format::sniff, mp3Frames(1, 0xFB)));
    byte[] broken = mp3Frames(3, 0xFB);
    broken[417] = 0x12; // the second header is gone
    assertEquals(0, sniff(Mp3Format::sniff, broken));
    assertEquals(0, sniff(Mp3Format::sniff, mp3Frames(3, 0xFD)), "Layer II is not MP3");
    byte[] adts = {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80, 0x02, 0x1F, (byte) 0xFC};
    assertEquals(0, sniff(Mp3Format::sniff, adts), "ADTS AAC is not MP3");
  }

  @Test
  void anId3TagIsFollowedByTheAudioItPrecedes() {
    byte[] tag = new ByteWriter().ascii("ID3").u8(3, 0, 0).u8(0, 0, 0, 10).zeros(10).toArray();
    assertEquals(
        100,
        sniff(Mp3Format::sniff, new ByteWriter().bytes(tag).bytes(mp3Frames(1, 0xFB)).toArray()));
    assertEquals(
        30,
        sniff(Mp3Format::sniff, new ByteWriter().bytes(tag).bytes(mp3Frames(1, 0xFD)).toArray()));
    assertEquals(
        20, sniff(Mp3Format::sniff, new ByteWriter().bytes(tag).ascii("fLaC").zeros(30).toArray()));
    byte[] hugeTag =
        new ByteWriter().ascii("ID3").u8(4, 0, 0).u8(0x7F, 0x7F, 0x7F, 0x7F).zeros(100).toArray();
    assertEquals(80, sniff(Mp3Format::sniff, hugeTag));
    byte[] badSize =
        new ByteWriter().ascii("ID3").u8(3, 0, 0).u8(0x80, 0, 0, 0).zeros(100).toArray();
    assertEquals(0, sniff(Mp3Format::sniff, badSize), "syncsafe sizes have no high bits");
  }

  @Test
  void partialImageSignaturesScoreBelowCertain() {
    assertEquals(20, sniff(JpegFormat::sniff, new byte[] {(byte) 0xFF, (byte) 0xD8}));
    assertEquals(0, sniff(JpegFormat::sniff, new byte[] {(byte) 0xFF, (byte) 0xD8, 0x00, 0x00}));
    assertEquals(
        60, sniff(JpegFormat::sniff, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x12}));
    assertEquals(
        100,
        sniff(JpegFormat::sniff, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1}));
    byte[] crlfMangled = {(byte) 0x89, 'P', 'N', 'G', 0x0A, 0x0A, 0x1A, 0x0A};
    assertEquals(40, sniff(PngFormat::sniff, crlfMangled));
    byte[] webpNoChunk = new ByteWriter().ascii("RIFF").u32le(4).ascii("WEBP").toArray();
    assertEquals(90, sniff(WebpFormat::sniff, webpNoChunk));
  }

  @Test
  void pdfHeadersAreFoundAtTheStartOrInTheFirstKilobyte() {
    assertEquals(100, sniff(PdfFormat::sniff, text("%PDF-1.7\n%\u00e2\u00e3")));
    assertEquals(80, sniff(PdfFormat::sniff, text("%PDF-x")));
    assertEquals(70, sniff(PdfFormat::sniff, text("garbage\r\n%PDF-1.4\n")));
    assertEquals(0, sniff(PdfFormat::sniff, text("x".repeat(1100) + "%PDF-1.4")));
  }

  @Test
  void aPdfHeaderCountsOnlyWhenAllOfItLiesInTheFirstKilobyte() {
    for (int at = 1; at <= PdfFormat.HEADER_WINDOW; at++) {
      // Decoy '%' bytes before the header, every one of them a false start.
      byte[] head =
          text("%x%%PD".repeat(at / 6 + 1).substring(0, at) + "%PDF-1.4\n" + "y".repeat(64));
      head[0] = 'j';
      int expected = at + 5 <= PdfFormat.HEADER_WINDOW ? 70 : 0;
      assertEquals(expected, sniff(PdfFormat::sniff, head), "header at " + at);
      ByteBuffer direct = ByteBuffer.allocateDirect(head.length).put(head).flip();
      assertEquals(expected, PdfFormat.sniff(direct), "direct, header at " + at);
    }
  }

  @Test
  void jsonScoresFollowHowMuchOfTheGrammarWasSeen() {
    assertEquals(
        45,
        sniff(
            JsonSniffer::sniff,
            text("\uFEFF {\"a\": [1, -2.5e+3, true, null, \"\\u00e9\\n\u00e9\"]}\n")));
    assertEquals(45, sniff(JsonSniffer::sniff, text("[]")));
    assertEquals(40, sniff(JsonSniffer::sniff, text("{\"items\": [" + "1, ".repeat(40))));
    assertEquals(25, sniff(JsonSniffer::sniff, text("{\"a\": ")));
    assertEquals(25, sniff(JsonSniffer::sniff, text("{\"a\":1}\n{\"a\":2}\n")), "JSON Lines");
    assertEquals(10, sniff(JsonSniffer::sniff, text("\"just a string\"")));
    assertEquals(0, sniff(JsonSniffer::sniff, text("{a: 1}")));
    assertEquals(0, sniff(JsonSniffer::sniff, text("[1, 2,]")));
    assertEquals(0, sniff(JsonSniffer::sniff, text("[01]")));
    assertEquals(0, sniff(JsonSniffer::sniff, text("{\"a\" 1}")));
    assertEquals(0, sniff(JsonSniffer::sniff, text("[\"tab\there\"]")));
    assertEquals(
        0, sniff(JsonSniffer::sniff, new byte[] {'[', '"', (byte) 0xC0, (byte) 0x80, '"', ']'}));
    assertEquals(
        40, sniff(JsonSniffer::sniff, text("[".repeat(200))), "deep nesting stops the check");
    assertEquals(0, sniff(JsonSniffer::sniff, text("hello")));
  }

  @Test
  void jsonIsCheckedOverItsFirstKilobyteOnly() {
    String items = "[" + "{\"k\": 1}, ".repeat(200) + "{}]"; // 2 KiB, valid
    assertEquals(40, sniff(JsonSniffer::sniff, text(items)), "still open at 1 KiB: a valid prefix");
    assertEquals(
        40,
        sniff(JsonSniffer::sniff, text(items.substring(0, 1500) + "\u0000garbage")),
        "what lies past the window is not read");
    String small = "{\"a\": 1}" + " ".repeat(3000);
    assertEquals(45, sniff(JsonSniffer::sniff, text(small)), "complete, then only white space");
    assertEquals(
        25,
        sniff(JsonSniffer::sniff, text(small + "{\"b\": 2}")),
        "a second value past the window");
    assertEquals(0, sniff(JsonSniffer::sniff, text(small + "x")));
  }

  @Test
  void csvNeedsConsistentRecordsOfSeveralFields() {
    assertEquals(30, sniff(CsvSniffer::sniff, text("a,b,c\n1,2,3\n")));
    assertEquals(
        40,
        sniff(
            CsvSniffer::sniff,
            text("id,name\r\n1,\"Smith, J\"\r\n2,\"two\nlines\"\r\n3,\"\"\"q\"\"\"\r\n4,x\r\n")));
    assertEquals(
        30, sniff(CsvSniffer::sniff, text("a,b\n1,2")), "the last record needs no line break");
    assertEquals(0, sniff(CsvSniffer::sniff, text("a,b,c\n1,2\n")));
    assertEquals(0, sniff(CsvSniffer::sniff, text("one field\nper line\n")));
    assertEquals(0, sniff(CsvSniffer::sniff, text("a,b\n1,\"unterminated\n")));
    assertEquals(0, sniff(CsvSniffer::sniff, new byte[] {'a', ',', 'b', '\n', 0, ',', '1', '\n'}));
    assertEquals(
        15, sniff(CsvSniffer::sniff, text("Hello, world.\nGood, bye.\n")), "prose is halved");
    assertEquals(0, sniff(CsvSniffer::sniff, text("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n")));
  }

  @Test
  void heuristicsNeverReachTheSignatureScore() {
    List<byte[]> inputs = new ArrayList<>();
    inputs.add(text("[" + "{\"k\": 1},".repeat(2000) + "{}]"));
    inputs.add(text("a,b\n".repeat(3000)));
    for (byte[] input : inputs) {
      assertTrue(sniff(JsonSniffer::sniff, input) < KindSniffer.SIGNATURE);
      assertTrue(sniff(CsvSniffer::sniff, input) < KindSniffer.SIGNATURE);
    }
  }

  /**
   * Sniffers read the head in place: after warm-up, a thousand rounds of every sniffer over every
   * corpus head allocate (almost) nothing. The allowance covers the measurement itself.
   */
  @Test
  void sniffersDoNotAllocatePerCall() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<KindSniffer> sniffers = new ArrayList<>();
    for (KindDescriptor d : new MediaKindProvider().kinds()) {
      d.sniffer().ifPresent(sniffers::add);
    }
    List<ByteBuffer> heads = new ArrayList<>();
    for (Corpus.Row row : Corpus.all()) {
      byte[] b = row.bytes();
      heads.add(
          ByteBuffer.wrap(b, 0, Math.min(b.length, BufferKindRegistry.SNIFF_HEAD_BYTES))
              .slice()
              .asReadOnlyBuffer());
    }
    // Arrays, not lists: an iterator per loop would be the test's own allocation.
    KindSniffer[] s = sniffers.toArray(new KindSniffer[0]);
    ByteBuffer[] h = heads.toArray(new ByteBuffer[0]);
    long sink = 0;
    for (int round = 0; round < 3000; round++) {
      for (int i = 0; i < s.length; i++) {
        for (int k = 0; k < h.length; k++) {
          sink += s[i].sniff(h[k]);
        }
      }
    }
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    int calls = 0;
    for (int round = 0; round < 1000; round++) {
      for (int i = 0; i < s.length; i++) {
        for (int k = 0; k < h.length; k++) {
          sink += s[i].sniff(h[k]);
          calls++;
        }
      }
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertTrue(sink > 0);
    assertTrue(allocated < calls / 10, allocated + " bytes allocated over " + calls + " sniffs");
  }
}
