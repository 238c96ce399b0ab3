package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** G.711 μ-law against ITU-T G.191, the corpus table, sox, and (where it is right) the JDK. */
class MuLawTest {

  /**
   * A literal transcription of G.191's {@code ulaw_compress} (g711.c), loop and all, kept apart
   * from the implementation under test.
   */
  static int g191Compress(short linear) {
    int absno = linear < 0 ? ((~linear) >> 2) + 33 : (linear >> 2) + 33;
    if (absno > 0x1FFF) {
      absno = 0x1FFF;
    }
    int i = absno >> 6;
    int segno = 1;
    while (i != 0) {
      segno++;
      i >>= 1;
    }
    int highNibble = 0x0008 - segno;
    int lowNibble = (absno >> segno) & 0x000F;
    lowNibble = 0x000F - lowNibble;
    int log = (highNibble << 4) | lowNibble;
    if (linear >= 0) {
      log = log | 0x0080;
    }
    return log;
  }

  /** G.191's {@code ulaw_expand}, transcribed likewise. */
  static int g191Expand(int log) {
    int sign = log < 0x0080 ? -1 : 1;
    int mantissa = ~log;
    int exponent = (mantissa >> 4) & 0x0007;
    int segment = exponent + 1;
    mantissa = mantissa & 0x000F;
    int step = 4 << segment;
    return sign * ((0x0080 << exponent) + step * mantissa + step / 2 - 4 * 33);
  }

  static int[] corpusDecodeTable() {
    String tsv =
        new String(Corpus.bytes("media/reference/ulaw_decode_table.tsv"), StandardCharsets.UTF_8);
    int[] table = new int[256];
    int rows = 0;
    for (String line : tsv.split("\n")) {
      if (line.startsWith("#") || line.startsWith("code_hex") || line.isBlank()) {
        continue;
      }
      String[] cells = line.split("\t");
      table[Integer.parseInt(cells[1])] = Integer.parseInt(cells[2].trim());
      rows++;
    }
    assertEquals(256, rows);
    return table;
  }

  @Test
  void decodeMatchesTheCorpusTableForAll256Codes() {
    int[] table = corpusDecodeTable();
    for (int code = 0; code < 256; code++) {
      assertEquals(table[code], MuLaw.decode(code), "code " + code);
      assertEquals(table[code], g191Expand(code), "G.191 expand of code " + code);
    }
    assertEquals(-32124, MuLaw.decode(0x00));
    assertEquals(32124, MuLaw.decode(0x80));
    assertEquals(0, MuLaw.decode(0xFF));
    assertEquals(0, MuLaw.decode(0x7F));
  }

