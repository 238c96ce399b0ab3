package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JPEG marker walk on edge cases real encoders rarely write but real files contain. */
class JpegInspectorTest {

  static Map<String, Object> inspect(byte[] bytes) {
    return JpegFormat.inspect(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  static MalformedContentException fails(byte[] bytes) {
    return assertThrows(MalformedContentException.class, () -> inspect(bytes));
  }

  /** A frame header segment: marker, precision, height, width, components (id, 0x11, 0). */
  static ByteWriter sof(
      ByteWriter w, int marker, int precision, int height, int width, int... ids) {
    w.u8(0xFF, marker)
        .u16be(8 + 3 * ids.length)
        .u8(precision)
        .u16be(height)
        .u16be(width)
        .u8(ids.length);
    for (int id : ids) {
      w.u8(id, 0x11, 0);
    }
    return w;
  }

  static ByteWriter sos(ByteWriter w, int components) {
    w.u8(0xFF, 0xDA).u16be(6 + 2 * components).u8(components);
    for (int i = 1; i <= components; i++) {
      w.u8(i, 0);
    }
    return w.u8(0, 63, 0);
  }

  static byte[] minimal(int sofMarker, int precision) {
    ByteWriter w = new ByteWriter().u8(0xFF, 0xD8);
    sof(w, sofMarker, precision, 48, 64, 1, 2, 3);
    sos(w, 3).u8(0x12, 0x34).u8(0xFF, 0xD9);
    return w.toArray();
  }

  /** The offset of the first {@code FF marker} in a corpus file, to splice bytes before it. */
  static int markerAt(byte[] jpeg, int marker) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + marker);
  }

  static byte[] splice(byte[] jpeg, int at, int... inserted) {
    return new ByteWriter().bytes(jpeg, 0, at).u8(inserted).bytes(jpeg, at, jpeg.length).toArray();
  }

  @Test
  void fillBytesBeforeAnyMarkerAreSkipped() {
    byte[] jpeg = Corpus.row("cjpeg_baseline.jpg").bytes();
    Map<String, Object> expected = inspect(jpeg);
    for (int marker : new int[] {0xDB, 0xC0, 0xC4, 0xDA}) {
      byte[] filled = splice(jpeg, markerAt(jpeg, marker), 0xFF, 0xFF, 0xFF);
      assertEquals(expected, inspect(filled), "fill before " + Integer.toHexString(marker));
    }
  }

  @Test
  void restartAndTemMarkersHaveNoLength() {
    byte[] jpeg = Corpus.row("cjpeg_restart.jpg").bytes();
    Map<String, Object> expected = inspect(jpeg);
    byte[] withRst = splice(jpeg, markerAt(jpeg, 0xC0), 0xFF, 0xD3, 0xFF, 0x01, 0xFF, 0xFF, 0xD7);
    assertEquals(expected, inspect(withRst));
  }

  @Test
  void dhtDacAndJpgSegmentsAreNotFrameHeadersEvenWhenTheyLookLikeOne() {
    ByteWriter w = new ByteWriter().u8(0xFF, 0xD8);
    // Bodies shaped like a frame header of 1x1, 3 components: a walker that took C4, C8 or CC
    // for SOF would report 1x1.
    for (int marker : new int[] {0xC4, 0xC8, 0xCC}) {
      sof(w, marker, 8, 1, 1, 1, 2, 3);
    }
    sof(w, 0xC2, 8, 480, 640, 1, 2, 3);
    sos(w, 3).u8(0xFF, 0xD9);
    Map<String, Object> facts = inspect(w.toArray());
    assertEquals(640, facts.get("width"));
    assertEquals(480, facts.get("height"));
    assertEquals("progressive", facts.get("codingProcess"));
  }

