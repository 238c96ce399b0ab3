package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;

/**
 * The kinds this module seeds, as constants. Each is the interned {@link BufferKind} of its slug,
 * so {@code MediaKinds.JPEG == BufferKind.of("jpeg")}; the descriptors (media types, extensions,
 * sniffers, inspectors) come from {@link MediaKindProvider} through the registry.
 */
public final class MediaKinds {

  private MediaKinds() {}

  /**
   * Headerless PCM: signed 16-bit little-endian samples, channels interleaved. Rate and channel
   * count are not in the bytes: whoever declares the kind knows them. Not {@code audio/L16}, which
   * is big-endian.
   */
  public static final BufferKind PCM16 = BufferKind.of("pcm16");

  /** Headerless G.711 μ-law: one byte per sample (telephony audio, usually 8 kHz mono). */
  public static final BufferKind MULAW8 = BufferKind.of("mulaw8");

  /** RIFF/WAVE audio (also RF64 and BW64). */
  public static final BufferKind WAV = BufferKind.of("wav");

  /** MPEG-1/2/2.5 Audio Layer III, with or without an ID3v2 tag in front. */
  public static final BufferKind MP3 = BufferKind.of("mp3");

  /** Opus audio in an Ogg container (RFC 7845). */
  public static final BufferKind OPUS = BufferKind.of("opus");

  /** JPEG image (JFIF, EXIF or bare JPEG interchange format). */
  public static final BufferKind JPEG = BufferKind.of("jpeg");

  /** PNG image (and APNG, which is a PNG). */
  public static final BufferKind PNG = BufferKind.of("png");

  /** WebP image (lossy VP8, lossless VP8L, extended VP8X). */
  public static final BufferKind WEBP = BufferKind.of("webp");

  /** MP4 / ISO base media file (identified by its {@code ftyp} box). */
  public static final BufferKind MP4 = BufferKind.of("mp4");

  /** QuickTime movie: an ISO base media file whose major brand is {@code qt}. */
  public static final BufferKind QUICKTIME = BufferKind.of("quicktime");

  /** 3GPP video or audio: an ISO base media file with a {@code 3gp}/{@code 3gr}/… brand. */
  public static final BufferKind THREE_GPP = BufferKind.of("3gpp");

  /** 3GPP2 video or audio: an ISO base media file with a {@code 3g2} brand. */
  public static final BufferKind THREE_GPP2 = BufferKind.of("3gpp2");

  /**
   * HEIF image coded with HEVC ({@code heic}, {@code heix}, … brands), and HEIF whose brands name
   * no codec ({@code mif1} alone): the kind of {@code image/heic} and {@code image/heif}.
   */
  public static final BufferKind HEIC = BufferKind.of("heic");

  /** AVIF image: HEIF coded with AV1 ({@code avif}, {@code avis} brands). */
  public static final BufferKind AVIF = BufferKind.of("avif");

  /** WebM: a Matroska subset, identified by its EBML DocType {@code webm}. */
  public static final BufferKind WEBM = BufferKind.of("webm");

  /** PDF document. */
  public static final BufferKind PDF = BufferKind.of("pdf");

  /** JSON text (RFC 8259). */
  public static final BufferKind JSON = BufferKind.of("json");

  /** Comma-separated values (RFC 4180). */
  public static final BufferKind CSV = BufferKind.of("csv");
}
