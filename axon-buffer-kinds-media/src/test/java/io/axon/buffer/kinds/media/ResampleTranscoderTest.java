package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rate steps ({@code pcm16 → pcm16}, {@code wav → wav}) alone and in the chains {@code
 * Transcoders} builds for a target rate; every test ends with the pool empty.
 */
class ResampleTranscoderTest extends PooledTest {

  static final Transcoders TRANSCODERS = MediaTranscodersTest.TRANSCODERS;

  static TranscodeOptions rates(int from, int to) {
    return TranscodeOptions.none().withRate(from).withTargetRate(to);
  }

  byte[] oneCall(byte[] pcm, int from, int to, int channels) {
    return Pcm16ResamplerPropertyTest.oneCall(pcm, from, to, channels, pool);
  }

  static byte[] data(ZeroCopyBuffer wav) {
    byte[] b = wav.toByteArray();
    WavFormat.Info w = WavFormat.parse(new Content(MediaKinds.WAV, wav));
    return Arrays.copyOfRange(b, w.dataOffset(), w.dataOffset() + w.dataLength());
  }

  static Map<String, Object> facts(ZeroCopyBuffer wav) {
    return WavFormat.inspect(ByteBuffer.wrap(wav.toByteArray()));
  }

  @Test
  void pcm16AtATargetRateIsWhatTheStreamingConverterGivesBilledToTheCaller() {
    byte[] pcm = Pcm16Signals.noise(11, 8000, 2);
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, pcm);
        ZeroCopyBuffer out =
            TRANSCODERS.transcode(
                in, MediaKinds.PCM16, rates(8000, 24000).withChannels(2), pool.forTenant("acme"))) {
      assertEquals(MediaKinds.PCM16, out.kind());
      assertEquals(Optional.of("acme"), out.tenant());
      assertArrayEquals(oneCall(pcm, 8000, 24000, 2), out.toByteArray());
    }
  }

  /** The voice gateway's path: G.711 μ-law at 8 kHz to PCM16 at 16 kHz for a speech model. */
  @Test
  void mulawAt8kHzBecomesPcm16At16kHzAndTheIntermediateIsReleased() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] decoded = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw)) {
      long inputOnly = live();
      try (ZeroCopyBuffer out =
          TRANSCODERS.transcode(in, MediaKinds.PCM16, rates(8000, 16000), pool)) {
        assertArrayEquals(oneCall(decoded, 8000, 16000, 1), out.toByteArray());
        assertEquals(2 * decoded.length, out.length());
      }
      assertEquals(inputOnly, live(), "the decoded pcm16 went back");
    }
  }

  @Test
  void mulawToWavAtATargetRateWritesTheNewRateInTheHeader() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] decoded = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw);
        ZeroCopyBuffer wav = TRANSCODERS.transcode(in, MediaKinds.WAV, rates(8000, 16000), pool)) {
      Map<String, Object> facts = facts(wav);
      assertEquals(16000, facts.get("sampleRate"));
      assertEquals(1, facts.get("channels"));
      assertEquals(1.0, facts.get("durationSeconds"));
      assertArrayEquals(oneCall(decoded, 8000, 16000, 1), data(wav));
    }
  }

  @Test
  void aWavTakesItsRateAndChannelsFromItsHeader() {
    byte[] bytes = Corpus.row("sox_pcm16_44k1_stereo.wav").bytes();
    try (ZeroCopyBuffer in = pooled(MediaKinds.WAV, bytes)) {
      byte[] samples = data(in);
      try (ZeroCopyBuffer wav =
          TRANSCODERS.transcode(
              in, MediaKinds.WAV, TranscodeOptions.none().withTargetRate(16000), pool)) {
        Map<String, Object> facts = facts(wav);
        assertEquals(16000, facts.get("sampleRate"));
        assertEquals(2, facts.get("channels"));
        assertEquals(16, facts.get("bitsPerSample"));
        assertArrayEquals(oneCall(samples, 44100, 16000, 2), data(wav));
        assertEquals(2, wav.asReadOnlyByteBuffers().size(), "a new header + the samples");
      }
      try (ZeroCopyBuffer pcm =
          TRANSCODERS.transcode(
              in, MediaKinds.PCM16, TranscodeOptions.none().withTargetRate(48000), pool)) {
        assertArrayEquals(oneCall(samples, 44100, 48000, 2), pcm.toByteArray());
      }
    }
  }

  @Test
  void aWavInAnotherEncodingIsDecodedAsSoxDoesThenConverted() {
    byte[] bytes = Corpus.row("sox_u8_11k_stereo.wav").bytes();
    byte[] decoded = Corpus.bytes("media-extra/reference/sox_u8_11k_stereo.decoded-by-sox.s16");
    try (ZeroCopyBuffer in = pooled(MediaKinds.WAV, bytes);
        ZeroCopyBuffer wav =
            new WavResampleTranscoder()
                .transcode(in, TranscodeOptions.none().withTargetRate(8000), pool)) {
      assertEquals(8000, facts(wav).get("sampleRate"));
      assertEquals("pcm", facts(wav).get("encoding"));
      assertArrayEquals(oneCall(decoded, 11025, 8000, 2), data(wav));
    }
  }

  @Test
  void contentAlreadyAtTheTargetRateIsANewViewNotACopy() {
    byte[] bytes = Corpus.row("sox_pcm16_8k_mono.wav").bytes();
    try (ZeroCopyBuffer in = pooled(MediaKinds.WAV, bytes)) {
      long inputOnly = live();
      try (ZeroCopyBuffer same =
          new WavResampleTranscoder()
              .transcode(in, TranscodeOptions.none().withTargetRate(8000), pool)) {
        assertArrayEquals(bytes, same.toByteArray());
        assertEquals(inputOnly, live(), "nothing allocated");
        assertEquals(2, in.sharers());
      }
    }
    try (ZeroCopyBuffer pcm = pooled(MediaKinds.PCM16, new byte[320]);
        ZeroCopyBuffer same =
            new Pcm16ResampleTranscoder().transcode(pcm, rates(16000, 16000), pool)) {
      assertEquals(2, pcm.sharers());
      assertSame(MediaKinds.PCM16, same.kind());
    }
  }

  @Test
  void missingRatesAreNamedAndBadContentIsTyped() {
    try (ZeroCopyBuffer pcm = pooled(MediaKinds.PCM16, new byte[321])) {
      Pcm16ResampleTranscoder t = new Pcm16ResampleTranscoder();
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> t.transcode(pcm, TranscodeOptions.none().withTargetRate(16000), pool))
              .getMessage()
              .contains("needs the sample rate (option rate"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> t.transcode(pcm, TranscodeOptions.none().withRate(8000), pool))
              .getMessage()
              .contains("target sample rate"));
      assertThrows(
          MalformedContentException.class, () -> t.transcode(pcm, rates(8000, 16000), pool));
    }
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, Corpus.row("sox_pcm16_8k_mono.wav").bytes())) {
      UnsupportedContentException e =
          assertThrows(
              UnsupportedContentException.class,
              () ->
                  new WavResampleTranscoder()
                      .transcode(wav, TranscodeOptions.none().withTargetRate(8001), pool));
      assertTrue(e.getMessage().contains("8001/8000"), e.getMessage());
    }
  }

  @Test
  void aFailureMidWayReleasesEveryBuffer() {
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, Pcm16Signals.noise(2, 8000, 1))) {
      long inputOnly = live();
      assertThrows(
          BufferAllocationException.class,
          () -> TRANSCODERS.transcode(in, MediaKinds.WAV, rates(8000, 16000), failingOnAppend(3)));
      assertEquals(inputOnly, live());
    }
  }
}
