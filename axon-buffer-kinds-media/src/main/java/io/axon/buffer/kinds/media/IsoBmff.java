package io.axon.buffer.kinds.media;

import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;

/**
 * The brands of an ISO base media file's {@code ftyp} box, sorted into the families that are
 * different kinds (MP4, QuickTime, 3GPP, 3GPP2, HEIC, AVIF), and the one scoring rule every
 * ISO-BMFF sniffer of this module shares, so that each file is claimed with a full score by at most
 * one of them.
 *
 * <p>The rule, for the family a sniffer stands for: the major brand in the family scores {@value
 * KindSniffer#CERTAIN}; a major brand that names no family (unknown, or a HEIF structural brand
 * such as {@code mif1}) leaves the choice to the first compatible brand that names one, which
 * scores 90. MP4 players play QuickTime and 3GPP files, so the MP4 sniffer still scores {@value
 * #RELATIVE} (below {@link KindSniffer#SIGNATURE}: a heuristic, never a claim) on them; a
 * well-formed {@code ftyp} naming no known brand is MP4 at {@link KindSniffer#SIGNATURE}; a HEIF
 * structural brand with no codec brand is {@code heic} (which claims {@code image/heif}) at 60.
 * Image brands are never MP4. The brand lists follow the registrations of the MP4 registration
 * authority and {@code file(1)}'s magic.
 *
 * <p>Cost: a sniff reads at most the {@code ftyp} box (up to 4 KiB of brands), allocation-free.
 */
final class IsoBmff {

  private IsoBmff() {}

  /** What a brand says about the file. */
  enum Family {
    MP4,
    QUICKTIME,
    THREE_GPP,
    THREE_GPP2,
    HEIC,
    AVIF,
    /**
     * HEIF's structural brands ({@code mif1}, {@code msf1}, …) and image codecs of no kind here.
     */
    HEIF_OTHER,
    /** A brand this module does not know. */
    UNKNOWN
  }

  /** The MP4 sniffer's score on QuickTime and 3GPP files: below {@link KindSniffer#SIGNATURE}. */
  static final int RELATIVE = 40;

  /** The score of a HEIF file whose brands name no codec: {@code heic}, the generic HEIF kind. */
  static final int HEIF_GENERIC = 60;

  private static final String[] MP4_BRANDS = {
    "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "mp71",
    "avc1", "dash", "M4A ", "M4B ", "M4P ", "M4V ", "M4VH", "M4VP", "f4v ", "f4a ", "f4p ", "mmp4",
    "MSNV", "cmfc", "cmfa", "cmf2"
  };

  private static final String[] HEIC_BRANDS = {
    "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"
  };

  private static final String[] AVIF_BRANDS = {"avif", "avis"};

  private static final String[] HEIF_OTHER_BRANDS = {
    "mif1", "msf1", "mif2", "miaf", "avci", "avcs", "jpeg", "jpgs", "vvic", "vvis"
  };

  /** The family of the four-byte brand at absolute index {@code at} (caller checked bounds). */
  static Family family(ByteBuffer b, int at) {
    if (b.get(at) == '3' && b.get(at + 1) == 'g') {
      return b.get(at + 2) == '2' ? Family.THREE_GPP2 : Family.THREE_GPP;
    }
    if (Bytes.matches(b, at, at + 4, "qt  ")) {
      return Family.QUICKTIME;
    }
    if (isOneOf(b, at, MP4_BRANDS)) {
      return Family.MP4;
    }
    if (isOneOf(b, at, HEIC_BRANDS)) {
      return Family.HEIC;
    }
    if (isOneOf(b, at, AVIF_BRANDS)) {
      return Family.AVIF;
    }
    if (isOneOf(b, at, HEIF_OTHER_BRANDS)) {
      return Family.HEIF_OTHER;
    }
    return Family.UNKNOWN;
  }

  /**
   * The score of {@code head} for the sniffer of {@code kind} (one of MP4, QUICKTIME, THREE_GPP,
   * THREE_GPP2, HEIC, AVIF).
   */
  static int score(ByteBuffer head, Family kind) {
    int p = head.position();
    int end = head.limit();
    if (end - p < 12 || !Bytes.matches(head, p + 4, end, "ftyp")) {
      return 0;
    }
    long size = Bytes.u32be(head, p);
    if (size < 16 || (size & 3) != 0 || size > 4096) {
      // The start of an ftyp box cut before its minor version: only MP4 hedges on it.
      return kind == Family.MP4 && end - p < 16 ? 30 : 0;
    }
    Family major = family(head, p + 8);
    Family decided = major;
    if (major == Family.UNKNOWN || major == Family.HEIF_OTHER) {
      int brandsEnd = (int) Math.min(end, p + size);
      for (int b = p + 16; b + 4 <= brandsEnd; b += 4) {
        Family compatible = family(head, b);
        if (compatible != Family.UNKNOWN && compatible != Family.HEIF_OTHER) {
          decided = compatible;
          break;
        }
      }
    }
    if (decided == kind) {
      return decided == major ? KindSniffer.CERTAIN : 90;
    }
    if (kind == Family.MP4) {
      return switch (decided) {
        case QUICKTIME, THREE_GPP, THREE_GPP2 -> RELATIVE;
        case UNKNOWN -> KindSniffer.SIGNATURE;
        default -> 0;
      };
    }
    return kind == Family.HEIC && decided == Family.HEIF_OTHER ? HEIF_GENERIC : 0;
  }

  private static boolean isOneOf(ByteBuffer head, int at, String[] brands) {
    for (String brand : brands) {
      if (Bytes.matches(head, at, at + 4, brand)) {
        return true;
      }
    }
    return false;
  }
}
