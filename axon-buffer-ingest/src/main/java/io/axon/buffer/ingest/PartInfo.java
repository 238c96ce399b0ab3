package io.axon.buffer.ingest;

import com.google.common.net.MediaType;
import io.axon.buffer.BufferKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a part's header block says, plus the kind of its content: the field name, the file name, the
 * content type, the transfer encoding, every header in the order sent. Immutable; given with the
 * part-start event ({@link MultipartListener#onPartStart}) and with the finished {@link Part}.
 *
 * <h2>File names</h2>
 *
 * {@link #filename()} prefers {@code filename*} (RFC 8187, and RFC 2231 continuations) over {@code
 * filename}, ignoring an invalid {@code filename*}; {@code filename=""} is an empty file name, not
 * an absent one. Escaped quotes and backslashes ({@code \"}, {@code \\}) are undone; the name is
 * otherwise kept as sent, paths included: use {@link #safeFilename()} before touching a disk.
 *
 * <h2>Kind</h2>
 *
 * {@link #kind()} comes from the Content-Type (through the {@link
 * io.axon.buffer.BufferKindRegistry} the parser was given), refined by sniffing the first bytes of
 * the content: a signature match wins over a declared type; a declared type whose own sniffer
 * rejects the bytes is dropped for what the bytes (and the file name) say. Not sniffed: encoded
 * parts (base64, quoted-printable), whose payload is not the content, and plain form values (no
 * file name, no Content-Type), which RFC 7578 §4.4 makes {@code text/plain}: their kind is {@code
 * raw}, and sniffing every small field would cost more than parsing it.
 */
public final class PartInfo {

  private final int index;
  private final String name;
  private final String filename;
  private final String plainFilename;
  private final String contentType;
  private final String contentTransferEncoding;
  private final TransferEncoding transferEncoding;
  private final List<HeaderField> headers;
  private final List<HeaderParameters.Param> dispositionParameters;
  private final BufferKind kind;

  PartInfo(
      int index,
      String name,
      String filename,
      String plainFilename,
      String contentType,
      String contentTransferEncoding,
      List<HeaderField> headers,
      List<HeaderParameters.Param> dispositionParameters,
      BufferKind kind) {
    this.index = index;
    this.name = Objects.requireNonNull(name, "name");
    this.filename = filename;
    this.plainFilename = plainFilename;
    this.contentType = contentType;
    this.contentTransferEncoding = contentTransferEncoding;
    this.transferEncoding = TransferEncoding.of(contentTransferEncoding);
    this.headers = Collections.unmodifiableList(headers);
    this.dispositionParameters = dispositionParameters;
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** The part's position in the body, from 0. */
  public int index() {
    return index;
  }

  /** The form field name ({@code name}, or a valid {@code name*}); may be empty, never null. */
  public String name() {
    return name;
  }

  /**
   * The file name: a valid {@code filename*} (RFC 8187 or RFC 2231 continuations) if sent, else
   * {@code filename}; empty if the part has neither (a plain field). {@code filename=""} gives
   * {@code Optional.of("")}.
   */
  public Optional<String> filename() {
    return Optional.ofNullable(filename);
  }

  /**
   * The plain {@code filename} parameter as sent (quoting undone), even when {@code filename*} won.
   */
  public Optional<String> plainFilename() {
    return Optional.ofNullable(plainFilename);
  }

  /** {@link FileNames#safeBaseName} of {@link #filename()}. */
  public Optional<String> safeFilename() {
    return filename == null ? Optional.empty() : Optional.of(FileNames.safeBaseName(filename));
  }

  /** True if the part carries a file name (a file upload rather than a plain field). */
  public boolean isFile() {
    return filename != null;
  }

  /** The Content-Type header value as sent, if any. */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /**
   * The Content-Type parsed by Guava, if present and valid ({@code text/plain} when absent, as RFC
   * 7578 §4.4 defaults it, is left to the caller).
   */
  public Optional<MediaType> mediaType() {
    if (contentType == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MediaType.parse(contentType));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The Content-Transfer-Encoding header value as sent, if any. */
  public Optional<String> contentTransferEncoding() {
    return Optional.ofNullable(contentTransferEncoding);
  }

  /** The transfer encoding; the payload is delivered as sent, see {@link Part#decode}. */
  public TransferEncoding transferEncoding() {
    return transferEncoding;
  }

  /** Every header field in the order sent. */
  public List<HeaderField> headers() {
    return headers;
  }

  /** The first value of header {@code fieldName} (case-insensitive). */
  public Optional<String> header(String fieldName) {
    for (HeaderField h : headers) {
      if (h.is(fieldName)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** Every value of header {@code fieldName} (case-insensitive), in order. */
  public List<String> headers(String fieldName) {
    List<String> out = new ArrayList<>(1);
    for (HeaderField h : headers) {
      if (h.is(fieldName)) {
        out.add(h.value());
      }
    }
    return out;
  }

  /**
   * The Content-Disposition parameters in the order sent: lowercase names, values with quoting
   * undone but not otherwise decoded (so {@code filename*} appears as sent).
   */
  public Map<String, String> dispositionParameters() {
    Map<String, String> map = new LinkedHashMap<>();
    for (HeaderParameters.Param p : dispositionParameters) {
      map.put(p.name(), p.value());
    }
    return Collections.unmodifiableMap(map);
  }

  /** The content kind (see the class documentation). */
  public BufferKind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "part "
        + index
        + " name=\""
        + Text.printable(name)
        + "\""
        + (filename == null ? "" : " filename=\"" + Text.printable(filename) + "\"")
        + (contentType == null ? "" : " contentType=\"" + Text.printable(contentType) + "\"")
        + " kind="
        + kind;
  }
}
