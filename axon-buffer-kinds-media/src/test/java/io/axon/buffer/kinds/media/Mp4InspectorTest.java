package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MP4 box walk on the movie header ({@code mvhd}) at the edges of the content. */
class Mp4InspectorTest {

  static Map<String, Object> inspect(byte[] bytes) {
    return Mp4Format.inspect(MediaKinds.MP4, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  static MalformedContentException fails(byte[] bytes) {
    return assertThrows(MalformedContentException.class, () -> inspect(bytes));
  }

  /** {@code ftyp} (20 bytes: isom, minor version 512, compatible isom), then {@code moov}. */
  static ByteWriter withMoov(long moovSize) {
    return new ByteWriter()
        .u32be(20)
        .ascii("ftypisom")
        .u32be(512)
        .ascii("isom")
        .u32be(moovSize)
        .ascii("moov");
  }

  /**
   * Found by an audit: an {@code mvhd} of 8 bytes (a header, no version byte) that ends the
   * content. The inspector read its version byte one past the end and threw a raw {@link
   * IndexOutOfBoundsException}. These are the 36 bytes of the audit's file {@code mvhd8.mp4}, also
   * a regression input of {@code MediaFuzzTest#inspectMp4} in axon-buffer-reliability.
   */
  @Test
  void anMvhdOfEightBytesEndingTheContentIsTheTypedError() {
    byte[] mvhd8 = withMoov(16).u32be(8).ascii("mvhd").toArray();
    assertEquals(36, mvhd8.length);
    MalformedContentException e = fails(mvhd8);
    assertEquals(MediaKinds.MP4, e.kind());
    assertEquals(28, e.offset());
    assertEquals(
        "malformed mp4 at offset 28: mvhd box of 8 bytes has no room for its version and"
            + " flags",
        e.getMessage());
  }

  /** The same when {@code moov} claims more than the content holds. */
  @Test
  void anMvhdOfEightBytesEndingATruncatedMoovIsTheTypedError() {
    MalformedContentException e = fails(withMoov(100).u32be(8).ascii("mvhd").toArray());
    assertEquals(28, e.offset());
    assertEquals(
        "malformed mp4 at offset 28: mvhd box of 8 bytes has no room for its version and"
            + " flags",
        e.getMessage());
  }

  /**
   * An 8-byte {@code mvhd} followed by more of {@code moov}: the byte after it belongs to the next
   * box, and is not read as the version.
   */
  @Test
  void theByteAfterAnEightByteMvhdIsNotTakenForItsVersion() {
    byte[] bytes = withMoov(16 + 8).u32be(8).ascii("mvhd").u32be(8).ascii("free").toArray();
    assertEquals(
        "malformed mp4 at offset 28: mvhd box of 8 bytes has no room for its version and"
            + " flags",
        fails(bytes).getMessage());
  }

  @Test
  void aVersion0MvhdGivesTheDuration() {
    byte[] bytes =
        withMoov(8 + 8 + 100)
            .u32be(108)
            .ascii("mvhd")
            .u8(0, 0, 0, 0)
            .u32be(0)
            .u32be(0)
            .u32be(1000)
            .u32be(2500)
            .zeros(80)
            .toArray();
    Map<String, Object> facts = inspect(bytes);
    assertEquals(1000L, facts.get("timescale"));
    assertEquals(2.5, facts.get("durationSeconds"));
  }
}
