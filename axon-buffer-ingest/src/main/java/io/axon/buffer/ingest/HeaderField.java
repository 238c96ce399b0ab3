package io.axon.buffer.ingest;

import java.util.Objects;

/**
 * One header field of a part, as sent: the name in its original case, the value unfolded and
 * trimmed of surrounding white space. Header bytes are decoded as UTF-8 when they are valid UTF-8
 * (RFC 7578 §5.1: browsers send UTF-8 file names raw), else as ISO-8859-1.
 *
 * @param name the field name as sent, e.g. {@code Content-Type}
 * @param value the field value
 */
public record HeaderField(String name, String value) {

  /** Checks the components. */
  public HeaderField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** True if this field's name is {@code fieldName}, ignoring ASCII case. */
  public boolean is(String fieldName) {
    return name.equalsIgnoreCase(fieldName);
  }

  /** As {@link #is} for a lowercase token (letters, digits, {@code -}): the parser's fast path. */
  boolean isLower(String lowercaseName) {
    return Text.equalsAsciiLower(name, lowercaseName);
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
