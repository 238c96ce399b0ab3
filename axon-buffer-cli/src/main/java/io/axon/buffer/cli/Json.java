package io.axon.buffer.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON values on one line: what {@code --json} prints (one object per line, keys in
 * camelCase, in insertion order) and what the server answers. Values are {@link String}, {@link
 * Number}, {@link Boolean}, null, {@link Map} (string keys) and {@link List}. Strings are escaped
 * per RFC 8259, and beyond what it requires: whatever a terminal might obey, as {@link
 * TerminalText} escapes it in text (DEL and the C1 controls, the line separators, the bidirectional
 * controls), as <code>&#92;uNNNN</code>, and a lone surrogate (which UTF-8 cannot encode: a file
 * name's byte that is not UTF-8, see {@link PathNames}) as <code>&#92;udcNN</code>, so that no byte
 * is lost; non-finite doubles become null.
 */
final class Json {

  private Json() {}

  /** The JSON text of {@code value}. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder(128);
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      string(out, (String) value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? value.toString() : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        append(out, e.getValue());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (value instanceof List) {
      out.append('[');
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        append(out, list.get(i));
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (TerminalText.escaped(s, i)) { // (the backslash was handled above)
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
