package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.MalformedContentException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WAV chunk walk: what ffmpeg, BWF tools and streaming writers put around the samples. */
class WavInspectorTest {

  static Map<String, Object> inspect(byte[] bytes) {
    return WavFormat.inspect(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  static MalformedContentException fails(byte[] bytes) {
    return assertThrows(MalformedContentException.class, () -> inspect(bytes));
  }

  static ByteWriter fmtPcm16(ByteWriter w, int rate, int channels) {
    return w.ascii("fmt ")
        .u32le(16)
        .u16le(1)
        .u16le(channels)
        .u32le(rate)
        .u32le((long) rate * channels * 2)
        .u16le(channels * 2)
        .u16le(16);
  }

  static ByteWriter riff(ByteWriter body) {
    return new ByteWriter()
        .ascii("RIFF")
        .u32le(4 + body.size())
        .ascii("WAVE")
        .bytes(body.toArray());
  }

  @Test
  void listBextFactJunkAndOddChunksWithTheirPadByteAreSkipped() {
    ByteWriter body =
        fmtPcm16(new ByteWriter(), 8000, 1)
            .ascii("LIST")
            .u32le(13)
            .ascii("INFOISFT")
            .u32le(1)
            .u8('x')
            .u8(0) // odd: 1 pad byte
            .ascii("bext")
            .u32le(6)
            .zeros(6)
            .ascii("fact")
            .u32le(4)
            .u32le(4)
            .ascii("JUNK")
            .u32le(3)
            .zeros(3)
            .u8(0) // odd again
            .ascii("data")
            .u32le(8)
            .u16le(1)
            .u16le(2)
            .u16le(3)
            .u16le(4);
    byte[] wav = riff(body).toArray();
    Map<String, Object> facts = inspect(wav);
    assertEquals((long) wav.length - 8, facts.get("dataOffset"));
    assertEquals(8L, facts.get("dataLength"));
    assertEquals(4L, facts.get("frames"));
    assertEquals(false, facts.get("sizeCapped"));
  }

  @Test
  void rf64TakesTheDataSizeFromDs64() {
    ByteWriter w =
        new ByteWriter()
            .ascii("RF64")
            .u32le(0xFFFFFFFFL)
            .ascii("WAVE")
            .ascii("ds64")
            .u32le(28)
            .u64le(0)
            .u64le(6)
            .u64le(3)
            .u32le(0);
    fmtPcm16(w, 48000, 1).ascii("data").u32le(0xFFFFFFFFL).zeros(6);
    Map<String, Object> facts = inspect(w.toArray());
    assertEquals(6L, facts.get("dataLength"));
    assertEquals(6L, facts.get("declaredDataLength"));
    assertEquals(3L, facts.get("frames"));
    assertEquals(false, facts.get("sizeCapped"));
  }

  @Test
  void aStreamedDataSizeOfAllOnesIsCappedAtTheBytesPresent() {
    ByteWriter body =
        fmtPcm16(new ByteWriter(), 8000, 2).ascii("data").u32le(0xFFFFFFFFL).zeros(401);
    Map<String, Object> facts = inspect(riff(body).toArray());
    assertEquals(401L, facts.get("dataLength"));
    assertEquals(0xFFFFFFFFL, facts.get("declaredDataLength"));
    assertEquals(true, facts.get("sizeCapped"));
    assertEquals(100L, facts.get("frames")); // a partial last frame is not a frame
  }

  @Test
  void faultsAreNamedWithTheirOffsets() {
    MalformedContentException avi =
        fails(new ByteWriter().ascii("RIFF").u32le(4).ascii("AVI ").toArray());
    assertEquals(8, avi.offset());
    assertTrue(avi.getMessage().contains("not \"WAVE\""), avi.getMessage());

    MalformedContentException dataFirst =
        fails(riff(new ByteWriter().ascii("data").u32le(2).zeros(2)).toArray());
    assertEquals(12, dataFirst.offset());
    assertTrue(dataFirst.getMessage().contains("data chunk before any fmt chunk"));

    assertTrue(
        fails(riff(fmtPcm16(new ByteWriter(), 8000, 1)).toArray())
            .getMessage()
            .contains("no data chunk"));
    assertTrue(
        fails(riff(new ByteWriter().ascii("JUNK").u32le(2).zeros(2)).toArray())
            .getMessage()
            .contains("no fmt chunk"));

    MalformedContentException hugeList =
        fails(
            riff(fmtPcm16(new ByteWriter(), 8000, 1).ascii("LIST").u32le(0xFFFFFFF0L).zeros(10))
                .toArray());
    assertEquals(36, hugeList.offset());
    assertTrue(
        hugeList.getMessage().contains("\"LIST\" declares 4294967280 bytes, past the end"),
        hugeList.getMessage());

    MalformedContentException shortFmt =
        fails(
            riff(new ByteWriter().ascii("fmt ").u32le(12).zeros(12).ascii("data").u32le(0))
                .toArray());
    assertTrue(shortFmt.getMessage().contains("shorter than 16"), shortFmt.getMessage());

    ByteWriter noChannels =
        new ByteWriter()
            .ascii("fmt ")
            .u32le(16)
            .u16le(1)
            .u16le(0)
            .u32le(8000)
            .u32le(16000)
            .u16le(2)
            .u16le(16)
            .ascii("data")
            .u32le(0);
    MalformedContentException channels = fails(riff(noChannels).toArray());
    assertEquals(22, channels.offset());
    assertTrue(channels.getMessage().contains("channel count is 0"));

    ByteWriter badAlign =
        new ByteWriter()
            .ascii("fmt ")
            .u32le(16)
            .u16le(1)
            .u16le(2)
            .u32le(8000)
            .u32le(32000)
            .u16le(2)
            .u16le(16)
            .ascii("data")
            .u32le(0);
    assertTrue(
        fails(riff(badAlign).toArray())
            .getMessage()
            .contains("block align 2 does not match 2 channels of 16-bit samples (4)"));

    ByteWriter fmtPastEnd = new ByteWriter().ascii("fmt ").u32le(400).zeros(16);
    assertTrue(fails(riff(fmtPastEnd).toArray()).getMessage().contains("fmt chunk"));

    assertTrue(fails(new byte[0]).getMessage().contains("empty"));
  }

  @Test
  void everyPrefixOfEveryCorpusWavGivesTheTypedErrorOrCappedFacts() {
    for (String name :
        List.of(
            "sox_mulaw_8k_mono.wav", "sox_pcm16_8k_mono.wav", "sox_pcm24_16k_3ch_extensible.wav")) {
      byte[] wav = Corpus.row(name).bytes();
      long dataOffset = (Long) inspect(wav).get("dataOffset");
      for (int cut = 0; cut < wav.length; cut += cut < 200 ? 1 : 97) {
        byte[] prefix = Arrays.copyOf(wav, cut);
        if (cut < dataOffset) {
          assertTrue(fails(prefix).offset() <= cut, name + " cut at " + cut);
        } else {
          Map<String, Object> facts = inspect(prefix);
          assertEquals((long) cut - dataOffset, facts.get("dataLength"), name + " cut at " + cut);
        }
      }
    }
  }
}
