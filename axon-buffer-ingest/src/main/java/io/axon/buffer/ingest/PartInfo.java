package io.axon.buffer.ingest;

import io.axon.buffer.BufferKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a part's header block says ({@link PartHeaders}: the field name, the file name, the content
 * type, the transfer encoding, every header in the order sent), plus the kind of its content.
 * Immutable; given with the part-start event ({@link MultipartListener#onPartStart}) and with the
 * finished {@link Part}.
 *
 * <h2>Kind</h2>
 *
 * {@link #kind()} is what the parser's {@link MultipartOptions#kindResolver() kind resolver} said.
 * The default ({@link PartKindResolver#standard}) takes the Content-Type (through the {@link
 * io.axon.buffer.BufferKindRegistry} the parser was given), refined by sniffing the first bytes of
 * the content: a signature match wins over a declared type; a declared type whose own sniffer
 * rejects the bytes is dropped for what the bytes (and the file name) say. Not sniffed: encoded
 * parts (base64, quoted-printable), whose payload is not the content, and plain form values (no
 * file name, no Content-Type), which RFC 7578 §4.4 makes {@code text/plain}: their kind is {@code
 * raw}, and sniffing every small field would cost more than parsing it.
 */
public final class PartInfo implements PartHeaders {

  private final PartHeaders headers;
  private final BufferKind kind;

  PartInfo(PartHeaders headers, BufferKind kind) {
    this.headers = Objects.requireNonNull(headers, "headers");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  @Override
  public int index() {
    return headers.index();
  }

  @Override
  public String name() {
    return headers.name();
  }

  @Override
  public boolean hasFieldName() {
    return headers.hasFieldName();
  }

  @Override
  public Optional<String> filename() {
    return headers.filename();
  }

  @Override
  public Optional<String> plainFilename() {
    return headers.plainFilename();
  }

  @Override
  public boolean isFile() {
    return headers.isFile();
  }

  @Override
  public Optional<String> contentType() {
    return headers.contentType();
  }

  @Override
  public Optional<String> contentTransferEncoding() {
    return headers.contentTransferEncoding();
  }

  @Override
  public TransferEncoding transferEncoding() {
    return headers.transferEncoding();
  }

  @Override
  public List<HeaderField> headers() {
    return headers.headers();
  }

  @Override
  public Map<String, String> dispositionParameters() {
    return headers.dispositionParameters();
  }

  /** The content kind (see the class documentation). */
  public BufferKind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return headers + " kind=" + kind;
  }
}
