package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inspector facts against what real tools found in the corpus: ImageMagick {@code identify} and
 * {@code file} for images, {@code soxi} for audio.
 */
class CorpusInspectionTest {

  static BufferKindRegistry registry;

  @BeforeAll
  static void load() {
    registry = BufferKindRegistry.loading(MediaKindProvider.class.getClassLoader());
  }

  static Map<String, Object> inspect(BufferKind kind, byte[] bytes) {
    return registry.inspect(kind, ByteBuffer.wrap(bytes).asReadOnlyBuffer()).orElseThrow();
  }

  private static String group(String pattern, String text) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void everyGoodJpegMatchesIdentifyAndFile() {
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (Corpus.Row row : Corpus.manifest("media")) {
      if (!row.set().equals("good") || !row.suggestedKind().equals("jpeg")) {
        continue;
      }
      Map<String, Object> facts = inspect(MediaKinds.JPEG, row.bytes());
      String identify = row.get("identify_format_WxH"); // "JPEG 64x48"
      String fileBrief = row.get("file_brief");
      String size = facts.get("width") + "x" + facts.get("height");
      if (!identify.equals("JPEG " + size)) {
        failures.add(row + ": identify says " + identify + ", inspector " + size);
      }
      String components = group("components (\\d+)", fileBrief);
      String precision = group("precision (\\d+)", fileBrief);
      String process = group("(baseline|progressive|extended sequential|lossless)", fileBrief);
      if (!String.valueOf(facts.get("components")).equals(components)
          || !String.valueOf(facts.get("precision")).equals(precision)
          || !String.valueOf(facts.get("codingProcess")).equals(process)) {
        failures.add(row + ": file says " + fileBrief + "; inspector " + facts);
      }
      if (fileBrief.contains("JFIF standard 1.01") != "1.01".equals(facts.get("jfifVersion"))) {
        failures.add(row + ": JFIF version differs from file's: " + facts);
      }
      checked++;
    }
    assertEquals(List.of(), failures);
    assertEquals(5, checked);
  }

  @Test
  void jpegFactsHaveAStableOrderAndPlainValues() {
    Map<String, Object> facts =
        inspect(MediaKinds.JPEG, Corpus.row("cjpeg_progressive.jpg").bytes());
    assertEquals(
        List.of(
            "width",
            "height",
            "components",
            "precision",
            "codingProcess",
            "arithmetic",
            "hierarchical",
            "colorSpace",
            "jfifVersion"),
        List.copyOf(facts.keySet()));
    assertEquals(64, facts.get("width"));
    assertEquals("progressive", facts.get("codingProcess"));
    assertEquals(false, facts.get("arithmetic"));
    assertEquals("ycbcr", facts.get("colorSpace"));
    assertEquals(
        "gray", inspect(MediaKinds.JPEG, Corpus.row("cjpeg_gray.jpg").bytes()).get("colorSpace"));
    // ImageMagick stores CMYK as YCCK (Adobe APP14 transform 2): libjpeg's jpeg_color_space.
    assertEquals(
        "ycck", inspect(MediaKinds.JPEG, Corpus.row("im6_cmyk.jpg").bytes()).get("colorSpace"));
  }

  @Test
  void everyDamagedJpegFailsWithTheTypedErrorNamingTheFaultAndOffset() {
    MalformedContentException cut =
        assertThrows(
            MalformedContentException.class,
            () -> inspect(MediaKinds.JPEG, Corpus.row("jpeg_cut_in_sof.jpg").bytes()));
    assertTrue(
        cut.getMessage().contains("SOF0 segment length 17 runs past the end"), cut.getMessage());
    assertEquals(MediaKinds.JPEG, cut.kind());
    assertTrue(cut.offset() > 2 && cut.offset() < 164, cut.getMessage());
    MalformedContentException empty =
        assertThrows(
            MalformedContentException.class,
            () -> inspect(MediaKinds.JPEG, Corpus.row("jpeg_empty.jpg").bytes()));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    MalformedContentException soiOnly =
        assertThrows(
            MalformedContentException.class,
            () -> inspect(MediaKinds.JPEG, Corpus.row("jpeg_soi_only.jpg").bytes()));
    assertEquals(2, soiOnly.offset());
  }

