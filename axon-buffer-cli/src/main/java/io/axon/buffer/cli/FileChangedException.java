package io.axon.buffer.cli;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file changed while the command read it: it shrank under a mapping (see {@link MappedFaults}) or
 * its size at the end was not its size at the start. The file's result would describe bytes it no
 * longer holds, so it is reported as this error instead.
 */
final class FileChangedException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  FileChangedException(Path file, String reason) {
    super(PathNames.of(file), null, reason);
  }
}
