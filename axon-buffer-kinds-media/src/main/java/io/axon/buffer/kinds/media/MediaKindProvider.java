package io.axon.buffer.kinds.media;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferKind;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.Priority;
import java.util.Collection;
import java.util.List;

/**
 * Declares the seeded media kinds: {@code pcm16}, {@code mulaw8}, {@code wav}, {@code mp3}, {@code
 * opus}, {@code jpeg}, {@code png}, {@code webp}, {@code mp4}, {@code quicktime}, {@code 3gpp},
 * {@code 3gpp2}, {@code heic}, {@code avif}, {@code webm}, {@code pdf}, {@code json}, {@code csv},
 * each with its media types (canonical first), extensions, sniffer and inspector, at {@link
 * Priority#BUILT_IN}. Found by {@link java.util.ServiceLoader}; users never instantiate it.
 *
 * <h2>Headerless audio</h2>
 *
 * {@code pcm16} and {@code mulaw8} have no sniffer: their bytes carry no signature, so their kind
 * is declared by whoever knows it (a {@code Content-Type}, a telephony stack, a file name). The
 * registry lets a file name choose them when no sniffer scored: {@code call.ul} is {@code mulaw8},
 * {@code take.pcm} or {@code take.s16} is {@code pcm16}.
 *
 * <ul>
 *   <li>{@code pcm16} is signed 16-bit <em>little-endian</em>. It does not claim {@code audio/L16}
 *       (RFC 2586), which is big-endian network order; nor the extension {@code .raw}, which sox
 *       and others use for headerless audio of <em>any</em> encoding, so that {@code .raw} stays
 *       {@code raw} unless the caller says more. Its canonical media type {@code audio/pcm} follows
 *       the common speech-API usage (16-bit signed little-endian).
 *   <li>{@code mulaw8} claims {@code audio/basic} (RFC 2046: 8-bit μ-law, 8 kHz, mono, no header),
 *       {@code audio/pcmu} (RFC 3551's name) and {@code audio/x-mulaw}. Sun {@code .au} files,
 *       which have a header, are not claimed.
 * </ul>
 *
 * <h2>Scores</h2>
 *
 * A full signature scores {@value io.axon.buffer.KindSniffer#CERTAIN}; partial or weaker signatures
 * score less (each format class documents its scale); JSON and CSV, which have no signature, stay
 * below {@value io.axon.buffer.KindSniffer#SIGNATURE}. Near misses are not claimed: a RIFF that is
 * not WAVE or WEBP, an EBML document whose DocType is {@code matroska}, an Ogg stream whose first
 * packet is Vorbis.
 *
 * <h2>ISO base media files</h2>
 *
 * MP4, QuickTime, 3GPP, 3GPP2, HEIC and AVIF share one box structure and differ by the brands of
 * their {@code ftyp} box; {@code file(1)}, Tika and browsers give each its own media type, and so
 * does this module: the major brand decides (the first compatible brand naming a family when the
 * major brand names none), so each file is claimed at full score by one kind. MP4 readers play
 * QuickTime and 3GPP movies, so {@code mp4} still scores them below the signature range (a caller's
 * {@code .mp4} name may then not lift it over the real kind's 100); it never scores an image.
 */
@AutoService(BufferKindProvider.class)
public final class MediaKindProvider implements BufferKindProvider {

