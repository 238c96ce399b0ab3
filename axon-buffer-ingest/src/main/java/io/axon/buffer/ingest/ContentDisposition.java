package io.axon.buffer.ingest;

import io.axon.buffer.ingest.HeaderParameters.Param;
import io.axon.buffer.ingest.HeaderParameters.SyntaxException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code Content-Disposition: form-data; name="..."; filename="..."} (RFC 7578 §4.2, RFC
 * 6266, RFC 8187, RFC 2231). Internal.
 *
 * <p>{@code name} and {@code filename} prefer their extended forms: {@code filename*} (RFC 8187)
 * first, then RFC 2231 continuations ({@code filename*0}, {@code filename*0*}, …), then plain
 * {@code filename}. An invalid extended form is ignored. A parameter given twice (names compared
 * case-insensitively) is an error, as are a disposition type other than {@code form-data} and a
 * missing {@code name}.
 */
final class ContentDisposition {

  final String type;
  final String name;
  final String filename;
  final String plainFilename;

  /** The parameters in the order sent, names lowercase, no two with one name. */
  final List<Param> parameters;

  private ContentDisposition(
      String type, String name, String filename, String plainFilename, List<Param> parameters) {
    this.type = type;
    this.name = name;
    this.filename = filename;
    this.plainFilename = plainFilename;
    this.parameters = parameters;
  }

  static ContentDisposition parse(String header) throws SyntaxException {
    HeaderParameters parsed = HeaderParameters.parse(header);
    String type = parsed.value();
    if (!Text.equalsAsciiLower(type, "form-data")) {
      throw new SyntaxException(
          "disposition type \"" + Text.printable(type) + "\" is not form-data");
    }
    List<Param> params = parsed.params();
    boolean extended = false;
    int n = params.size();
    Set<String> seen = n > 8 ? new HashSet<>() : null;
    for (int i = 0; i < n; i++) {
      String key = params.get(i).name();
      boolean repeated = false;
      if (seen != null) {
        repeated = !seen.add(key);
      } else {
        for (int k = 0; k < i && !repeated; k++) {
          repeated = params.get(k).name().equals(key);
        }
      }
      if (repeated) {
        throw new SyntaxException("parameter \"" + Text.printable(key) + "\" is given twice");
      }
      extended |= key.indexOf('*') >= 0;
    }
    String name = extended ? resolve(params, "name") : get(params, "name");
    if (name == null) {
      throw new SyntaxException("no name parameter in \"" + Text.printable(header) + "\"");
    }
    String filename = extended ? resolve(params, "filename") : get(params, "filename");
    return new ContentDisposition("form-data", name, filename, get(params, "filename"), params);
  }

  static String get(List<Param> params, String name) {
    for (int i = 0, n = params.size(); i < n; i++) {
      if (params.get(i).name().equals(name)) {
        return params.get(i).value();
      }
    }
    return null;
  }

  /** {@code base*}, then {@code base*0…}, then {@code base}; null if none is present and valid. */
  private static String resolve(List<Param> params, String base) {
    String ext = get(params, base + "*");
    if (ext != null) {
      String decoded = ExtendedValues.decode(ext);
      if (decoded != null) {
        return decoded;
      }
    }
    Map<Integer, ExtendedValues.Segment> segments = new HashMap<>();
    String prefix = base + "*";
    for (Param p : params) {
      String key = p.name();
      if (key.length() > prefix.length() && key.startsWith(prefix)) {
        String rest = key.substring(prefix.length());
        boolean extendedSegment = rest.endsWith("*");
        String digits = extendedSegment ? rest.substring(0, rest.length() - 1) : rest;
        Integer index = parseIndex(digits);
        if (index != null) {
          segments.put(index, new ExtendedValues.Segment(p.value(), extendedSegment));
        }
      }
    }
    if (!segments.isEmpty()) {
      String joined = ExtendedValues.joinContinuations(segments);
      if (joined != null) {
        return joined;
      }
    }
    return get(params, base);
  }

  private static Integer parseIndex(String digits) {
    if (digits.isEmpty()
        || digits.length() > 4
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    return Integer.parseInt(digits);
  }
}
