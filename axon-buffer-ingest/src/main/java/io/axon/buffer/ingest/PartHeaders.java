package io.axon.buffer.ingest;

import io.axon.buffer.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a multipart part's header block says: the field name, the file name, the content type, the
 * transfer encoding, every header in the order sent. This is what a {@link PartKindResolver} sees
 * before the part's kind is known; {@link PartInfo} adds the kind.
 *
 * <h2>File names</h2>
 *
 * {@link #filename()} prefers {@code filename*} (RFC 8187, and RFC 2231 continuations) over {@code
 * filename}, ignoring an invalid {@code filename*}; {@code filename=""} is an empty file name, not
 * an absent one. Escaped quotes and backslashes ({@code \"}, {@code \\}) are undone; the name is
 * otherwise kept as sent, paths included: use {@link #safeFilename()} before touching a disk.
 *
 * <p>Malformed quoting is read as Commons FileUpload 2 and Jetty 12 read it, since both accept it:
 * a bare {@code "} inside a quoted value that does not end the parameter is part of the value
 * (Jetty's own HttpClient writes {@code filename="my "quoted" name.txt"}, next to a valid {@code
 * filename*}, which wins anyway), an unterminated quoted value runs to the end of the header, and a
 * parameter without {@code =} is skipped.
 *
 * <p>Implementations are immutable. The parser's own are; an adopter may implement this interface
 * (to test a resolver, say) and must keep it so.
 */
public interface PartHeaders {

  /** The part's position in the body, from 0. */
  int index();

  /**
   * The form field name ({@code name}, or a valid {@code name*}); may be empty, never null. Empty
   * also for a part that names no field (see {@link #hasFieldName()}).
   */
  String name();

  /**
   * False for a part that names no form field: one sent without a Content-Disposition header (as
   * OkHttp sends a part the caller gives headers of its own), or whose Content-Disposition has no
   * {@code name} parameter. RFC 7578 §4.2 requires one; the parser delivers such a part unless
   * {@link MultipartOptions#requireFieldName()} is set. {@code name=""} names a field: the empty
   * one.
   *
   * <p>The default answers from {@link #dispositionParameters()}; the parser's own headers know it
   * exactly.
   */
  default boolean hasFieldName() {
    Map<String, String> p = dispositionParameters();
    return p.containsKey("name") || p.containsKey("name*");
  }

  /**
   * The file name: a valid {@code filename*} (RFC 8187 or RFC 2231 continuations) if sent, else
   * {@code filename}; empty if the part has neither (a plain field). {@code filename=""} gives
   * {@code Optional.of("")}.
   */
  Optional<String> filename();

  /**
   * The plain {@code filename} parameter as sent (quoting undone), even when {@code filename*} won.
   */
  Optional<String> plainFilename();

  /** The Content-Type header value as sent, if any. */
  Optional<String> contentType();

  /** The Content-Transfer-Encoding header value as sent, if any. */
  Optional<String> contentTransferEncoding();

  /** The transfer encoding; the payload is delivered as sent, see {@link Part#decode}. */
  TransferEncoding transferEncoding();

  /** Every header field in the order sent. */
  List<HeaderField> headers();

  /**
   * The Content-Disposition parameters in the order sent: lowercase names, values with quoting
   * undone but not otherwise decoded (so {@code filename*} appears as sent).
   */
  Map<String, String> dispositionParameters();

  /** True if the part carries a file name (a file upload rather than a plain field). */
  default boolean isFile() {
    return filename().isPresent();
  }

  /** {@link FileNames#safeBaseName} of {@link #filename()}. */
  default Optional<String> safeFilename() {
    return filename().map(FileNames::safeBaseName);
  }

  /**
   * The Content-Type as a {@link MediaType}, if present and valid ({@link MediaType#tryParse});
   * {@code text/plain}, which RFC 7578 §4.4 makes the default when it is absent, is left to the
   * caller.
   */
  default Optional<MediaType> mediaType() {
    return MediaType.tryParse(contentType().orElse(null));
  }

  /** The first value of header {@code fieldName} (case-insensitive). */
  default Optional<String> header(String fieldName) {
    for (HeaderField h : headers()) {
      if (h.is(fieldName)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** Every value of header {@code fieldName} (case-insensitive), in order. */
  default List<String> headers(String fieldName) {
    List<String> out = new ArrayList<>(1);
    for (HeaderField h : headers()) {
      if (h.is(fieldName)) {
        out.add(h.value());
      }
    }
    return out;
  }
}