  /** soxi's {@code rate=8000 ch=1 bits=16-bit enc=16-bit Signed Integer PCM dur=00:00:01.00}. */
  @Test
  void everyGoodWavMatchesSoxi() {
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (Corpus.Row row : Corpus.all()) {
      if (!row.set().equals("good") || !row.suggestedKind().equals("wav")) {
        continue;
      }
      Map<String, Object> facts = inspect(MediaKinds.WAV, row.bytes());
      String soxi = row.get("soxi");
      String expected =
          String.format(
              Locale.ROOT,
              "rate=%s ch=%s bits=%s-bit enc=%s dur=%s",
              group("rate=(\\d+)", soxi),
              group("ch=(\\d+)", soxi),
              group("bits=(\\d+)", soxi),
              soxEncoding(soxi),
              group("dur=(\\S+)", soxi));
      String actual =
          String.format(
              Locale.ROOT,
              "rate=%s ch=%s bits=%s-bit enc=%s dur=%s",
              facts.get("sampleRate"),
              facts.get("channels"),
              facts.get("precision"),
              facts.get("encoding"),
              soxDuration((Double) facts.get("durationSeconds")));
      if (!expected.equals(actual)) {
        failures.add(row + ": soxi " + expected + ", inspector " + actual);
      }
      if (!Boolean.FALSE.equals(facts.get("sizeCapped"))) {
        failures.add(row + ": an intact file's sizes were capped: " + facts);
      }
      checked++;
    }
    assertEquals(List.of(), failures);
    assertEquals(7, checked);
  }

  private static String soxEncoding(String soxi) {
    if (soxi.contains("u-law")) {
      return "mulaw";
    }
    if (soxi.contains("A-law")) {
      return "alaw";
    }
    if (soxi.contains("Floating Point")) {
      return "float";
    }
    return soxi.contains("Integer PCM") ? "pcm" : "?";
  }

  /** sox prints durations as HH:MM:SS.ss, rounded to the hundredth. */
  static String soxDuration(double seconds) {
    long hundredths = Math.round(seconds * 100);
    return String.format(
        Locale.ROOT,
        "%02d:%02d:%02d.%02d",
        hundredths / 360000,
        hundredths / 6000 % 60,
        hundredths / 100 % 60,
        hundredths % 100);
  }

  @Test
  void wavFactsOfTheMulawFileSkipTheFactChunkAndKeepAStableOrder() {
    Map<String, Object> facts =
        inspect(MediaKinds.WAV, Corpus.row("sox_mulaw_8k_mono.wav").bytes());
    assertEquals(
        List.of(
            "formatTag",
            "encoding",
            "extensible",
            "sampleRate",
            "channels",
            "bitsPerSample",
            "precision",
            "blockAlign",
            "dataOffset",
            "dataLength",
            "declaredDataLength",
            "sizeCapped",
            "frames",
            "durationSeconds"),
        List.copyOf(facts.keySet()));
    assertEquals(7, facts.get("formatTag"));
    assertEquals(8, facts.get("bitsPerSample"));
    assertEquals(58L, facts.get("dataOffset")); // 12 + fmt (8 + 18) + fact (8 + 4) + data header 8
    assertEquals(8000L, facts.get("dataLength"));
    assertEquals(1.0, facts.get("durationSeconds"));
  }

  @Test
  void extensibleWavReportsItsSubFormat() {
    Map<String, Object> facts =
        inspect(MediaKinds.WAV, Corpus.row("sox_pcm24_16k_3ch_extensible.wav").bytes());
    assertEquals(0xFFFE, facts.get("formatTag"));
    assertEquals(true, facts.get("extensible"));
    assertEquals("pcm", facts.get("encoding"));
    assertEquals("00000001-0000-0010-8000-00aa00389b71", facts.get("subFormat"));
    assertEquals(24, facts.get("validBitsPerSample"));
    assertEquals(0L, facts.get("channelMask")); // sox leaves the speaker mask empty for 3 channels
    assertEquals(1600L, facts.get("frames"));
  }

  /**
   * soxi gives no duration for the piped file (its sizes say ~2 GiB); the inspector caps at the
   * 4000 bytes present.
   */
  @Test
  void pipedWavSizesAreCappedAtTheBytesPresent() {
    Map<String, Object> facts = inspect(MediaKinds.WAV, Corpus.row("pipe_sox_pcm16.wav").bytes());
    assertEquals(8000, facts.get("sampleRate"));
    assertEquals(44L, facts.get("dataOffset"));
    assertEquals(4000L, facts.get("dataLength"));
    assertEquals(0x7FFFF000L, facts.get("declaredDataLength"));
    assertEquals(true, facts.get("sizeCapped"));
    assertEquals(2000L, facts.get("frames"));
    assertEquals(0.25, facts.get("durationSeconds"));
  }

