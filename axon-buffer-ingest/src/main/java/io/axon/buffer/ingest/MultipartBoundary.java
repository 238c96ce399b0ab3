package io.axon.buffer.ingest;

import io.axon.buffer.MediaType;
import io.axon.buffer.ingest.HeaderParameters.SyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The boundary of a multipart body: read from a Content-Type ({@link #of}), checked ({@link
 * #check}: RFC 2046 {@code bchars}, or any printable ASCII in lenient mode), turned into the
 * delimiter the parser searches ({@link #delimiter}). The rules are documented on {@link
 * MultipartParser#boundaryOf}. Internal; stateless.
 *
 * <p>The type is compared through {@link MediaType}, the library's one normalizer; the parameters
 * are read by the more lenient {@link HeaderParameters}, because real clients send unquoted
 * boundaries outside RFC 9110's token grammar ({@code boundary=----=_Part_0_1.2}) that {@link
 * MediaType#parse} refuses.
 */
final class MultipartBoundary {

  private MultipartBoundary() {}

  /** See {@link MultipartParser#boundaryOf(String, MultipartOptions)}. */
  static String of(String contentType, boolean lenient) {
    if (contentType == null || contentType.isBlank()) {
      throw MultipartException.of(
          MultipartFault.INVALID_CONTENT_TYPE,
          "no Content-Type: expected multipart/form-data with a boundary");
    }
    HeaderParameters parsed;
    try {
      parsed = HeaderParameters.parse(contentType);
    } catch (SyntaxException e) {
      throw MultipartException.of(
          MultipartFault.INVALID_CONTENT_TYPE,
          "cannot parse Content-Type \"" + Text.printable(contentType) + "\": " + e.getMessage());
    }
    Optional<MediaType> type = MediaType.tryParse(parsed.value());
    if (type.isEmpty() || !type.get().essence().equals("multipart/form-data")) {
      throw MultipartException.of(
          MultipartFault.INVALID_CONTENT_TYPE,
          "Content-Type is \"" + Text.printable(parsed.value()) + "\", not multipart/form-data");
    }
    List<String> boundaries = parsed.all("boundary");
    if (boundaries.isEmpty()) {
      throw MultipartException.of(
          MultipartFault.INVALID_BOUNDARY,
          "no boundary parameter in \"" + Text.printable(contentType) + "\"");
    }
    if (boundaries.size() > 1) {
      throw MultipartException.of(
          MultipartFault.INVALID_BOUNDARY,
          "boundary given "
              + boundaries.size()
              + " times in \""
              + Text.printable(contentType)
              + "\"");
    }
    return check(boundaries.get(0), lenient);
  }

  /**
   * {@code b} if it is a boundary this parser accepts: RFC 2046 {@code bchars} only, or with {@code
   * lenient} any printable ASCII character (see {@link MultipartOptions.Builder#lenientBoundary}).
   *
   * @throws MultipartException {@link MultipartFault#INVALID_BOUNDARY} naming what is wrong
   */
  static String check(String b, boolean lenient) {
    if (b.isEmpty()) {
      throw MultipartException.of(MultipartFault.INVALID_BOUNDARY, "boundary is empty");
    }
    if (b.length() > MultipartParser.MAX_BOUNDARY_LENGTH) {
      throw MultipartException.of(
          MultipartFault.INVALID_BOUNDARY,
          "boundary \""
              + Text.printable(b)
              + "\" has "
              + b.length()
              + " characters, more than "
              + MultipartParser.MAX_BOUNDARY_LENGTH);
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        String what =
            c == '\r' ? "CR" : c == '\n' ? "LF" : c == 0 ? "NUL" : String.format("U+%04X", (int) c);
        throw MultipartException.of(
            MultipartFault.INVALID_BOUNDARY,
            "boundary \"" + Text.printable(b) + "\" contains " + what + " at index " + i);
      }
      if (!lenient && !isBchar(c)) {
        throw MultipartException.of(
            MultipartFault.INVALID_BOUNDARY,
            "boundary \""
                + Text.printable(b)
                + "\" contains '"
                + c
                + "' at index "
                + i
                + ", which is not one of RFC 2046's boundary characters"
                + (c == '"' || c == '\\'
                    ? " (a quote or backslash in a boundary is where a proxy that reads the"
                        + " quoting differently can see other parts than this parser)"
                    : "")
                + "; lenientBoundary accepts any printable ASCII character");
      }
    }
    if (b.charAt(b.length() - 1) == ' ') {
      throw MultipartException.of(
          MultipartFault.INVALID_BOUNDARY,
          "boundary \""
              + Text.printable(b)
              + "\" ends with a space (RFC 2046 bcharsnospace: the last character"
              + " of a boundary is not a space)");
    }
    return b;
  }

  /** RFC 2046 §5.1.1 {@code bchars}: digits, letters, {@code '()+_,-./:=?} and space. */
  static boolean isBchar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || "'()+_,-./:=? ".indexOf(c) >= 0;
  }

  /**
   * The delimiter of a checked boundary: {@code CR LF - - boundary}. Its first byte (CR, or LF from
   * index 1 in lenient mode) occurs nowhere else in it, as {@link DelimiterSearch} requires.
   */
  static byte[] delimiter(String boundary) {
    byte[] b = boundary.getBytes(StandardCharsets.US_ASCII);
    byte[] delimiter = new byte[4 + b.length];
    delimiter[0] = '\r';
    delimiter[1] = '\n';
    delimiter[2] = '-';
    delimiter[3] = '-';
    System.arraycopy(b, 0, delimiter, 4, b.length);
    return delimiter;
  }
}
