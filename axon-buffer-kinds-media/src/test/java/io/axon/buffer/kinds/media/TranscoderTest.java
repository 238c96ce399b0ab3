package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each media transcoder on its own, over pooled memory; every test ends with the pool empty. */
class TranscoderTest extends PooledTest {

  static final TranscodeOptions NONE = TranscodeOptions.none();

  static Map<String, Object> wavFacts(ZeroCopyBuffer wav) {
    return WavFormat.inspect(ByteBuffer.wrap(wav.toByteArray()));
  }

  // ---------------------------------------------------------------- mulaw8 <-> pcm16

  @Test
  void mulawDecodesToWhatSoxDecodesByteForByteBilledToTheAllocatorsTenant() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] sox = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw);
        ZeroCopyBuffer pcm =
            new MulawToPcm16Transcoder().transcode(in, NONE, pool.forTenant("acme"))) {
      assertEquals(MediaKinds.PCM16, pcm.kind());
      assertArrayEquals(sox, pcm.toByteArray());
      assertEquals(java.util.Optional.of("acme"), pcm.tenant());
      assertTrue(pool.snapshot().liveBytes("acme") >= 16000);
      assertTrue(!in.isClosed(), "the input is borrowed");
    }
  }

  @Test
  void pcm16EncodesPerG191AndBackToTheSameCodes() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw);
        ZeroCopyBuffer pcm = new MulawToPcm16Transcoder().transcode(in, NONE, pool);
        ZeroCopyBuffer back = new Pcm16ToMulawTranscoder().transcode(pcm, NONE, pool)) {
      assertEquals(MediaKinds.MULAW8, back.kind());
      byte[] codes = back.toByteArray();
      for (int i = 0; i < ulaw.length; i++) {
        int expected = (ulaw[i] & 0xFF) == 0x7F ? 0xFF : ulaw[i] & 0xFF;
        assertEquals(expected, codes[i] & 0xFF, "sample " + i);
      }
    }
    byte[] raw = Corpus.row("sox_pcm16le_8k.raw").bytes();
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, raw);
        ZeroCopyBuffer codes = new Pcm16ToMulawTranscoder().transcode(in, NONE, pool)) {
      assertEquals(8000, codes.length());
      for (int i = 0; i < 8000; i++) {
        short sample = (short) ((raw[2 * i] & 0xFF) | raw[2 * i + 1] << 8);
        assertEquals(MuLaw.encode(sample), codes.get(i) & 0xFF, "sample " + i);
      }
    }
  }

  @Test
  void oddLengthPcm16IsAnErrorNotATruncation() {
    try (ZeroCopyBuffer in = pooled(MediaKinds.PCM16, new byte[] {1, 2, 3})) {
      MalformedContentException e =
          assertThrows(
              MalformedContentException.class,
              () -> new Pcm16ToMulawTranscoder().transcode(in, NONE, pool));
      assertEquals(MediaKinds.PCM16, e.kind());
      assertEquals(2, e.offset());
      assertTrue(e.getMessage().contains("odd length"), e.getMessage());
      assertThrows(
          MalformedContentException.class,
          () ->
              new Pcm16ToWavTranscoder()
                  .transcode(in, TranscodeOptions.none().withRate(8000), pool));
    }
  }

  @Test
  void mulawDecodesStraightIntoPooledMemoryFromEveryPieceOfAComposite() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] expected = new byte[2 * ulaw.length];
    MuLaw.decode(ulaw, 0, expected, 0, ulaw.length);
    // Pieces of odd lengths, so that the four-codes-per-step loop meets every alignment.
    try (ZeroCopyBuffer a = pooled(MediaKinds.MULAW8, Arrays.copyOfRange(ulaw, 0, 4097));
        ZeroCopyBuffer b = pooled(MediaKinds.MULAW8, Arrays.copyOfRange(ulaw, 4097, 4098));
        ZeroCopyBuffer c = pooled(MediaKinds.MULAW8, Arrays.copyOfRange(ulaw, 4098, ulaw.length));
        ZeroCopyBuffer joined = Buffers.composite(MediaKinds.MULAW8, List.of(a, b, c));
        ZeroCopyBuffer pcm = new MulawToPcm16Transcoder().transcode(joined, NONE, pool);
        ZeroCopyBuffer viaAppend =
            new MulawToPcm16Transcoder()
                .transcode(joined, NONE, failingOnAppend(Integer.MAX_VALUE))) {
      assertArrayEquals(expected, pcm.toByteArray());
      assertArrayEquals(
          expected, viaAppend.toByteArray(), "a foreign builder takes the append path");
    }
  }

  @Test
  void samplesSplitAcrossThePiecesOfACompositeAreJoined() {
    byte[] raw = Corpus.row("sox_pcm16le_8k.raw").bytes();
    // Pieces of odd lengths: every sample boundary falls inside a piece at least once.
    try (ZeroCopyBuffer a = pooled(MediaKinds.PCM16, Arrays.copyOfRange(raw, 0, 8193));
        ZeroCopyBuffer b = pooled(MediaKinds.PCM16, Arrays.copyOfRange(raw, 8193, 8194));
        ZeroCopyBuffer c = pooled(MediaKinds.PCM16, Arrays.copyOfRange(raw, 8194, raw.length));
        ZeroCopyBuffer joined = Buffers.composite(MediaKinds.PCM16, List.of(a, b, c));
        ZeroCopyBuffer plain = pooled(MediaKinds.PCM16, raw);
        ZeroCopyBuffer fromPieces = new Pcm16ToMulawTranscoder().transcode(joined, NONE, pool);
        ZeroCopyBuffer fromPlain = new Pcm16ToMulawTranscoder().transcode(plain, NONE, pool)) {
      assertEquals(3, joined.asReadOnlyByteBuffers().size());
      assertArrayEquals(fromPlain.toByteArray(), fromPieces.toByteArray());
    }
  }

  @Test
  void pcm16EncodesStraightIntoPooledMemoryWhateverThePieceLengths() {
    byte[] raw = Corpus.row("sox_pcm16le_8k.raw").bytes();
    byte[] expected = new byte[raw.length / 2];
    MuLaw.encode(raw, 0, expected, 0, expected.length);
    java.util.Random random = new java.util.Random(5);
    for (int round = 0; round < 20; round++) {
      List<ZeroCopyBuffer> pieces = new java.util.ArrayList<>();
      for (int at = 0; at < raw.length; ) {
        int length = Math.min(raw.length - at, random.nextInt(round < 10 ? 4 : 40));
        pieces.add(pooled(MediaKinds.PCM16, Arrays.copyOfRange(raw, at, at + length)));
        at += length;
      }
      try (ZeroCopyBuffer joined = Buffers.composite(MediaKinds.PCM16, pieces);
          ZeroCopyBuffer inPlace = new Pcm16ToMulawTranscoder().transcode(joined, NONE, pool);
          ZeroCopyBuffer viaAppend =
              new Pcm16ToMulawTranscoder()
                  .transcode(joined, NONE, failingOnAppend(Integer.MAX_VALUE))) {
        assertArrayEquals(
            expected, inPlace.toByteArray(), "round " + round + ", pieces of 0 to odd lengths");
        assertArrayEquals(
            expected, viaAppend.toByteArray(), "a foreign builder takes the append path");
      } finally {
        pieces.forEach(ZeroCopyBuffer::close);
      }
    }
  }

  @Test
  void aFailedDecodeReleasesItsOutput() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw);
        ZeroCopyBuffer asPcm = in.retag(MediaKinds.PCM16)) {
      long before = live();
      assertThrows(
          BufferAllocationException.class,
          () -> new MulawToPcm16Transcoder().transcode(in, NONE, failingOnAppend(1)));
      assertThrows(
          BufferAllocationException.class,
          () -> new Pcm16ToMulawTranscoder().transcode(asPcm, NONE, failingOnAppend(1)));
      assertEquals(before, live(), "the output builders went back to the pool");
    }
  }

  // ---------------------------------------------------------------- pcm16 -> wav

  @Test
  void pcm16ToWavReproducesSoxsHeaderAndFileByteForByte() {
    byte[] soxWav = Corpus.row("sox_pcm16_8k_mono.wav").bytes();
    try (ZeroCopyBuffer pcm =
            pooled(MediaKinds.PCM16, Arrays.copyOfRange(soxWav, 44, soxWav.length));
        ZeroCopyBuffer wav =
            new Pcm16ToWavTranscoder()
                .transcode(pcm, TranscodeOptions.none().withRate(8000), pool)) {
      assertEquals(MediaKinds.WAV, wav.kind());
      assertArrayEquals(soxWav, wav.toByteArray());
    }
    byte[] stereo = Corpus.row("sox_pcm16_44k1_stereo.wav").bytes();
    try (ZeroCopyBuffer pcm =
            pooled(MediaKinds.PCM16, Arrays.copyOfRange(stereo, 44, stereo.length));
        ZeroCopyBuffer wav =
            new Pcm16ToWavTranscoder()
                .transcode(pcm, TranscodeOptions.none().withRate(44100).withChannels(2), pool)) {
      assertArrayEquals(stereo, wav.toByteArray());
    }
  }

  /**
   * The proof that the payload is not copied: the WAV is a composite of two pieces, the second of
   * which is the input's own memory (writing to the array behind a wrapped input shows through the
   * WAV); the only new memory is one small slab for the 44-byte header.
   */
  @Test
  void pcm16ToWavIsAHeaderPlusTheOriginalBytesWithoutACopy() {
    byte[] samples = new byte[64 * 1024];
    try (ZeroCopyBuffer pcm = Buffers.wrap(MediaKinds.PCM16, samples);
        ZeroCopyBuffer wav =
            new Pcm16ToWavTranscoder()
                .transcode(pcm, TranscodeOptions.none().withRate(16000), pool)) {
      List<ByteBuffer> pieces = wav.asReadOnlyByteBuffers();
      assertEquals(2, pieces.size());
      assertEquals(44, pieces.get(0).remaining());
      assertEquals(samples.length, pieces.get(1).remaining());
      samples[0] = 0x55;
      samples[samples.length - 1] = 0x66;
      assertEquals(0x55, wav.get(44));
      assertEquals(0x66, wav.get(44 + samples.length - 1));
      assertEquals(
          1, pool.snapshot().of(PoolClass.SMALL).leasedSlabs(), pool.snapshot().toString());
      assertEquals(PoolClass.SMALL.slabBytes(), live(), "only the header's slab is leased");
    }
    try (ZeroCopyBuffer pcm = pooled(MediaKinds.PCM16, new byte[1 << 20])) {
      long before = live();
      int sharers = pcm.sharers();
      try (ZeroCopyBuffer wav =
          new Pcm16ToWavTranscoder().transcode(pcm, TranscodeOptions.none().withRate(8000), pool)) {
        assertEquals(
            sharers + 1, pcm.sharers(), "the WAV holds a reference to the input's storage");
        assertEquals(before + PoolClass.SMALL.slabBytes(), live());
        pcm.close();
        assertEquals(0, wav.get(44 + (1 << 20) - 1), "the WAV outlives the closed input view");
      }
    }
  }

  @Test
  void pcm16ToWavNeedsARateAndWholeFrames() {
    try (ZeroCopyBuffer pcm = pooled(MediaKinds.PCM16, new byte[6])) {
      IllegalArgumentException noRate =
          assertThrows(
              IllegalArgumentException.class,
              () -> new Pcm16ToWavTranscoder().transcode(pcm, NONE, pool));
      assertTrue(noRate.getMessage().contains("sample rate"), noRate.getMessage());
      MalformedContentException frames =
          assertThrows(
              MalformedContentException.class,
              () ->
                  new Pcm16ToWavTranscoder()
                      .transcode(
                          pcm, TranscodeOptions.none().withRate(8000).withChannels(2), pool));
      assertTrue(frames.getMessage().contains("2-channel PCM16 frames"), frames.getMessage());
      try (ZeroCopyBuffer mono =
          new Pcm16ToWavTranscoder().transcode(pcm, TranscodeOptions.none().withRate(8000), pool)) {
        Map<String, Object> facts = wavFacts(mono);
        assertEquals(1, facts.get("channels"), "channels default to 1");
        assertEquals(3L, facts.get("frames"));
      }
    }
  }

  // ---------------------------------------------------------------- wav -> pcm16 / mulaw8

  @Test
  void a16BitWavGivesASliceOfItsDataChunkWithoutACopy() {
    byte[] file = Corpus.row("sox_pcm16_44k1_stereo.wav").bytes();
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, file)) {
      long before = live();
      try (ZeroCopyBuffer pcm =
          new WavToPcm16Transcoder().transcode(wav, NONE, failingOnAppend(1))) {
        assertEquals(MediaKinds.PCM16, pcm.kind());
        assertArrayEquals(Arrays.copyOfRange(file, 44, file.length), pcm.toByteArray());
        assertEquals(before, live(), "no new memory");
        assertEquals(2, wav.sharers(), "the slice shares the WAV's storage");
      }
    }
  }

  @Test
  void aMulawWavGivesASliceToMulaw8AndDecodesToPcm16LikeSox() {
    byte[] file = Corpus.row("sox_mulaw_8k_mono.wav").bytes();
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, file)) {
      long before = live();
      try (ZeroCopyBuffer ulaw =
          new WavToMulawTranscoder().transcode(wav, NONE, failingOnAppend(1))) {
        assertArrayEquals(Arrays.copyOfRange(file, 58, file.length), ulaw.toByteArray());
        assertEquals(before, live());
      }
      try (ZeroCopyBuffer pcm = new WavToPcm16Transcoder().transcode(wav, NONE, pool)) {
        byte[] expected = new byte[16000];
        MuLaw.decode(file, 58, expected, 0, 8000);
        assertArrayEquals(expected, pcm.toByteArray());
      }
    }
  }

  /** Every other encoding decodes to what {@code sox -D … -t s16} writes, byte for byte. */
  @Test
  void otherEncodingsDecodeToWhatSoxDecodes() {
    for (String name :
        List.of(
            "sox_alaw_8k_mono",
            "sox_float32_8k_mono",
            "sox_pcm24_16k_3ch_extensible",
            "sox_u8_11k_stereo")) {
      byte[] file = Corpus.row(name + ".wav").bytes();
      byte[] sox = Corpus.bytes("media-extra/reference/" + name + ".decoded-by-sox.s16");
      try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, file);
          ZeroCopyBuffer pcm = new WavToPcm16Transcoder().transcode(wav, NONE, pool);
          ZeroCopyBuffer ulaw = new WavToMulawTranscoder().transcode(wav, NONE, pool)) {
        assertArrayEquals(sox, pcm.toByteArray(), name);
        assertEquals(sox.length / 2, ulaw.length(), name);
        for (int i = 0; i < ulaw.length(); i++) {
          short s = (short) ((sox[2 * i] & 0xFF) | sox[2 * i + 1] << 8);
          assertEquals(MuLaw.encode(s), ulaw.get(i) & 0xFF, name + " sample " + i);
        }
      }
    }
  }

  @Test
  void aPipedWavIsReadAsFarAsItsBytesGo() {
    byte[] file = Corpus.row("pipe_sox_pcm16.wav").bytes();
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, file);
        ZeroCopyBuffer pcm = new WavToPcm16Transcoder().transcode(wav, NONE, pool)) {
      assertEquals(4000, pcm.length());
    }
    byte[] cut = Arrays.copyOf(Corpus.row("sox_pcm16_44k1_stereo.wav").bytes(), 44 + 4 * 10 + 3);
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, cut);
        ZeroCopyBuffer pcm = new WavToPcm16Transcoder().transcode(wav, NONE, pool);
        ZeroCopyBuffer ulaw = new WavToMulawTranscoder().transcode(wav, NONE, pool)) {
      assertEquals(40, pcm.length(), "a partial last frame is dropped");
      assertEquals(20, ulaw.length());
    }
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, Corpus.row("wav_header_only.wav").bytes());
        ZeroCopyBuffer pcm = new WavToPcm16Transcoder().transcode(wav, NONE, pool)) {
      assertEquals(0, pcm.length());
    }
  }

  @Test
  void badAndUnsupportedWavsAreTypedErrorsAndLeaveNothingBehind() {
    try (ZeroCopyBuffer jpeg = pooled(MediaKinds.WAV, Corpus.row("cjpeg_baseline.jpg").bytes())) {
      MalformedContentException e =
          assertThrows(
              MalformedContentException.class,
              () -> new WavToPcm16Transcoder().transcode(jpeg, NONE, pool));
      assertEquals(MediaKinds.WAV, e.kind());
      assertEquals(0, e.offset());
    }
    byte[] adpcm =
        new ByteWriter()
            .ascii("RIFF")
            .u32le(4 + 28 + 8 + 256)
            .ascii("WAVE")
            .ascii("fmt ")
            .u32le(20)
            .u16le(0x11)
            .u16le(1)
            .u32le(8000)
            .u32le(4055)
            .u16le(256)
            .u16le(4)
            .u16le(2)
            .u16le(505)
            .ascii("data")
            .u32le(256)
            .zeros(256)
            .toArray();
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, adpcm)) {
      UnsupportedContentException e =
          assertThrows(
              UnsupportedContentException.class,
              () -> new WavToPcm16Transcoder().transcode(wav, NONE, pool));
      assertTrue(e.getMessage().contains("0x0011"), e.getMessage());
      assertThrows(
          UnsupportedContentException.class,
          () -> new WavToMulawTranscoder().transcode(wav, NONE, pool));
    }
    byte[] alaw = Corpus.row("sox_alaw_8k_mono.wav").bytes();
    try (ZeroCopyBuffer wav = pooled(MediaKinds.WAV, alaw)) {
      long before = live();
      assertThrows(
          BufferAllocationException.class,
          () -> new WavToPcm16Transcoder().transcode(wav, NONE, failingOnAppend(1)));
      assertEquals(before, live());
    }
  }

  @Test
  void aWavMadeOfPiecesIsReadWithoutConsolidatingIt() {
    byte[] file = Corpus.row("sox_mulaw_8k_mono.wav").bytes();
    try (ZeroCopyBuffer head = pooled(MediaKinds.WAV, Arrays.copyOfRange(file, 0, 30));
        ZeroCopyBuffer rest = pooled(MediaKinds.WAV, Arrays.copyOfRange(file, 30, file.length));
        ZeroCopyBuffer wav = Buffers.composite(MediaKinds.WAV, List.of(head, rest));
        ZeroCopyBuffer ulaw = new WavToMulawTranscoder().transcode(wav, NONE, pool)) {
      assertArrayEquals(Arrays.copyOfRange(file, 58, file.length), ulaw.toByteArray());
    }
  }

  @Test
  void manyThreadsTranscodeTheSameInput() throws Exception {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] sox = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    BufferAllocator allocator = pool.forTenant("t");
    try (ZeroCopyBuffer in = pooled(MediaKinds.MULAW8, ulaw)) {
      java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        threads[t] =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                      try (ZeroCopyBuffer pcm =
                              new MulawToPcm16Transcoder().transcode(in, NONE, allocator);
                          ZeroCopyBuffer wav =
                              new Pcm16ToWavTranscoder()
                                  .transcode(
                                      pcm, TranscodeOptions.none().withRate(8000), allocator)) {
                        if (!Arrays.equals(
                            sox, Arrays.copyOfRange(wav.toByteArray(), 44, 44 + sox.length))) {
                          throw new AssertionError("wrong samples");
                        }
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        threads[t].start();
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(failures.isEmpty(), () -> failures.peek().toString());
    }
    assertEquals(0, pool.snapshot().liveBytes("t"));
  }

  @Test
  void transcodedWavsAreDetectedAndInspectedAsWav() {
    BufferKindRegistry registry = BufferKindRegistry.loading(getClass().getClassLoader());
    byte[] raw = Corpus.row("sox_pcm16le_8k.raw").bytes();
    try (ZeroCopyBuffer pcm = pooled(MediaKinds.PCM16, raw);
        ZeroCopyBuffer wav =
            new Pcm16ToWavTranscoder()
                .transcode(pcm, TranscodeOptions.none().withRate(8000), pool)) {
      assertEquals(MediaKinds.WAV, registry.detect(wav).kind());
      Map<String, Object> facts = registry.inspect(wav).orElseThrow();
      assertEquals(8000, facts.get("sampleRate"));
      assertEquals(1.0, facts.get("durationSeconds"));
    }
  }

  /**
   * A frame in pooled memory is decoded where its output lands (copied into the output's room and
   * expanded there): every length, so every split between eight-code words and the tail, gives the
   * table's samples, from a pooled view and from an adopted network buffer.
   */
  @Test
  void mulawDecodedInPlaceGivesTheTablesSamplesForEveryLength() {
    byte[] codes = new byte[300];
    new java.util.Random(7).nextBytes(codes);
    for (int n = 0; n <= codes.length; n += n < 40 ? 1 : 37) {
      byte[] expected = new byte[2 * n];
      MuLaw.decode(codes, 0, expected, 0, n);
      ByteBuffer network = ByteBuffer.allocateDirect(n + 3).position(3);
      network.put(codes, 0, n).position(3);
      try (ZeroCopyBuffer pooledIn = pooled(MediaKinds.MULAW8, Arrays.copyOf(codes, n));
          ZeroCopyBuffer adopted =
              pool.forTenant("acme").adopt(MediaKinds.MULAW8, List.of(network), () -> {});
          ZeroCopyBuffer a = new MulawToPcm16Transcoder().transcode(pooledIn, NONE, pool);
          ZeroCopyBuffer b =
              new MulawToPcm16Transcoder().transcode(adopted, NONE, pool.forTenant("acme"))) {
        assertArrayEquals(expected, a.toByteArray(), n + " codes, pooled");
        assertArrayEquals(expected, b.toByteArray(), n + " codes, adopted");
      }
    }
  }

  /**
   * The voice gateway's steady state: decoding a 20 ms frame allocates on the heap what the output
   * buffer itself is (its builder and view), nothing more: no scratch array, no buffer duplicate,
   * no piece list.
   */
  @Test
  void decodingAFrameAllocatesOnlyTheOutputBuffersObjects() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    BufferAllocator tenant = pool.forTenant("acme");
    MulawToPcm16Transcoder decode = new MulawToPcm16Transcoder();
    int frames = 2000;
    long[] perFrame = new long[2];
    try (ZeroCopyBuffer frame = pooled(MediaKinds.MULAW8, new byte[160])) {
      for (int round = 0; round < 3; round++) { // the last round counts: code compiled by then
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < frames; i++) {
          tenant.acquire(320).freeze(MediaKinds.PCM16).close();
        }
        long middle = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < frames; i++) {
          decode.transcode(frame, NONE, tenant).close();
        }
        perFrame[0] = (middle - before) / frames;
        perFrame[1] = (threads.getThreadAllocatedBytes(self) - middle) / frames;
      }
    }
    assertTrue(
        perFrame[1] <= perFrame[0] + 16,
        "decoding a frame allocates "
            + perFrame[1]
            + " bytes, the output buffer alone "
            + perFrame[0]);
  }
}