  /**
   * Disagreement with the manifest, on purpose: soxi reads the header of the 44-byte file and says
   * 1.00 s; the inspector reports the samples really present, none.
   */
  @Test
  void headerOnlyWavHasNoSamplesWhateverItsHeaderSays() {
    Map<String, Object> facts = inspect(MediaKinds.WAV, Corpus.row("wav_header_only.wav").bytes());
    assertTrue(Corpus.row("wav_header_only.wav").get("soxi").contains("dur=00:00:01.00"));
    assertEquals(0L, facts.get("dataLength"));
    assertEquals(16000L, facts.get("declaredDataLength"));
    assertEquals(true, facts.get("sizeCapped"));
    assertEquals(0.0, facts.get("durationSeconds"));
  }

  @Test
  void otherImageFactsMatchIdentifyAndFile() {
    Map<String, Object> png = inspect(MediaKinds.PNG, Corpus.row("im6_gradient.png").bytes());
    // file: "PNG image data, 64 x 48, 16-bit/color RGB, non-interlaced"; identify: PNG 64x48
    assertEquals(
        Map.of(
            "width",
            64,
            "height",
            48,
            "bitDepth",
            16,
            "colorType",
            "rgb",
            "interlaced",
            false,
            "animated",
            false),
        png);
    for (String name : List.of("cwebp_lossless_vp8l.webp", "cwebp_lossy_vp8.webp")) {
      Map<String, Object> webp = inspect(MediaKinds.WEBP, Corpus.row(name).bytes());
      assertEquals("WEBP 64x48", "WEBP " + webp.get("width") + "x" + webp.get("height"), name);
    }
    assertEquals(
        "lossless",
        inspect(MediaKinds.WEBP, Corpus.row("cwebp_lossless_vp8l.webp").bytes()).get("format"));
    assertEquals(
        "lossy",
        inspect(MediaKinds.WEBP, Corpus.row("cwebp_lossy_vp8.webp").bytes()).get("format"));
    assertThrows(
        MalformedContentException.class,
        () -> inspect(MediaKinds.PNG, Corpus.row("png_sig_only.png").bytes()));
  }

  @Test
  void containerAndDocumentFactsMatchFileAndFfprobe() {
    Map<String, Object> mp4 = inspect(MediaKinds.MP4, Corpus.row("ffmpeg_h264_aac.mp4").bytes());
    // file: "ISO Media, MP4 Base Media v1 [ISO 14496-12:2003]" is brand isom
    assertEquals("isom", mp4.get("majorBrand"));
    assertEquals(512L, mp4.get("minorVersion"));
    assertEquals("isom,iso2,avc1,mp41", mp4.get("compatibleBrands"));
    assertTrue(mp4.containsKey("durationSeconds"), mp4.toString());
    Map<String, Object> ftypOnly = inspect(MediaKinds.MP4, Corpus.row("mp4_ftyp_only.mp4").bytes());
    assertEquals("isom", ftypOnly.get("majorBrand"));
    assertTrue(!ftypOnly.containsKey("durationSeconds"));

    Map<String, Object> webm = inspect(MediaKinds.WEBM, Corpus.row("ffmpeg_vp9_opus.webm").bytes());
    assertEquals("webm", webm.get("docType"));
    assertEquals(4L, webm.get("docTypeVersion"));
    assertEquals(2L, webm.get("docTypeReadVersion"));

    Map<String, Object> pdf = inspect(MediaKinds.PDF, Corpus.row("ps2pdf.pdf").bytes());
    assertEquals("1.4", pdf.get("version")); // file: "PDF document, version 1.4"
    assertEquals(true, pdf.get("eofMarker"));
  }

  @Test
  void audioFactsMatchSoxiAndFile() {
    // soxi: rate=44100 ch=2 dur=00:00:01.00; file: ID3 version 2.3.0, layer III, v1, 128 kbps,
    // JntStereo
    Map<String, Object> mp3 = inspect(MediaKinds.MP3, Corpus.row("lame_id3v2.mp3").bytes());
    assertEquals("2.3.0", mp3.get("id3v2Version"));
    assertEquals("1", mp3.get("mpegVersion"));
    assertEquals(128, mp3.get("bitrateKbps"));
    assertEquals(44100, mp3.get("sampleRate"));
    assertEquals(2, mp3.get("channels"));
    assertEquals("joint-stereo", mp3.get("channelMode"));
    assertEquals("00:00:01.00", soxDuration((Double) mp3.get("durationSeconds")));

    // file: "Opus audio, version 0.1, mono, 48000 Hz (Input Sample Rate)"
    Map<String, Object> opus = inspect(MediaKinds.OPUS, Corpus.row("opusenc.opus").bytes());
    assertEquals(1, opus.get("version"));
    assertEquals(1, opus.get("channels"));
    assertEquals(48000L, opus.get("inputSampleRate"));
    assertEquals(48000, opus.get("sampleRate"));
  }
}
