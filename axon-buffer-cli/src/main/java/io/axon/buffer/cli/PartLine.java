package io.axon.buffer.cli;

import io.axon.buffer.ingest.Part;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code multipart} and {@code serve} report of a part: field, filename, contentType, kind,
 * size, sha256 (and the transfer encoding when there is one), in that order; a part that names no
 * field has field {@code null} (JSON) or {@code -} (text).
 */
final class PartLine {

  private PartLine() {}

  /** Whether a part's line carries its digest ({@code serve --digest}). */
  enum Digest {
    /** The SHA-256 of the part's bytes, read once more for it (the default). */
    SHA256,
    /** No digest: the line has no {@code sha256}, and the part's bytes are not read again. */
    NONE
  }

  /** The part's facts; reads its payload once for the digest. */
  static Map<String, Object> of(Part part) {
    return of(part, Digest.SHA256);
  }

  /** The part's facts, with its SHA-256 unless {@code digest} is {@link Digest#NONE}. */
  static Map<String, Object> of(Part part, Digest digest) {
    Map<String, Object> o = new LinkedHashMap<>();
    // A part that names no field (no Content-Disposition) shows no field, as a file name is shown.
    o.put("field", part.info().hasFieldName() ? part.name() : null);
    o.put("filename", part.filename().orElse(null));
    o.put("contentType", part.contentType().orElse(null));
    o.put("kind", part.kind().slug());
    o.put("size", part.size());
    if (digest == Digest.SHA256) {
      o.put("sha256", part.payload().sha256Hex());
    }
    part.info().contentTransferEncoding().ifPresent(cte -> o.put("transferEncoding", cte));
    return o;
  }

  /**
   * {@code field=… filename="…" contentType=… kind=… size=… sha256=…}; absent values as {@code -},
   * field and filename as JSON strings, the rest escaped for the terminal ({@link TerminalText}).
   */
  static String text(Map<String, Object> o) {
    StringBuilder line = new StringBuilder();
    for (Map.Entry<String, Object> e : o.entrySet()) {
      if (line.length() > 0) {
        line.append(' ');
      }
      Object v = e.getValue();
      line.append(e.getKey()).append('=');
      if (v == null) {
        line.append('-');
      } else if (e.getKey().equals("filename") || e.getKey().equals("field")) {
        line.append(Json.write(v.toString()));
      } else {
        line.append(TerminalText.escape(v.toString())); // a body's header values are the sender's
      }
    }
    return line.toString();
  }
}
