package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ISO base media files that are not MP4, made by ffmpeg, heif-enc and avifenc (see the corpus
 * README): each is detected as its own kind, whose canonical media type is the one {@code file
 * --mime-type} gives; MP4 claims none of them at or above the signature score; the inspectors read
 * what the tools say.
 */
class IsoBmffKindsTest {

  static BufferKindRegistry registry;

  @BeforeAll
  static void load() {
    registry = BufferKindRegistry.loading(MediaKindProvider.class.getClassLoader());
  }

  static final List<String> FILES =
      List.of(
          "ffmpeg_mpeg4.mov",
          "ffmpeg_h263.3gp",
          "ffmpeg_h263.3g2",
          "heif_enc.heic",
          "avifenc.avif");

  static ByteBuffer bytes(String name) {
    return ByteBuffer.wrap(Corpus.row(name).bytes()).asReadOnlyBuffer();
  }

  @Test
  void eachFileIsItsOwnKindWithTheMediaTypeFileGivesIt() {
    for (String name : FILES) {
      Corpus.Row row = Corpus.row(name);
      BufferKind kind = BufferKind.of(row.suggestedKind());
      assertEquals(
          new Detection(kind, KindSniffer.CERTAIN, Detection.Basis.CONTENT),
          registry.detect(bytes(name), null),
          name);
      KindDescriptor d = registry.descriptor(kind).orElseThrow();
      assertEquals(row.get("file_mime_type"), d.canonicalMediaType().orElseThrow(), name);
      String extension = name.substring(name.lastIndexOf('.') + 1);
      assertEquals(kind, registry.byExtension(extension).get(0).kind(), name);
    }
  }

  @Test
  void mp4ScoresMoviesItPlaysBelowTheSignatureRangeAndImagesNotAtAll() {
    KindSniffer mp4 = registry.descriptor(MediaKinds.MP4).orElseThrow().sniffer().orElseThrow();
    for (String name : List.of("ffmpeg_mpeg4.mov", "ffmpeg_h263.3gp", "ffmpeg_h263.3g2")) {
      int score = mp4.sniff(bytes(name));
      assertTrue(score > 0 && score < KindSniffer.SIGNATURE, name + ": " + score);
    }
    for (String name : List.of("heif_enc.heic", "avifenc.avif")) {
      assertEquals(0, mp4.sniff(bytes(name)), name);
    }
    // A name cannot lift the heuristic over the real kind.
    assertEquals(MediaKinds.QUICKTIME, registry.detect(bytes("ffmpeg_mpeg4.mov"), "a.mp4").kind());
  }

  @Test
  void theNewSniffersLeaveARealMp4ToMp4() {
    ByteBuffer mp4 = bytes("ffmpeg_h264_aac.mp4");
    assertEquals(MediaKinds.MP4, registry.detect(mp4, null).kind());
    for (BufferKind kind :
        List.of(
            MediaKinds.QUICKTIME,
            MediaKinds.THREE_GPP,
            MediaKinds.THREE_GPP2,
            MediaKinds.HEIC,
            MediaKinds.AVIF)) {
      KindSniffer sniffer = registry.descriptor(kind).orElseThrow().sniffer().orElseThrow();
      assertEquals(0, sniffer.sniff(mp4.duplicate()), kind.toString());
    }
  }

  /** ffprobe: duration=0.300000 for each of the three movies; brands as the README lists them. */
  @Test
  void movieFactsMatchFfprobe() {
    Map<String, Object> mov =
        registry.inspect(MediaKinds.QUICKTIME, bytes("ffmpeg_mpeg4.mov")).get();
    assertEquals("qt", mov.get("majorBrand"));
    assertEquals("qt", mov.get("compatibleBrands"));
    assertEquals(0.3, (Double) mov.get("durationSeconds"), 1e-9);
    Map<String, Object> gp = registry.inspect(MediaKinds.THREE_GPP, bytes("ffmpeg_h263.3gp")).get();
    assertEquals("3gp4", gp.get("majorBrand"));
    assertEquals("3gp4,isom,iso2", gp.get("compatibleBrands"));
    assertEquals(0.3, (Double) gp.get("durationSeconds"), 1e-9);
    Map<String, Object> g2 =
        registry.inspect(MediaKinds.THREE_GPP2, bytes("ffmpeg_h263.3g2")).get();
    assertEquals("3g2a", g2.get("majorBrand"));
    assertEquals(0.3, (Double) g2.get("durationSeconds"), 1e-9);
  }

  /**
   * heif-info and avifdec --info: 64x48; both files carry an alpha plane as item 1 (an auxiliary
   * image with its own ispe), so the size must come from the primary item, 2.
   */
  @Test
  void imageFactsAreThePrimaryItemsSizeAsHeifInfoAndAvifdecGiveIt() {
    Map<String, Object> heic = registry.inspect(MediaKinds.HEIC, bytes("heif_enc.heic")).get();
    assertEquals(
        List.of("majorBrand", "minorVersion", "compatibleBrands", "primaryItem", "width", "height"),
        List.copyOf(heic.keySet()));
    assertEquals("heic", heic.get("majorBrand"));
    assertEquals("mif1,heic,miaf", heic.get("compatibleBrands"));
    assertEquals(2L, heic.get("primaryItem"));
    assertEquals(64L, heic.get("width"));
    assertEquals(48L, heic.get("height"));
    Map<String, Object> avif = registry.inspect(MediaKinds.AVIF, bytes("avifenc.avif")).get();
    assertEquals("avif", avif.get("majorBrand"));
    assertEquals(64L, avif.get("width"));
    assertEquals(48L, avif.get("height"));
  }

  @Test
  void aHeifWithoutItsMetaBoxOrWithAPropertyIndexPastIpcoIsMalformed() {
    byte[] heic = Corpus.row("heif_enc.heic").bytes();
    MalformedContentException noMeta =
        assertThrows(
            MalformedContentException.class,
            () -> HeifFormat.inspect(MediaKinds.HEIC, ByteBuffer.wrap(Arrays.copyOf(heic, 28))));
    assertEquals(MediaKinds.HEIC, noMeta.kind());
    assertTrue(noMeta.getMessage().contains("no meta box"), noMeta.getMessage());
    byte[] badIndex = heic.clone();
    int ipma = indexOf(badIndex, "ipma");
    // ipma: version/flags, entry count, then per entry: item id (2), count (1), indexes (1 each).
    int firstIndex = ipma + 4 + 4 + 4 + 2 + 1;
    for (int i = firstIndex; i < firstIndex + badIndex[firstIndex - 1]; i++) {
      badIndex[i] = (byte) ((badIndex[i] & 0x80) | 0x7F);
    }
    int secondEntry = firstIndex + badIndex[firstIndex - 1];
    for (int i = secondEntry + 3; i < secondEntry + 3 + badIndex[secondEntry + 2]; i++) {
      badIndex[i] = (byte) ((badIndex[i] & 0x80) | 0x7F);
    }
    MalformedContentException past =
        assertThrows(
            MalformedContentException.class,
            () -> HeifFormat.inspect(MediaKinds.HEIC, ByteBuffer.wrap(badIndex)));
    assertTrue(past.getMessage().contains("property 127"), past.getMessage());
  }

  private static int indexOf(byte[] bytes, String type) {
    outer:
    for (int i = 0; i + 4 <= bytes.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (bytes[i + k] != type.charAt(k)) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(type + " not found");
  }
}