  @Test
  void everyFrameHeaderMarkerNamesItsCodingProcess() {
    Object[][] cases = {
      {0xC0, 8, "baseline", false, false}, {0xC1, 12, "extended", false, false},
      {0xC2, 8, "progressive", false, false}, {0xC3, 16, "lossless", false, false},
      {0xC5, 8, "extended", false, true}, {0xC6, 8, "progressive", false, true},
      {0xC7, 8, "lossless", false, true}, {0xC9, 8, "extended", true, false},
      {0xCA, 8, "progressive", true, false}, {0xCB, 8, "lossless", true, false},
      {0xCD, 8, "extended", true, true}, {0xCE, 12, "progressive", true, true},
      {0xCF, 2, "lossless", true, true},
    };
    for (Object[] c : cases) {
      int marker = (Integer) c[0];
      Map<String, Object> facts = inspect(minimal(marker, (Integer) c[1]));
      String what = "SOF " + Integer.toHexString(marker);
      assertEquals(c[2], facts.get("codingProcess"), what);
      assertEquals(c[3], facts.get("arithmetic"), what);
      assertEquals(c[4], facts.get("hierarchical"), what);
      assertEquals(c[1], facts.get("precision"), what);
    }
  }

  @Test
  void precisionMustSuitTheCodingProcess() {
    assertTrue(fails(minimal(0xC0, 12)).getMessage().contains("precision 12"));
    assertTrue(fails(minimal(0xC2, 16)).getMessage().contains("precision 16"));
  }

  static byte[] withExif(boolean little, int orientation, boolean broken) {
    ByteWriter tiff = new ByteWriter();
    if (little) {
      tiff.ascii("II")
          .u16le(42)
          .u32le(8)
          .u16le(2)
          .u16le(0x010F)
          .u16le(2)
          .u32le(4)
          .ascii("Axn\0") // Make
          .u16le(0x0112)
          .u16le(3)
          .u32le(1)
          .u16le(orientation)
          .u16le(0)
          .u32le(0);
    } else {
      tiff.ascii("MM")
          .u16be(42)
          .u32be(8)
          .u16be(1)
          .u16be(0x0112)
          .u16be(3)
          .u32be(1)
          .u16be(orientation)
          .u16be(0)
          .u32be(0);
    }
    byte[] t = tiff.toArray();
    if (broken) {
      t[4] = 0x7F; // IFD0 offset far past the segment
    }
    byte[] jpeg = Corpus.row("cjpeg_baseline.jpg").bytes();
    ByteWriter app1 =
        new ByteWriter().u8(0xFF, 0xE1).u16be(2 + 6 + t.length).ascii("Exif\0\0").bytes(t);
    return new ByteWriter()
        .bytes(jpeg, 0, 2)
        .bytes(app1.toArray())
        .bytes(jpeg, 2, jpeg.length)
        .toArray();
  }

  @Test
  void exifOrientationIsReadInBothByteOrdersAndDoesNotChangeTheSize() {
    Map<String, Object> le = inspect(withExif(true, 6, false));
    assertEquals(6, le.get("orientation"));
    assertEquals(64, le.get("width"));
    assertEquals(48, le.get("height"));
    assertEquals(8, inspect(withExif(false, 8, false)).get("orientation"));
  }

  @Test
  void anUnreadableExifBlockIsSkippedNotFatal() {
    Map<String, Object> facts = inspect(withExif(true, 6, true));
    assertFalse(facts.containsKey("orientation"));
    assertEquals(64, facts.get("width"));
    assertFalse(
        inspect(withExif(true, 9, false)).containsKey("orientation"), "9 is not an orientation");
  }

  @Test
  void aZeroHeightIsTakenFromTheDnlSegmentAfterTheFirstScan() {
    ByteWriter w = new ByteWriter().u8(0xFF, 0xD8);
    sof(w, 0xC0, 8, 0, 64, 1);
    sos(w, 1)
        .u8(0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56) // data, stuffed byte, RST0
        .u8(0xFF, 0xDC)
        .u16be(4)
        .u16be(48)
        .u8(0xFF, 0xD9);
    assertEquals(48, inspect(w.toArray()).get("height"));

    ByteWriter noDnl = new ByteWriter().u8(0xFF, 0xD8);
    sof(noDnl, 0xC0, 8, 0, 64, 1);
    sos(noDnl, 1).u8(0x12, 0x34).u8(0xFF, 0xD9);
    assertTrue(fails(noDnl.toArray()).getMessage().contains("not DNL"));
  }