  private static final List<KindDescriptor> KINDS =
      List.of(
          builtIn(MediaKinds.PCM16)
              .description(
                  "Headerless PCM audio, signed 16-bit little-endian, channels interleaved")
              .mediaTypes("audio/pcm", "audio/x-pcm16le")
              .extensions("pcm", "s16", "s16le")
              .build(),
          builtIn(MediaKinds.MULAW8)
              .description("Headerless G.711 mu-law audio, 8 bits per sample")
              .mediaTypes("audio/basic", "audio/pcmu", "audio/x-mulaw")
              .extensions("ul", "ulaw", "mulaw")
              .build(),
          builtIn(MediaKinds.WAV)
              .description("WAV audio (RIFF/WAVE, RF64)")
              .mediaTypes("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
              .extensions("wav", "wave")
              .sniffer(WavFormat::sniff)
              .inspector(WavFormat::inspect)
              .build(),
          builtIn(MediaKinds.MP3)
              .description("MP3 audio (MPEG-1/2/2.5 Layer III), with or without an ID3v2 tag")
              .mediaTypes("audio/mpeg", "audio/mp3")
              .extensions("mp3")
              .sniffer(Mp3Format::sniff)
              .inspector(Mp3Format::inspect)
              .build(),
          builtIn(MediaKinds.OPUS)
              .description("Opus audio in an Ogg container")
              .mediaTypes("audio/opus")
              .extensions("opus")
              .sniffer(OpusFormat::sniff)
              .inspector(OpusFormat::inspect)
              .build(),
          builtIn(MediaKinds.JPEG)
              .description("JPEG image")
              .mediaTypes("image/jpeg", "image/pjpeg")
              .extensions("jpg", "jpeg", "jpe", "jfif")
              .sniffer(JpegFormat::sniff)
              .inspector(JpegFormat::inspect)
              .build(),
          builtIn(MediaKinds.PNG)
              .description("PNG image")
              .mediaTypes("image/png", "image/apng")
              .extensions("png", "apng")
              .sniffer(PngFormat::sniff)
              .inspector(PngFormat::inspect)
              .build(),
          builtIn(MediaKinds.WEBP)
              .description("WebP image (lossy, lossless or extended)")
              .mediaTypes("image/webp")
              .extensions("webp")
              .sniffer(WebpFormat::sniff)
              .inspector(WebpFormat::inspect)
              .build(),
          builtIn(MediaKinds.MP4)
              .description("MP4 video or audio (ISO base media file format)")
              .mediaTypes("video/mp4", "audio/mp4", "application/mp4")
              .extensions("mp4", "m4a", "m4v", "m4b")
              .sniffer(Mp4Format::sniff)
              .inspector(Mp4Format.inspector(MediaKinds.MP4))
              .build(),
          builtIn(MediaKinds.QUICKTIME)
              .description("QuickTime movie (ISO base media file with the qt brand)")
              .mediaTypes("video/quicktime")
              .extensions("mov", "qt")
              .sniffer(Mp4Format::sniffQuickTime)
              .inspector(Mp4Format.inspector(MediaKinds.QUICKTIME))
              .build(),
          builtIn(MediaKinds.THREE_GPP)
              .description("3GPP video or audio (ISO base media file with a 3gp brand)")
              .mediaTypes("video/3gpp", "audio/3gpp")
              .extensions("3gp", "3gpp")
              .sniffer(Mp4Format::sniff3gpp)
              .inspector(Mp4Format.inspector(MediaKinds.THREE_GPP))
              .build(),
          builtIn(MediaKinds.THREE_GPP2)
              .description("3GPP2 video or audio (ISO base media file with a 3g2 brand)")
              .mediaTypes("video/3gpp2", "audio/3gpp2")
              .extensions("3g2", "3gpp2")
              .sniffer(Mp4Format::sniff3gpp2)
              .inspector(Mp4Format.inspector(MediaKinds.THREE_GPP2))
              .build(),
          builtIn(MediaKinds.HEIC)
              .description("HEIF image, HEVC-coded or of no named codec (HEIC)")
              .mediaTypes("image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence")
              .extensions("heic", "heif", "heics", "heifs")
              .sniffer(HeifFormat::sniffHeic)
              .inspector(HeifFormat.inspector(MediaKinds.HEIC))
              .build(),
          builtIn(MediaKinds.AVIF)
              .description("AVIF image (AV1-coded HEIF)")
              .mediaTypes("image/avif")
              .extensions("avif")
              .sniffer(HeifFormat::sniffAvif)
              .inspector(HeifFormat.inspector(MediaKinds.AVIF))
              .build(),
          builtIn(MediaKinds.WEBM)
              .description("WebM video or audio (Matroska subset with DocType webm)")
              .mediaTypes("video/webm", "audio/webm")
              .extensions("webm")
              .sniffer(WebmFormat::sniff)
              .inspector(WebmFormat::inspect)
              .build(),
          builtIn(MediaKinds.PDF)
              .description("PDF document")
              .mediaTypes("application/pdf")
              .extensions("pdf")
              .sniffer(PdfFormat::sniff)
              .inspector(PdfFormat::inspect)
              .build(),
          builtIn(MediaKinds.JSON)
              .description("JSON text")
              .mediaTypes("application/json", "text/json")
              .extensions("json")
              .sniffer(JsonSniffer::sniff)
              .build(),
          builtIn(MediaKinds.CSV)
              .description("Comma-separated values")
              .mediaTypes("text/csv")
              .extensions("csv")
              .sniffer(CsvSniffer::sniff)
              .build());

  /** A descriptor builder at {@link Priority#BUILT_IN}: these kinds win conflicts with plugins. */
  private static KindDescriptor.Builder builtIn(BufferKind kind) {
    return KindDescriptor.builder(kind).priority(Priority.BUILT_IN);
  }

  /** Called by {@link java.util.ServiceLoader}. */
  public MediaKindProvider() {}

  @Override
  public Collection<KindDescriptor> kinds() {
    return KINDS;
  }
}
