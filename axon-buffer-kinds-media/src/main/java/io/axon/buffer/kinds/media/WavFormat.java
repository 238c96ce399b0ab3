package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * WAV: the sniffer ({@code RIFF}/{@code RF64}/{@code BW64} + {@code WAVE}), the chunk walker and
 * the inspector.
 *
 * <p>The walker reads the {@code fmt } chunk (plain, {@code WAVEFORMATEX} and {@code
 * WAVE_FORMAT_EXTENSIBLE} with its sub-format), honours RF64's {@code ds64} sizes, skips every
 * other chunk ({@code LIST}, {@code bext}, {@code fact}, {@code JUNK}, …) with its pad byte, and
 * stops at {@code data}. Sizes are capped at the bytes present: a file written to a pipe carries
 * bogus sizes (sox writes {@code 0x7FFFF000}-ish, others {@code 0xFFFFFFFF}) because the writer
 * could not seek back to patch them. The walk advances at least 8 bytes per chunk, so it ends.
 */
final class WavFormat {

  private WavFormat() {}

  /** Sample encodings a {@code fmt } chunk can name, by what the samples are. */
  enum Encoding {
    PCM("pcm"),
    FLOAT("float"),
    ALAW("alaw"),
    MULAW("mulaw"),
    OTHER(null);

    final String label;

    Encoding(String label) {
      this.label = label;
    }
  }

  /**
   * The suffix every standard sub-format GUID shares ({@code
   * xxxxxxxx-0000-0010-8000-00AA00389B71}).
   */
  private static final byte[] KSDATAFORMAT_SUFFIX = {
    0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  static final int TAG_PCM = 0x0001;
  static final int TAG_FLOAT = 0x0003;
  static final int TAG_ALAW = 0x0006;
  static final int TAG_MULAW = 0x0007;
  static final int TAG_EXTENSIBLE = 0xFFFE;

  // ---------------------------------------------------------------- sniffer

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    if (end - p < 12 || !Bytes.matches(head, p + 8, end, "WAVE")) {
      return 0;
    }
    if (Bytes.matches(head, p, end, "RIFF")
        || Bytes.matches(head, p, end, "RF64")
        || Bytes.matches(head, p, end, "BW64")) {
      return KindSniffer.CERTAIN;
    }
    return 0;
  }

  // ---------------------------------------------------------------- walker

  /**
   * What the header of a WAV says, sizes capped at the bytes present.
   *
   * @param container {@code RIFF}, {@code RF64} or {@code BW64}
   * @param formatTag the {@code fmt } format tag ({@code 0xFFFE} for extensible)
   * @param encoding what the samples are (from the tag, or the sub-format when extensible)
   * @param subFormat the sub-format GUID when extensible, else null
   * @param effectiveTag the tag that names the encoding (the sub-format's when extensible)
   * @param validBits valid bits per sample when extensible, else 0
   * @param channelMask the speaker mask when extensible, else -1
   * @param dataOffset where the samples start
   * @param dataLength how many bytes of samples are present (capped)
   * @param declaredDataLength what the {@code data} chunk (or {@code ds64}) claims
   */
  record Info(
      String container,
      int formatTag,
      Encoding encoding,
      String subFormat,
      int effectiveTag,
      int sampleRate,
      int channels,
      int bitsPerSample,
      int validBits,
      long channelMask,
      int blockAlign,
      int dataOffset,
      int dataLength,
      long declaredDataLength) {

    boolean sizeCapped() {
      return declaredDataLength > dataLength;
    }

    long frames() {
      return dataLength / blockAlign;
    }

    double durationSeconds() {
      return frames() / (double) sampleRate;
    }

    /** True for 16-bit signed little-endian PCM (what {@code pcm16} is). */
    boolean isPcm16() {
      return encoding == Encoding.PCM && bitsPerSample == 16;
    }

    boolean isMulaw() {
      return encoding == Encoding.MULAW && bitsPerSample == 8;
    }

    String encodingName() {
      return encoding.label != null
          ? encoding.label
          : String.format(Locale.ROOT, "0x%04x", effectiveTag);
    }

    /** Significant bits per sample, as sox reports them; 0 when unknown. */
    int precision() {
      switch (encoding) {
        case PCM:
          return validBits > 0 ? validBits : bitsPerSample;
        case FLOAT:
          return bitsPerSample == 32 ? 25 : bitsPerSample == 64 ? 54 : 0;
        case MULAW:
          return 14;
        case ALAW:
          return 13;
        default:
          return 0;
      }
    }
  }

