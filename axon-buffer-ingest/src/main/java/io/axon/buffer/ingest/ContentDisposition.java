package io.axon.buffer.ingest;

import io.axon.buffer.ingest.HeaderParameters.Param;
import io.axon.buffer.ingest.HeaderParameters.SyntaxException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code Content-Disposition: form-data; name="..."; filename="..."} (RFC 7578 §4.2,
 * RFC 6266, RFC 8187, RFC 2231). Internal.
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
  final Map<String, String> parameters;

  private ContentDisposition(String type, String name, String filename, String plainFilename,
      Map<String, String> parameters) {
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
      throw new SyntaxException("disposition type \"" + Text.printable(type)
          + "\" is not form-data");
    }
    Map<String, String> params = new LinkedHashMap<>();
    boolean extended = false;
    for (Param p : parsed.params()) {
      if (params.putIfAbsent(p.name(), p.value()) != null) {
        throw new SyntaxException("parameter \"" + Text.printable(p.name()) + "\" is given twice");
      }
      extended |= p.name().indexOf('*') >= 0;
    }
    String name = extended ? resolve(params, "name") : params.get("name");
    if (name == null) {
      throw new SyntaxException("no name parameter in \"" + Text.printable(header) + "\"");
    }
    String filename = extended ? resolve(params, "filename") : params.get("filename");
    return new ContentDisposition(type.toLowerCase(Locale.ROOT), name, filename,
        params.get("filename"), Collections.unmodifiableMap(params));
  }

  /** {@code base*}, then {@code base*0…}, then {@code base}; null if none is present and valid. */
  private static String resolve(Map<String, String> params, String base) {
    String ext = params.get(base + "*");
    if (ext != null) {
      String decoded = ExtendedValues.decode(ext);
      if (decoded != null) {
        return decoded;
      }
    }
    Map<Integer, ExtendedValues.Segment> segments = new HashMap<>();
    String prefix = base + "*";
    for (Map.Entry<String, String> e : params.entrySet()) {
      String key = e.getKey();
      if (key.length() > prefix.length() && key.startsWith(prefix)) {
        String rest = key.substring(prefix.length());
        boolean extended = rest.endsWith("*");
        String digits = extended ? rest.substring(0, rest.length() - 1) : rest;
        Integer index = parseIndex(digits);
        if (index != null) {
          segments.put(index, new ExtendedValues.Segment(e.getValue(), extended));
        }
      }
    }
    if (!segments.isEmpty()) {
      String joined = ExtendedValues.joinContinuations(segments);
      if (joined != null) {
        return joined;
      }
    }
    return params.get(base);
  }

  private static Integer parseIndex(String digits) {
    if (digits.isEmpty() || digits.length() > 4 || (digits.length() > 1 && digits.charAt(0) == '0')) {
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
