package io.axon.buffer.cli;

/** A command line that cannot be run as given (exit code 2). */
final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageError(String message) {
    super(message);
  }
}
