package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.NoTranscoderPathException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.spi.Priority;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The media transcoders found through ServiceLoader and chained by the {@link Transcoders} facade.
 */
class MediaTranscodersTest extends PooledTest {

  static final Transcoders TRANSCODERS =
      Transcoders.loading(MediaTranscodersTest.class.getClassLoader());

  static List<String> chain(BufferKind from, BufferKind to) {
    return TRANSCODERS.path(from, to).orElseThrow().stream()
        .map(t -> t.from() + ">" + t.to())
        .collect(Collectors.toList());
  }

  @Test
  void allSevenTranscodersAreDiscoveredWithoutProblems() {
    assertEquals(List.of(), TRANSCODERS.problems());
    List<String> pairs =
        TRANSCODERS.transcoders().stream()
            .map(t -> t.from() + ">" + t.to())
            .collect(Collectors.toList());
    assertEquals(
        List.of(
            "mulaw8>pcm16",
            "pcm16>mulaw8",
            "pcm16>pcm16",
            "pcm16>wav",
            "wav>mulaw8",
            "wav>pcm16",
            "wav>wav"),
        pairs);
    for (BufferTranscoder t : TRANSCODERS.transcoders()) {
      assertTrue(t.getClass().getName().startsWith("io.axon.buffer.kinds.media."));
    }
  }

  @Test
  void everyMediaTranscoderDeclaresTheBuiltInPriority() {
    for (BufferTranscoder t : TRANSCODERS.transcoders()) {
      assertEquals(Priority.BUILT_IN, t.priority(), t.getClass().getName());
    }
  }

  @Test
  void chainsAreTheShortest() {
    assertEquals(List.of("wav>mulaw8"), chain(MediaKinds.WAV, MediaKinds.MULAW8));
    assertEquals(List.of("mulaw8>pcm16", "pcm16>wav"), chain(MediaKinds.MULAW8, MediaKinds.WAV));
    assertEquals(List.of(), chain(MediaKinds.WAV, MediaKinds.WAV));
  }

  @Test
  void aTargetRateRunsTheChainThroughTheEarliestRateStep() {
    assertEquals(
        List.of("mulaw8>pcm16", "pcm16>pcm16"), chain(MediaKinds.MULAW8, MediaKinds.PCM16, 16000));
    assertEquals(
        List.of("mulaw8>pcm16", "pcm16>pcm16", "pcm16>wav"),
        chain(MediaKinds.MULAW8, MediaKinds.WAV, 16000));
    assertEquals(List.of("wav>wav"), chain(MediaKinds.WAV, MediaKinds.WAV, 16000));
    assertEquals(
        List.of("wav>wav", "wav>pcm16"),
        chain(MediaKinds.WAV, MediaKinds.PCM16, 16000),
        "the WAV's header still says its rate");
    assertEquals(
        List.of("mulaw8>pcm16", "pcm16>pcm16", "pcm16>mulaw8"),
        chain(MediaKinds.MULAW8, MediaKinds.MULAW8, 16000));
  }

  static List<String> chain(BufferKind from, BufferKind to, int targetRate) {
    return TRANSCODERS
        .path(from, to, TranscodeOptions.none().withTargetRate(targetRate))
        .orElseThrow()
        .stream()
        .map(t -> t.from() + ">" + t.to())
        .collect(Collectors.toList());
  }

  /** The voice-gateway path: 8 kHz μ-law from the phone network to a WAV a speech model reads. */
  @Test
  void mulawToWavThroughPcm16ClosesTheIntermediate() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] sox = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw)) {
      long inputOnly = live();
      try (ZeroCopyBuffer wav =
          TRANSCODERS.transcode(
              in,
              MediaKinds.WAV,
              TranscodeOptions.none().withRate(8000),
              pool.forTenant("gateway"))) {
        assertEquals(MediaKinds.WAV, wav.kind());
        byte[] bytes = wav.toByteArray();
        assertArrayEquals(sox, Arrays.copyOfRange(bytes, 44, bytes.length));
        Map<String, Object> facts =
            BufferKindRegistry.loading(getClass().getClassLoader()).inspect(wav).orElseThrow();
        assertEquals("pcm", facts.get("encoding"));
        assertEquals(1.0, facts.get("durationSeconds"));
        // Live: the input, the pcm16 samples (kept by the WAV composite) and the header's slab.
        assertEquals(2, wav.asReadOnlyByteBuffers().size());
        assertTrue(live() > inputOnly);
      }
      assertEquals(inputOnly, live(), "the intermediate pcm16 went back with the WAV");
    }
  }

  @Test
  void aMissingOptionOrBadContentMidChainLeavesNothingBehind() {
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, new byte[] {1, 2, 3})) {
      long inputOnly = live();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TRANSCODERS.transcode(in, MediaKinds.WAV, TranscodeOptions.none(), pool));
      assertTrue(e.getMessage().contains("sample rate"));
      assertEquals(inputOnly, live(), "the pcm16 intermediate was closed");
    }
    try (ZeroCopyBuffer notWav = pooled(BufferKind.raw(), new byte[100])) {
      assertThrows(
          MalformedContentException.class,
          () ->
              TRANSCODERS.transcode(
                  notWav, MediaKinds.WAV, MediaKinds.MULAW8, TranscodeOptions.none(), pool));
    }
  }

  @Test
  void noPathNamesBothKinds() {
    try (ZeroCopyBuffer jpeg = pooled(MediaKinds.JPEG, Corpus.row("cjpeg_baseline.jpg").bytes())) {
      NoTranscoderPathException e =
          assertThrows(
              NoTranscoderPathException.class,
              () -> TRANSCODERS.transcode(jpeg, MediaKinds.PCM16, TranscodeOptions.none(), pool));
      assertEquals(MediaKinds.JPEG, e.from());
      assertEquals(MediaKinds.PCM16, e.to());
      assertTrue(e.getMessage().contains("from jpeg to pcm16"), e.getMessage());
    }
  }

  @Test
  void theGlobalFacadeSeesTheModule() {
    assertTrue(Transcoders.global().direct(MediaKinds.MULAW8, MediaKinds.PCM16).isPresent());
  }
}
