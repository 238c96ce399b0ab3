package io.axon.buffer.ingest;

import java.util.Locale;

/**
 * A part's {@code Content-Transfer-Encoding}. HTTP clients should not send one (RFC 7578 §4.7), but
 * mail-library senders do (Python's {@code email} writes base64). The parser delivers the payload
 * as sent and reports the encoding; {@link Part#decode} decodes on request.
 */
public enum TransferEncoding {
  /** No Content-Transfer-Encoding header. */
  NONE,
  /** {@code 7bit}: identity. */
  SEVEN_BIT,
  /** {@code 8bit}: identity. */
  EIGHT_BIT,
  /** {@code binary}: identity. */
  BINARY,
  /** {@code base64} (RFC 2045 §6.8). */
  BASE64,
  /** {@code quoted-printable} (RFC 2045 §6.7). */
  QUOTED_PRINTABLE,
  /** Any other value (kept in {@link PartInfo#contentTransferEncoding()}); delivered raw. */
  UNKNOWN;

  /** The encoding a header value names (case-insensitive); null gives {@link #NONE}. */
  public static TransferEncoding of(String headerValue) {
    if (headerValue == null) {
      return NONE;
    }
    switch (headerValue.trim().toLowerCase(Locale.ROOT)) {
      case "7bit":
        return SEVEN_BIT;
      case "8bit":
        return EIGHT_BIT;
      case "binary":
        return BINARY;
      case "base64":
        return BASE64;
      case "quoted-printable":
        return QUOTED_PRINTABLE;
      default:
        return UNKNOWN;
    }
  }

  /** True for {@link #BASE64} and {@link #QUOTED_PRINTABLE}: the payload is not the content. */
  public boolean isEncoded() {
    return this == BASE64 || this == QUOTED_PRINTABLE;
  }
}