  static Info parse(Content c) {
    int n = c.length();
    if (n == 0) {
      throw c.fault(0, "empty content: a WAV starts with a 12-byte RIFF header");
    }
    c.require(0, 12, "RIFF header");
    String container;
    if (c.startsWith(0, "RIFF")) {
      container = "RIFF";
    } else if (c.startsWith(0, "RF64")) {
      container = "RF64";
    } else if (c.startsWith(0, "BW64")) {
      container = "BW64";
    } else {
      throw c.fault(0, "not a RIFF file: expected \"RIFF\", found " + quoted(c, 0));
    }
    if (!c.startsWith(8, "WAVE")) {
      throw c.fault(8, "RIFF form type is " + quoted(c, 8) + ", not \"WAVE\"");
    }
    boolean large = !container.equals("RIFF");
    long ds64DataSize = -1;
    Info fmt = null;
    long p = 12;
    while (p + 8 <= n) {
      int at = (int) p;
      long size = c.u32le(at + 4, "chunk header");
      long body = p + 8;
      if (c.startsWith(at, "fmt ")) {
        if (fmt != null) {
          throw c.fault(p, "second fmt chunk");
        }
        c.require(body, size, "fmt chunk");
        fmt = parseFmt(c, container, (int) body, (int) size);
      } else if (c.startsWith(at, "ds64") && large) {
        if (size < 16) {
          throw c.fault(p, "ds64 chunk of " + size + " bytes is shorter than 16");
        }
        c.require(body, 16, "ds64 chunk");
        ds64DataSize = c.u64le((int) body + 8, "ds64 data size");
      } else if (c.startsWith(at, "data")) {
        if (fmt == null) {
          throw c.fault(p, "data chunk before any fmt chunk");
        }
        long declared = size;
        if (large && size == 0xFFFFFFFFL) {
          if (ds64DataSize < 0) {
            throw c.fault(
                p, container + " data chunk size is 0xFFFFFFFF but no ds64 chunk came before it");
          }
          declared = ds64DataSize;
        }
        int present = (int) Math.min(declared, n - body);
        return new Info(
            fmt.container,
            fmt.formatTag,
            fmt.encoding,
            fmt.subFormat,
            fmt.effectiveTag,
            fmt.sampleRate,
            fmt.channels,
            fmt.bitsPerSample,
            fmt.validBits,
            fmt.channelMask,
            fmt.blockAlign,
            (int) body,
            present,
            declared);
      }
      long next = body + size + (size & 1);
      if (next > n) {
        throw c.fault(
            p,
            "chunk "
                + quoted(c, at)
                + " declares "
                + size
                + " bytes, past the end of the content ("
                + n
                + " bytes), and no data chunk came before it");
      }
      p = next;
    }
    if (fmt == null) {
      throw c.fault(p, "no fmt chunk before the end of the content (" + n + " bytes)");
    }
    throw c.fault(p, "no data chunk before the end of the content (" + n + " bytes)");
  }

