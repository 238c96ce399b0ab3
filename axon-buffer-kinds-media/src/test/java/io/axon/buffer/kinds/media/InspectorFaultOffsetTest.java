package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.axon.buffer.BufferKind;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * One structural fault in a real corpus file for each inspector the JPEG and WAV tests do not
 * cover: the typed error names the kind and the offset of the fault, in the message too ("malformed
 * KIND at offset N: ..."). The JPEG and WAV inspectors' offsets are in {@link JpegInspectorTest}
 * and {@link WavInspectorTest}.
 */
class InspectorFaultOffsetTest {

  static MalformedContentException fails(
      BufferKind kind, Function<ByteBuffer, Map<String, Object>> inspector, byte[] bytes) {
    MalformedContentException e =
        assertThrows(
            MalformedContentException.class,
            () -> inspector.apply(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    assertEquals(kind, e.kind());
    return e;
  }

  static byte[] corpus(String name) {
    return Corpus.row(name).bytes();
  }

  /** lame's ID3v2.3 tag is 10 + 126 bytes; the file cut at 100 ends inside it. */
  @Test
  void mp3TagRunningPastTheEnd() {
    byte[] cut = Arrays.copyOf(corpus("lame_id3v2.mp3"), 100);
    MalformedContentException e = fails(MediaKinds.MP3, Mp3Format::inspect, cut);
    assertEquals(6, e.offset()); // the tag's size field
    assertEquals(
        "malformed mp3 at offset 6: ID3v2 tag of 136 bytes runs past the end of the"
            + " content (100 bytes)",
        e.getMessage());
  }

  /** ffmpeg writes ftyp (32 bytes), then an 8-byte free box: here it claims 4 bytes. */
  @Test
  void mp4BoxSmallerThanItsHeader() {
    byte[] mp4 = corpus("ffmpeg_h264_aac.mp4");
    ByteBuffer.wrap(mp4).putInt(32, 4);
    MalformedContentException e =
        fails(MediaKinds.MP4, b -> Mp4Format.inspect(MediaKinds.MP4, b), mp4);
    assertEquals(32, e.offset());
    assertEquals(
        "malformed mp4 at offset 32: box \"free\" size 4 is smaller than its header",
        e.getMessage());
  }

  /**
   * The EBML header (31 bytes from offset 5) holds DocType at offset 21 (id 42 82, size 84,
   * "webm"); a size of 15 runs past the header's end (36).
   */
  @Test
  void webmHeaderElementRunningPastTheHeader() {
    byte[] webm = corpus("ffmpeg_vp9_opus.webm");
    assertEquals(0x84, webm[23] & 0xFF);
    webm[23] = (byte) 0x8F;
    MalformedContentException e = fails(MediaKinds.WEBM, WebmFormat::inspect, webm);
    assertEquals(21, e.offset());
    assertEquals(
        "malformed webm at offset 21: EBML header element runs past the header's end",
        e.getMessage());
  }

  /** IHDR's length field (offset 8, after the signature) must say 13. */
  @Test
  void pngIhdrOfTheWrongLength() {
    byte[] png = corpus("im6_gradient.png");
    ByteBuffer.wrap(png).putInt(8, 14);
    MalformedContentException e = fails(MediaKinds.PNG, PngFormat::inspect, png);
    assertEquals(8, e.offset());
    assertEquals("malformed png at offset 8: IHDR length is 14, not 13", e.getMessage());
  }

  /** The VP8 chunk's size (offset 16, little-endian) says 4: less than the frame header. */
  @Test
  void webpVp8ChunkShorterThanItsFrameHeader() {
    byte[] webp = corpus("cwebp_lossy_vp8.webp");
    ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 4);
    MalformedContentException e = fails(MediaKinds.WEBP, WebpFormat::inspect, webp);
    assertEquals(16, e.offset());
    assertEquals(
        "malformed webp at offset 16: VP8 chunk of 4 bytes is shorter than its frame" + " header",
        e.getMessage());
  }

  /**
   * Five bytes of junk before the header (readers allow it), and no digit where the version's major
   * number goes: the offset counts from the start of the content, junk included.
   */
  @Test
  void pdfHeaderWithoutAVersion() {
    byte[] pdf = corpus("ps2pdf.pdf");
    assertEquals("%PDF-1.4", new String(pdf, 0, 8, StandardCharsets.ISO_8859_1));
    pdf[5] = 'X';
    byte[] junk = "JUNK\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] bytes = new byte[junk.length + pdf.length];
    System.arraycopy(junk, 0, bytes, 0, junk.length);
    System.arraycopy(pdf, 0, bytes, junk.length, pdf.length);
    MalformedContentException e = fails(MediaKinds.PDF, PdfFormat::inspect, bytes);
    assertEquals(10, e.offset());
    assertEquals("malformed pdf at offset 10: the %PDF- header has no M.m version", e.getMessage());
  }

  /**
   * The first Ogg page has one segment; its lacing value (offset 27) gives the OpusHead packet's
   * length, 19. At 10, the packet (offset 28) is too short to be one.
   */
  @Test
  void opusFirstPacketTooShortForOpusHead() {
    byte[] opus = corpus("opusenc.opus");
    assertEquals(1, opus[26]);
    assertEquals(19, opus[27]);
    opus[27] = 10;
    MalformedContentException e = fails(MediaKinds.OPUS, OpusFormat::inspect, opus);
    assertEquals(28, e.offset());
    assertEquals(
        "malformed opus at offset 28: the first packet has 10 bytes, fewer than an"
            + " OpusHead (19)",
        e.getMessage());
  }
}
