package io.axon.buffer.cli;

/**
 * Input that the command could read but not use: a malformed file, a body that is not valid
 * multipart (exit code 1). The message names the file and the fault.
 */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;

  BadInput(String type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  /** The name of the typed error behind it, e.g. {@code MalformedContentException}. */
  String type() {
    return type;
  }
}
