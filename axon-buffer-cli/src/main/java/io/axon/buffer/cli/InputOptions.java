package io.axon.buffer.cli;

import io.axon.buffer.ingest.MappedFiles;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the command reads inputs that are not plain files (see {@link SpecialFiles}): {@code
 * --pipe-wait} for named pipes and, in {@link StreamLimit}, {@code --stream-limit} for everything
 * read as a stream. Picocli mixins.
 */
final class InputOptions {

  private InputOptions() {}

  /** The most seconds {@code --pipe-wait} takes: a day. */
  static final int MAX_PIPE_WAIT_SECONDS = 86_400;

  /** {@code --pipe-wait SECONDS}: how long a named pipe waits for its other end. */
  static final class PipeWait {
    @Option(
        names = "--pipe-wait",
        paramLabel = "SECONDS",
        defaultValue = "30",
        description =
            "How long a named pipe (FIFO) given as a file waits for a process to open its other"
                + " end before the command gives up with PipeTimeoutException, exit 1 (default"
                + " ${DEFAULT-VALUE}; 0 waits for ever, as cat does).")
    int seconds;

    /** The wait, checked. */
    Duration duration() {
      if (seconds < 0 || seconds > MAX_PIPE_WAIT_SECONDS) {
        throw new UsageError(
            "--pipe-wait must be 0.." + MAX_PIPE_WAIT_SECONDS + " seconds, was " + seconds);
      }
      return Duration.ofSeconds(seconds);
    }
  }

  /** {@code --stream-limit BYTES}: the most bytes read from a stream. */
  static final class StreamLimit {
    @Option(
        names = "--stream-limit",
        paramLabel = "BYTES",
        converter = ByteSizeConverter.class,
        description =
            "The most bytes read from stdin, a named pipe, a device or a /proc file, which are"
                + " read to their end into memory (regular files are mapped, not read); past it"
                + " the input fails with SizeLimitExceededException, exit 1 (default and most:"
                + " 2147483639, the largest buffer; k, m, g suffixes).")
    long bytes = MappedFiles.MAX_FILE_BYTES;

    /** The limit, checked. */
    long bytes() {
      if (bytes > MappedFiles.MAX_FILE_BYTES) {
        throw new UsageError(
            "--stream-limit must be at most " + MappedFiles.MAX_FILE_BYTES + ", was " + bytes);
      }
      return bytes;
    }
  }
}