  private static Info parseFmt(Content c, String container, int body, int size) {
    if (size < 16) {
      throw c.fault(body - 8, "fmt chunk of " + size + " bytes is shorter than 16");
    }
    int tag = c.u16le(body, "fmt format tag");
    int channels = c.u16le(body + 2, "fmt channels");
    long rate = c.u32le(body + 4, "fmt sample rate");
    int blockAlign = c.u16le(body + 12, "fmt block align");
    int bits = c.u16le(body + 14, "fmt bits per sample");
    int effective = tag;
    String subFormat = null;
    int validBits = 0;
    long mask = -1;
    if (tag == TAG_EXTENSIBLE) {
      if (size < 40) {
        throw c.fault(
            body - 8, "WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes is shorter than 40");
      }
      int cbSize = c.u16le(body + 16, "fmt extension size");
      if (cbSize < 22) {
        throw c.fault(
            body + 16, "WAVE_FORMAT_EXTENSIBLE extension size " + cbSize + " is less than 22");
      }
      validBits = c.u16le(body + 18, "fmt valid bits");
      mask = c.u32le(body + 20, "fmt channel mask");
      long data1 = c.u32le(body + 24, "fmt sub-format");
      subFormat = guid(c, body + 24);
      boolean standard = true;
      for (int i = 0; i < KSDATAFORMAT_SUFFIX.length; i++) {
        standard &= c.at(body + 28 + i) == (KSDATAFORMAT_SUFFIX[i] & 0xFF);
      }
      effective = standard && data1 <= 0xFFFF ? (int) data1 : -1;
    }
    Encoding encoding;
    switch (effective) {
      case TAG_PCM:
        encoding = Encoding.PCM;
        break;
      case TAG_FLOAT:
        encoding = Encoding.FLOAT;
        break;
      case TAG_ALAW:
        encoding = Encoding.ALAW;
        break;
      case TAG_MULAW:
        encoding = Encoding.MULAW;
        break;
      default:
        encoding = Encoding.OTHER;
    }
    if (channels == 0) {
      throw c.fault(body + 2, "fmt channel count is 0");
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw c.fault(body + 4, "fmt sample rate " + rate + " Hz is out of range");
    }
    if (blockAlign == 0) {
      throw c.fault(body + 12, "fmt block align is 0");
    }
    if (encoding != Encoding.OTHER) {
      boolean bitsOk;
      switch (encoding) {
        case PCM:
          bitsOk = bits >= 1 && bits <= 64 && (validBits == 0 || validBits <= bits);
          break;
        case FLOAT:
          bitsOk = bits == 32 || bits == 64;
          break;
        default:
          bitsOk = bits == 8;
      }
      if (!bitsOk) {
        throw c.fault(
            body + 14,
            encoding.label
                + " fmt chunk says "
                + bits
                + " bits per sample"
                + (validBits != 0 ? " (" + validBits + " valid)" : ""));
      }
      int expected = channels * ((bits + 7) / 8);
      if (blockAlign != expected) {
        throw c.fault(
            body + 12,
            "fmt block align "
                + blockAlign
                + " does not match "
                + channels
                + " channels of "
                + bits
                + "-bit samples ("
                + expected
                + ")");
      }
    }
    return new Info(
        container,
        tag,
        encoding,
        subFormat,
        effective,
        (int) rate,
        channels,
        bits,
        validBits,
        mask,
        blockAlign,
        0,
        0,
        0);
  }

  private static String guid(Content c, int at) {
    long d1 = c.u32le(at, "GUID");
    int d2 = c.u16le(at + 4, "GUID");
    int d3 = c.u16le(at + 6, "GUID");
    StringBuilder s = new StringBuilder(36);
    s.append(String.format(Locale.ROOT, "%08x-%04x-%04x-", d1, d2, d3));
    for (int i = 8; i < 16; i++) {
      if (i == 10) {
        s.append('-');
      }
      s.append(String.format(Locale.ROOT, "%02x", c.at(at + i)));
    }
    return s.toString();
  }

  /** The four-character id at {@code at} (printable ASCII, else {@code ?}), in quotes. */
  private static String quoted(Content c, int at) {
    return "\"" + c.ascii(at, 4, "chunk id") + "\"";
  }

  // ---------------------------------------------------------------- inspector

  /**
   * Facts: {@code formatTag}, {@code encoding} ({@code pcm}, {@code float}, {@code alaw}, {@code
   * mulaw}, or the tag in hex), {@code extensible}, and when extensible {@code subFormat}, {@code
   * validBitsPerSample}, {@code channelMask}; then {@code sampleRate}, {@code channels}, {@code
   * bitsPerSample}, {@code precision} (when known), {@code blockAlign}, {@code dataOffset}, {@code
   * dataLength} (capped at the bytes present), {@code declaredDataLength}, {@code sizeCapped},
   * {@code frames}, {@code durationSeconds}.
   */
  static Map<String, Object> inspect(ByteBuffer content) {
    Info w = parse(new Content(MediaKinds.WAV, content));
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("formatTag", w.formatTag());
    facts.put("encoding", w.encodingName());
    facts.put("extensible", w.formatTag() == TAG_EXTENSIBLE);
    if (w.formatTag() == TAG_EXTENSIBLE) {
      facts.put("subFormat", w.subFormat());
      facts.put("validBitsPerSample", w.validBits());
      facts.put("channelMask", w.channelMask());
    }
    facts.put("sampleRate", w.sampleRate());
    facts.put("channels", w.channels());
    facts.put("bitsPerSample", w.bitsPerSample());
    if (w.precision() > 0) {
      facts.put("precision", w.precision());
    }
    facts.put("blockAlign", w.blockAlign());
    facts.put("dataOffset", (long) w.dataOffset());
    facts.put("dataLength", (long) w.dataLength());
    facts.put("declaredDataLength", w.declaredDataLength());
    facts.put("sizeCapped", w.sizeCapped());
    facts.put("frames", w.frames());
    facts.put("durationSeconds", w.durationSeconds());
    return facts;
  }
}