  @Test
  void structuralFaultsAreNamedWithTheirOffsets() {
    MalformedContentException notJpeg = fails(new byte[] {'G', 'I', 'F', '8'});
    assertEquals(0, notJpeg.offset());
    assertTrue(notJpeg.getMessage().contains("SOI"), notJpeg.getMessage());

    MalformedContentException noMarker = fails(new byte[] {(byte) 0xFF, (byte) 0xD8, 0x00, 0x01});
    assertEquals(2, noMarker.offset());
    assertTrue(noMarker.getMessage().contains("expected a marker"), noMarker.getMessage());

    MalformedContentException shortLength =
        fails(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x01});
    assertEquals(4, shortLength.offset());
    assertTrue(shortLength.getMessage().contains("less than 2"), shortLength.getMessage());

    MalformedContentException pastEnd =
        fails(
            new byte[] {
              (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, (byte) 0xFF, (byte) 0xF0, 0, 0
            });
    assertTrue(
        pastEnd.getMessage().contains("APP0 segment length 65520 runs past the end"),
        pastEnd.getMessage());

    ByteWriter sosFirst = new ByteWriter().u8(0xFF, 0xD8);
    assertTrue(
        fails(sos(sosFirst, 1).toArray()).getMessage().contains("SOS) before any frame header"));

    assertTrue(
        fails(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9})
            .getMessage()
            .contains("EOI before any frame header"));
    assertTrue(
        fails(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD8})
            .getMessage()
            .contains("second SOI"));
    assertTrue(
        fails(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFF})
            .getMessage()
            .contains("fill bytes"));
    assertTrue(
        fails(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00})
            .getMessage()
            .contains("stuffed byte"));

    ByteWriter mismatch =
        new ByteWriter()
            .u8(0xFF, 0xD8)
            .u8(0xFF, 0xC0)
            .u16be(11)
            .u8(8)
            .u16be(48)
            .u16be(64)
            .u8(3)
            .u8(1, 0x11, 0);
    assertTrue(fails(mismatch.toArray()).getMessage().contains("does not match its 3 components"));
    ByteWriter zeroWidth = new ByteWriter().u8(0xFF, 0xD8);
    assertTrue(
        fails(sof(zeroWidth, 0xC0, 8, 48, 0, 1).toArray()).getMessage().contains("width is 0"));
  }

  /**
   * Every prefix of every corpus JPEG: the typed error, or (once the first scan header is in) the
   * full facts. Nothing else.
   */
  @Test
  void everyPrefixOfEveryCorpusJpegGivesTheTypedErrorOrTheFacts() {
    for (String name :
        List.of(
            "cjpeg_baseline.jpg",
            "cjpeg_gray.jpg",
            "cjpeg_progressive.jpg",
            "cjpeg_restart.jpg",
            "im6_cmyk.jpg")) {
      byte[] jpeg = Corpus.row(name).bytes();
      Map<String, Object> full = inspect(jpeg);
      int sosEnd =
          markerAt(jpeg, 0xDA)
              + 2
              + ((jpeg[markerAt(jpeg, 0xDA) + 2] & 0xFF) << 8
                  | (jpeg[markerAt(jpeg, 0xDA) + 3] & 0xFF));
      for (int cut = 0; cut < jpeg.length; cut++) {
        byte[] prefix = Arrays.copyOf(jpeg, cut);
        if (cut < sosEnd) {
          MalformedContentException e = fails(prefix);
          assertTrue(e.offset() <= cut, name + " cut at " + cut + ": offset " + e.offset());
        } else {
          assertEquals(full, inspect(prefix), name + " cut at " + cut);
        }
      }
    }
  }

  @Test
  void randomBytesBehindASoiNeverEscapeAsAnotherException() {
    Random random = new Random(20261126);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[2 + random.nextInt(200)];
      random.nextBytes(b);
      b[0] = (byte) 0xFF;
      b[1] = (byte) 0xD8;
      if (b.length > 2 && random.nextBoolean()) {
        b[2] = (byte) 0xFF;
      }
      try {
        inspect(b);
      } catch (MalformedContentException expected) {
        assertTrue(expected.offset() >= 0 && expected.offset() <= b.length);
      }
    }
  }
}
