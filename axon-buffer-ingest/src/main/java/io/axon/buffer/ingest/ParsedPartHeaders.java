package io.axon.buffer.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link PartHeaders} a {@link PartHeaderBlock} parses: plain fields, the absent ones null.
 * Immutable. Internal.
 */
final class ParsedPartHeaders implements PartHeaders {

  private final int index;
  private final String name;
  private final boolean hasFieldName;
  private final String filename;
  private final String plainFilename;
  private final String contentType;
  private final String contentTransferEncoding;
  private final TransferEncoding transferEncoding;
  private final List<HeaderField> headers;
  private final List<HeaderParameters.Param> dispositionParameters;

  /**
   * @param disposition the parsed Content-Disposition, {@link ContentDisposition#NONE} when the
   *     part has none
   * @param headers the header fields in order, unmodifiable (kept as given)
   */
  ParsedPartHeaders(
      int index,
      ContentDisposition disposition,
      String contentType,
      String contentTransferEncoding,
      List<HeaderField> headers) {
    this.index = index;
    this.hasFieldName = disposition.name != null;
    this.name = hasFieldName ? disposition.name : "";
    this.filename = disposition.filename;
    this.plainFilename = disposition.plainFilename;
    this.contentType = contentType;
    this.contentTransferEncoding = contentTransferEncoding;
    this.transferEncoding = TransferEncoding.of(contentTransferEncoding);
    this.headers = headers;
    this.dispositionParameters = disposition.parameters;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean hasFieldName() {
    return hasFieldName;
  }

  @Override
  public Optional<String> filename() {
    return Optional.ofNullable(filename);
  }

  @Override
  public Optional<String> plainFilename() {
    return Optional.ofNullable(plainFilename);
  }

  @Override
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  @Override
  public Optional<String> contentTransferEncoding() {
    return Optional.ofNullable(contentTransferEncoding);
  }

  @Override
  public TransferEncoding transferEncoding() {
    return transferEncoding;
  }

  @Override
  public List<HeaderField> headers() {
    return headers;
  }

  @Override
  public Map<String, String> dispositionParameters() {
    Map<String, String> map = new LinkedHashMap<>();
    for (HeaderParameters.Param p : dispositionParameters) {
      map.put(p.name(), p.value());
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean isFile() {
    return filename != null;
  }

  @Override
  public String toString() {
    return "part "
        + index
        + (hasFieldName ? " name=\"" + Text.printable(name) + "\"" : " (no field name)")
        + (filename == null ? "" : " filename=\"" + Text.printable(filename) + "\"")
        + (contentType == null ? "" : " contentType=\"" + Text.printable(contentType) + "\"");
  }
}
