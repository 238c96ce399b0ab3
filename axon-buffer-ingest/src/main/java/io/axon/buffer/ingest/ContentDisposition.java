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
 * {@code filename}. An invalid extended form is ignored.
 *
 * <p>The parameters are read with {@link HeaderParameters}' recovery on (see {@link
 * HeaderParameters#parse(String, boolean)}), because Commons FileUpload 2 and Jetty 12 both accept
 * the part when it has: a quoted value with a bare {@code "} inside (Jetty's own HttpClient writes
 * a file name so, next to a valid {@code filename*}, which then wins for all three), an
 * unterminated quoted value, a malformed parameter (skipped). Without a {@code filename*} the peers
 * read such values differently (the bench module's {@code RealClientBodiesTest} pins each reading):
 * Jetty drops a file name or field name it cannot read (the part becomes a plain field, or
 * nameless); Commons keeps raw text ({@code filename="a.txt} is {@code "a.txt}, a bare {@code
 * filename} is empty, {@code filename="a"b.txt"} is {@code a"b.txt}). This class reads what the
 * sender meant: {@code a"b.txt}, {@code a.txt}, no file name. Still errors: a parameter given twice
 * (names compared case-insensitively; both peers take the last, a proxy may take the first, so the
 * part has two readings) and a disposition type other than {@code form-data} (Commons drops such a
 * part). A missing {@code name} leaves {@link #name} null: the caller decides (see {@link
 * MultipartOptions#requireFieldName()}).
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

  /** A part without a Content-Disposition header: no name, no file name, no parameters. */
  static final ContentDisposition NONE = new ContentDisposition(null, null, null, null, List.of());

  static ContentDisposition parse(String header) throws SyntaxException {
    ContentDisposition simple = simple(header);
    return simple != null ? simple : parseGeneral(header);
  }

  /** The prefix of the shape {@link #simple} reads. */
  private static final String SIMPLE_NAME = "form-data; name=\"";

  private static final String SIMPLE_FILENAME = "; filename=\"";

  /**
   * The shape nearly every client sends, read without the general parser: {@code form-data;
   * name="v"}, optionally followed by {@code ; filename="f"}, with one space after each {@code ;}
   * and values without {@code "} or {@code \}. Null for anything else, which {@link #parseGeneral}
   * reads; on this shape both give the same result ({@code ContentDispositionTest} checks it). A
   * per-part saving: no character array, no parameter list to search.
   */
  static ContentDisposition simple(String h) {
    if (!h.startsWith(SIMPLE_NAME)) {
      return null;
    }
    int n = h.length();
    int close = closingQuote(h, SIMPLE_NAME.length());
    if (close < 0) {
      return null;
    }
    String name = h.substring(SIMPLE_NAME.length(), close);
    if (close == n - 1) {
      return formField(name);
    }
    Param nameParam = new Param("name", name, true);
    if (!h.startsWith(SIMPLE_FILENAME, close + 1)) {
      return null;
    }
    int from = close + 1 + SIMPLE_FILENAME.length();
    int end = closingQuote(h, from);
    if (end != n - 1) {
      return null;
    }
    String filename = h.substring(from, end);
    return new ContentDisposition(
        "form-data",
        name,
        filename,
        filename,
        List.of(nameParam, new Param("filename", filename, true)));
  }

  /** {@code form-data; name="name"}: what {@link #parse} gives for that value. */
  static ContentDisposition formField(String name) {
    return new ContentDisposition(
        "form-data", name, null, null, List.of(new Param("name", name, true)));
  }

  /**
   * The index of the first {@code "} from {@code i}, or -1 if there is none or a {@code \} comes
   * first (an escape, which the general parser reads). Other characters are taken as they are, as
   * the general parser takes them (the header block has already refused control characters).
   */
  private static int closingQuote(String h, int i) {
    int quote = h.indexOf('"', i);
    int escape = h.indexOf('\\', i);
    return quote >= 0 && (escape < 0 || escape > quote) ? quote : -1;
  }

  /** Any Content-Disposition value, with {@link HeaderParameters}' recovery on. */
  static ContentDisposition parseGeneral(String header) throws SyntaxException {
    HeaderParameters parsed = HeaderParameters.parse(header, true);
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
