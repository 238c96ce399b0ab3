package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every corpus file detected by a registry that loaded this module's provider through {@link
 * java.util.ServiceLoader}, as the manifest's {@code suggested_kind} says.
 */
class CorpusDetectionTest {

  static BufferKindRegistry registry;

  @BeforeAll
  static void load() {
    registry = BufferKindRegistry.loading(MediaKindProvider.class.getClassLoader());
  }

  static Detection detect(byte[] bytes, String name) {
    return registry.detect(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), name);
  }

  @Test
  void theProviderLoadsWithoutProblemsAndDeclaresEighteenKinds() {
    assertEquals(List.of(), registry.problems());
    assertEquals(19, registry.kinds().size(), registry.kinds().toString()); // raw + 18
    for (String slug :
        List.of(
            "pcm16",
            "mulaw8",
            "wav",
            "mp3",
            "opus",
            "jpeg",
            "png",
            "webp",
            "mp4",
            "quicktime",
            "3gpp",
            "3gpp2",
            "heic",
            "avif",
            "webm",
            "pdf",
            "json",
            "csv")) {
      assertTrue(registry.descriptor(slug).isPresent(), slug);
    }
  }

  @Test
  void everyGoodFileIsDetectedAsItsSuggestedKind() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Corpus.Row row : Corpus.all()) {
      if (!row.set().equals("good")) {
        continue;
      }
      String expected = row.suggestedKind();
      boolean headerless = expected.equals("pcm16") || expected.equals("mulaw8");
      Detection fromBytes = detect(row.bytes(), null);
      String want = headerless ? "raw" : expected;
      if (!fromBytes.kind().slug().equals(want)) {
        failures.add(row + ": bytes alone gave " + fromBytes + ", expected " + want);
      }
      if (!headerless
          && fromBytes.score() < KindSniffer.SIGNATURE
          && !expected.equals("json")
          && !expected.equals("csv")) {
        failures.add(row + ": a signature kind scored only " + fromBytes.score());
      }
      checked++;
    }
    assertEquals(List.of(), failures);
    assertEquals(29, checked);
  }

  @Test
  void jsonAndCsvAreHeuristicsBelowTheSignatureScore() {
    Detection json = detect(Corpus.row("echo_array.json").bytes(), null);
    Detection csv = detect(Corpus.row("ffprobe.csv").bytes(), null);
    assertEquals(MediaKinds.JSON, json.kind());
    assertEquals(MediaKinds.CSV, csv.kind());
    assertTrue(json.score() > 0 && json.score() < KindSniffer.SIGNATURE, json.toString());
    assertTrue(csv.score() > 0 && csv.score() < KindSniffer.SIGNATURE, csv.toString());
  }

  @Test
  void headerlessMulawIsRawFromBytesAndMulaw8ByItsFileName() {
    byte[] ul = Corpus.row("sox_mulaw_8k.ul").bytes();
    assertEquals(new Detection(BufferKind.raw(), 0, Detection.Basis.NOTHING), detect(ul, null));
    assertEquals(
        new Detection(MediaKinds.MULAW8, 0, Detection.Basis.NAME), detect(ul, "sox_mulaw_8k.ul"));
    assertEquals(MediaKinds.MULAW8, detect(ul, "call.ULAW").kind());
  }

  /**
   * {@code .raw} is headerless audio of any encoding (sox's own name for "whatever -e/-b say"), so
   * no seeded kind claims it: such a file stays {@code raw} by bytes and by name, and its kind is
   * declared by the caller. {@code .pcm}, {@code .s16} and {@code .s16le} name pcm16.
   */
  @Test
  void headerlessPcmIsRawEvenWithItsRawFileNameAndPcm16ByAPcmName() {
    byte[] raw = Corpus.row("sox_pcm16le_8k.raw").bytes();
    assertEquals(BufferKind.raw(), detect(raw, null).kind());
    assertEquals(BufferKind.raw(), detect(raw, "sox_pcm16le_8k.raw").kind());
    assertEquals(List.of(), registry.byExtension("raw"));
    assertEquals(new Detection(MediaKinds.PCM16, 0, Detection.Basis.NAME), detect(raw, "take.pcm"));
    assertEquals(MediaKinds.PCM16, detect(raw, "take.s16").kind());
  }

  @Test
  void aFileNameNeverOverridesASignature() {
    byte[] jpeg = Corpus.row("cjpeg_baseline.jpg").bytes();
    assertEquals(
        new Detection(MediaKinds.JPEG, 100, Detection.Basis.CONTENT), detect(jpeg, "photo.ul"));
    assertEquals(MediaKinds.JPEG, detect(jpeg, "photo.png").kind());
  }

  /** Bad files whose signature survived the damage: these alone may be claimed at 100. */
  static final Map<String, String> INTACT_SIGNATURES =
      Map.of(
          "jpeg_cut_in_sof.jpg", "jpeg", // FF D8 FF E0 and a JFIF APP0, cut later in SOF0
          "mp4_ftyp_only.mp4", "mp4", // a whole ftyp box, nothing after it
          "pipe_sox_pcm16.wav", "wav", // a real WAV with unpatched sizes
          "png_sig_only.png", "png", // the 8-byte signature, nothing after it
          "wav_header_only.wav", "wav"); // a whole 44-byte header, no samples

  @Test
  void nothingInBadIsClaimedWithFullConfidenceUnlessItsSignatureIsIntact() {
    List<String> failures = new ArrayList<>();
    for (Corpus.Row row : Corpus.manifest("media")) {
      if (!row.set().equals("bad")) {
        continue;
      }
      Detection d = detect(row.bytes(), null);
      String intact = INTACT_SIGNATURES.get(row.name());
      if (intact != null) {
        if (!d.kind().slug().equals(intact) || d.score() != KindSniffer.CERTAIN) {
          failures.add(row + ": signature intact, expected " + intact + " 100, got " + d);
        }
      } else if (d.score() >= KindSniffer.CERTAIN) {
        failures.add(row + ": damaged signature claimed with full confidence: " + d);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void damagedFilesWithoutTheirSignatureAreWeakOrRaw() {
    assertEquals(
        new Detection(BufferKind.raw(), 0, Detection.Basis.NOTHING),
        detect(Corpus.row("jpeg_empty.jpg").bytes(), null));
    assertEquals(
        new Detection(BufferKind.raw(), 0, Detection.Basis.NOTHING),
        detect(Corpus.row("random_4k.bin").bytes(), null));
    Detection soiOnly = detect(Corpus.row("jpeg_soi_only.jpg").bytes(), null);
    assertEquals(MediaKinds.JPEG, soiOnly.kind());
    assertTrue(soiOnly.score() < KindSniffer.SIGNATURE, soiOnly.toString());
    // The file name may pick the weak answer, never lift it.
    assertEquals(
        new Detection(MediaKinds.JPEG, soiOnly.score(), Detection.Basis.CONTENT_AND_NAME),
        detect(Corpus.row("jpeg_soi_only.jpg").bytes(), "jpeg_soi_only.jpg"));
  }

  @Test
  void everySeededKindHasMediaTypesAndExtensionsAndOnlyHeaderlessOnesLackASniffer() {
    for (BufferKind kind : registry.kinds()) {
      if (kind.isRaw()) {
        continue;
      }
      var d = registry.descriptor(kind).orElseThrow();
      assertTrue(!d.mediaTypes().isEmpty() && !d.extensions().isEmpty(), d.toString());
      boolean headerless = Set.of(MediaKinds.PCM16, MediaKinds.MULAW8).contains(kind);
      assertEquals(!headerless, d.sniffer().isPresent(), d.toString());
    }
    assertTrue(registry.byMediaType("audio/L16").isEmpty(), "audio/L16 is big-endian: not pcm16");
    assertEquals(MediaKinds.PCM16, registry.byMediaType("audio/pcm").orElseThrow().kind());
    assertEquals(
        MediaKinds.MULAW8, registry.byMediaType("audio/PCMU; rate=8000").orElseThrow().kind());
    assertEquals(MediaKinds.WAV, registry.byMediaType("audio/x-wav").orElseThrow().kind());
    assertEquals(MediaKinds.JPEG, registry.byExtension(".JPG").get(0).kind());
  }
}