  @Test
  void encodeMatchesG191ForAll65536Inputs() {
    List<String> mismatches = new ArrayList<>();
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int expected = g191Compress((short) x);
      int actual = MuLaw.encode(x);
      if (expected != actual && mismatches.size() < 20) {
        mismatches.add(x + ": G.191 " + expected + ", encode " + actual);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void fullScaleInputsClampInsteadOfWrappingToSilence() {
    assertEquals(0x80, MuLaw.encode(32767));
    assertEquals(0x80, MuLaw.encode(32636));
    assertEquals(0x00, MuLaw.encode(-32768));
    assertEquals(0x00, MuLaw.encode(-32637));
    assertEquals(0xFF, MuLaw.encode(0));
    assertEquals(0x7F, MuLaw.encode(-1)); // one's complement: -1 quantises like 0
  }

  @Test
  void everyCodeSurvivesDecodeThenEncodeExceptNegativeZero() {
    for (int code = 0; code < 256; code++) {
      int expected = code == 0x7F ? 0xFF : code; // both zeros decode to 0, which encodes as +0
      assertEquals(expected, MuLaw.encode(MuLaw.decode(code)), "code " + code);
    }
  }

  @Test
  void quantisationIsMonotonic() {
    int previous = Integer.MIN_VALUE;
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      int level = MuLaw.decode(MuLaw.encode(x));
      assertTrue(level >= previous, "level of " + x + " is " + level + ", below " + previous);
      previous = level;
    }
  }

  /**
   * The JDK's encoder is not a reference: it overflows at full scale (the 265 inputs at or beyond
   * ±32636 encode near silence) and, taking the two's rather than the one's complement of negative
   * samples, lands one step off at 127 negative multiples of 4 on decision thresholds. On the other
   * 65,144 inputs it is an independent cross-check, and agrees.
   */
  @Test
  void theJdkEncoderAgreesExceptAtFullScaleAndItsNegativeThresholds() throws Exception {
    byte[] pcm = new byte[65536 * 2];
    for (int i = 0; i < 65536; i++) {
      short x = (short) (i - 32768);
      pcm[2 * i] = (byte) x;
      pcm[2 * i + 1] = (byte) (x >> 8);
    }
    AudioFormat linear = new AudioFormat(8000f, 16, 1, true, false);
    AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), linear, 65536);
    byte[] jdk;
    try (AudioInputStream ulaw = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, in)) {
      jdk = ulaw.readAllBytes();
    }
    assertEquals(65536, jdk.length);
    int fullScale = 0;
    int thresholds = 0;
    for (int i = 0; i < 65536; i++) {
      int x = i - 32768;
      int ours = MuLaw.encode(x);
      int theirs = jdk[i] & 0xFF;
      if (theirs == ours) {
        continue;
      }
      if (x >= 32636 || x <= -32636) {
        fullScale++;
        int silence = MuLaw.decode(theirs);
        assertTrue(
            Math.abs(silence) < 1000, "JDK code " + theirs + " for " + x + " is not near silence");
      } else {
        thresholds++;
        assertTrue(x < 0 && x % 4 == 0, "the JDK differs at " + x);
        assertEquals(ours - 1, theirs, "one step off at " + x);
        assertEquals(ours, g191Compress((short) x));
      }
    }
    assertEquals(265, fullScale);
    assertEquals(127, thresholds);
  }

  @Test
  void theJdkDecoderAgreesOnAll256Codes() throws Exception {
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    AudioFormat ulawFormat =
        new AudioFormat(AudioFormat.Encoding.ULAW, 8000f, 8, 1, 1, 8000f, false);
    AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(codes), ulawFormat, 256);
    byte[] pcm;
    try (AudioInputStream linear =
        AudioSystem.getAudioInputStream(new AudioFormat(8000f, 16, 1, true, false), in)) {
      pcm = linear.readAllBytes();
    }
    byte[] ours = new byte[512];
    MuLaw.decode(codes, 0, ours, 0, 256);
    assertArrayEquals(pcm, ours);
  }

  @Test
  void arrayDecodeOfTheCorpusFileEqualsSoxsDecodeByteForByte() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] sox = Corpus.bytes("media-extra/reference/sox_mulaw_8k.decoded-by-sox.s16");
    byte[] ours = new byte[ulaw.length * 2];
    MuLaw.decode(ulaw, 0, ours, 0, ulaw.length);
    assertArrayEquals(sox, ours);
  }

  @Test
  void arrayEncodeIsTheInverseOnDecodedAudioAndHonoursOffsets() {
    byte[] ulaw = Corpus.row("sox_mulaw_8k.ul").bytes();
    byte[] pcm = new byte[3 + ulaw.length * 2];
    MuLaw.decode(ulaw, 0, pcm, 3, ulaw.length);
    byte[] back = new byte[ulaw.length + 5];
    MuLaw.encode(pcm, 3, back, 5, ulaw.length);
    for (int i = 0; i < ulaw.length; i++) {
      int expected = (ulaw[i] & 0xFF) == 0x7F ? 0xFF : ulaw[i] & 0xFF;
      assertEquals(expected, back[5 + i] & 0xFF, "sample " + i);
    }
  }

  @Test
  void arrayMethodsCheckTheirRanges() {
    byte[] src = new byte[10];
    assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.decode(src, 0, new byte[19], 0, 10));
    assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.decode(src, 1, new byte[20], 0, 10));
    assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.encode(src, 0, new byte[4], 0, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.encode(src, 2, new byte[5], 0, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.decode(src, 0, new byte[20], 0, -1));
  }

  @Test
  void bufferDecodeEqualsArrayDecodeForEveryLengthOffsetAndKindOfMemory() {
    java.util.Random random = new java.util.Random(7);
    for (boolean direct : new boolean[] {false, true}) {
      for (int count : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1000, 4099}) {
        for (int offset : new int[] {0, 1, 3}) {
          byte[] codes = new byte[offset + count];
          random.nextBytes(codes);
          byte[] expected = new byte[2 * count];
          MuLaw.decode(codes, offset, expected, 0, count);
          java.nio.ByteBuffer src =
              direct
                  ? java.nio.ByteBuffer.allocateDirect(codes.length)
                  : java.nio.ByteBuffer.allocate(codes.length);
          src.put(codes).flip();
          java.nio.ByteBuffer dst =
              direct
                  ? java.nio.ByteBuffer.allocateDirect(5 + 2 * count)
                  : java.nio.ByteBuffer.allocate(5 + 2 * count);
          MuLaw.decode(src, offset, dst, 5, count);
          byte[] actual = new byte[2 * count];
          dst.get(5, actual);
          assertArrayEquals(
              expected, actual, "count " + count + ", offset " + offset + ", direct " + direct);
          assertEquals(0, src.position(), "absolute indexes only");
          assertEquals(0, dst.position());
          assertEquals(
              java.nio.ByteOrder.BIG_ENDIAN, dst.order(), "the caller's byte order is left alone");
        }
      }
    }
    java.nio.ByteBuffer ten = java.nio.ByteBuffer.allocate(10);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MuLaw.decode(ten, 0, java.nio.ByteBuffer.allocate(19), 0, 10));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MuLaw.decode(ten, 1, java.nio.ByteBuffer.allocate(20), 0, 10));
  }

  @Test
  void bulkEncodersMatchTheScalarEncoderForAll65536Inputs() {
    byte[] pcm = new byte[2 * 65536];
    for (int x = 0; x < 65536; x++) {
      pcm[2 * x] = (byte) x;
      pcm[2 * x + 1] = (byte) (x >> 8);
    }
    byte[] fromArrays = new byte[65536];
    MuLaw.encode(pcm, 0, fromArrays, 0, 65536);
    java.nio.ByteBuffer src = java.nio.ByteBuffer.allocateDirect(pcm.length).put(pcm).flip();
    java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(65536);
    MuLaw.encode(src, 0, dst, 0, 65536);
    for (int x = 0; x < 65536; x++) {
      assertEquals(MuLaw.encode(x), fromArrays[x] & 0xFF, "array encoder, sample " + (short) x);
      assertEquals(MuLaw.encode(x), dst.get(x) & 0xFF, "buffer encoder, sample " + (short) x);
    }
  }

  @Test
  void bufferEncodeEqualsArrayEncodeForEveryLengthOffsetAndKindOfMemory() {
    java.util.Random random = new java.util.Random(11);
    for (boolean direct : new boolean[] {false, true}) {
      for (int count : new int[] {0, 1, 2, 7, 8, 9, 15, 16, 17, 1000, 4099}) {
        for (int offset : new int[] {0, 1, 3}) {
          byte[] pcm = new byte[offset + 2 * count];
          random.nextBytes(pcm);
          byte[] expected = new byte[count];
          MuLaw.encode(pcm, offset, expected, 0, count);
          java.nio.ByteBuffer src =
              direct
                  ? java.nio.ByteBuffer.allocateDirect(pcm.length)
                  : java.nio.ByteBuffer.allocate(pcm.length);
          src.put(pcm).flip();
          java.nio.ByteBuffer dst =
              direct
                  ? java.nio.ByteBuffer.allocateDirect(5 + count)
                  : java.nio.ByteBuffer.allocate(5 + count);
          MuLaw.encode(src, offset, dst, 5, count);
          byte[] actual = new byte[count];
          dst.get(5, actual);
          assertArrayEquals(
              expected, actual, "count " + count + ", offset " + offset + ", direct " + direct);
          assertEquals(0, src.position(), "absolute indexes only");
          assertEquals(
              java.nio.ByteOrder.BIG_ENDIAN, src.order(), "the caller's byte order is left alone");
        }
      }
    }
    java.nio.ByteBuffer twenty = java.nio.ByteBuffer.allocate(20);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MuLaw.encode(twenty, 0, java.nio.ByteBuffer.allocate(9), 0, 10));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> MuLaw.encode(twenty, 1, java.nio.ByteBuffer.allocate(10), 0, 10));
  }
}
