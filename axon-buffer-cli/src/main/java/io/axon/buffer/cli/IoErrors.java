package io.axon.buffer.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The reason of an I/O error in words, without the file name the JDK puts in most messages (the
 * command names the file itself, with its real bytes: see {@link PathNames}).
 */
final class IoErrors {

  private IoErrors() {}

  /** What went wrong, e.g. {@code no such file}, {@code permission denied}. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof FileSystemException) {
      String reason = ((FileSystemException) e).getReason();
      if (reason != null) {
        return reason;
      }
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
