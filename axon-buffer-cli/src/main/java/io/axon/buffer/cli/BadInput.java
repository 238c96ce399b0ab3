package io.axon.buffer.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input that the command could read but not use: a malformed file, a body that is not valid
 * multipart (exit code 1). The message names the file and the fault; {@link #type()} is the name of
 * the typed error behind it, and {@link #details()} extra fields for the JSON error object.
 */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final transient Map<String, Object> details = new LinkedHashMap<>();

  BadInput(String type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  /**
   * An I/O error as bad input: typed by the exception's class, the message {@code what} (e.g.
   * "cannot read x.wav") and the reason in words ({@link IoErrors#reason}).
   */
  static BadInput of(java.io.IOException e, String what) {
    return new BadInput(e.getClass().getSimpleName(), what + ": " + IoErrors.reason(e), e);
  }

  /** Adds a field to the JSON error object. */
  BadInput with(String key, Object value) {
    details.put(key, value);
    return this;
  }

  /** The name of the typed error behind it, e.g. {@code MalformedContentException}. */
  String type() {
    return type;
  }

  /** Extra fields of the JSON error object, in order. */
  Map<String, Object> details() {
    return details;
  }
}
