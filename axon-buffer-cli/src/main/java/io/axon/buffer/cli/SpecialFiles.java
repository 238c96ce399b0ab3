package io.axon.buffer.cli;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.PooledReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Files that are not plain files on disk: devices ({@code /dev/zero}, a tty), named pipes (FIFOs),
 * {@code /dev/stdin} (a link to whatever stdin is), and the files of {@code /proc} and {@code
 * /sys}, which are "regular" but report a size of 0 whatever they hold.
 *
 * <p>Such a file has no size to map: it is read as a stream, to its end, into pooled memory, up to
 * a limit ({@link io.axon.buffer.SizeLimitExceededException} past it, as stdin).
 *
 * <p>Named pipes: opening one blocks in the kernel until the other end is opened too (a reader
 * waits for a writer, a writer for a reader), and nothing in Java opens one without blocking. So a
 * named pipe is opened on a helper thread, waited for at most the given time; past it, the helper
 * is released by opening the pipe for reading and writing at once (which never blocks on Linux and
 * counts as the missing end) and the caller gets a {@link PipeTimeoutException}. A writer that
 * opens the pipe and then writes nothing is waited for, as {@code cat} waits.
 */
final class SpecialFiles {

  /** {@code S_IFMT} and {@code S_IFIFO} of a {@code unix:mode}. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFIFO = 0010000;

  private SpecialFiles() {}

  /**
   * True if {@code file} (links followed) is read as a stream: anything but a regular file, and a
   * regular file that reports 0 bytes (a {@code /proc} file; a really empty file reads as empty
   * either way).
   *
   * @throws IOException if its attributes cannot be read (no such file, no permission)
   */
  static boolean readAsStream(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return !a.isRegularFile() || a.size() == 0;
  }

  /** True if {@code file} (links followed) is a named pipe. */
  static boolean isNamedPipe(Path file) {
    try {
      return (((Integer) Files.getAttribute(file, "unix:mode")) & S_IFMT) == S_IFIFO;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // No "unix" view: a named pipe is among the "other" files.
      try {
        return Files.readAttributes(file, BasicFileAttributes.class).isOther();
      } catch (IOException notThere) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads {@code file} to its end into memory from {@code allocator}.
   *
   * @param maxBytes the most bytes accepted
   * @param pipeWait how long a named pipe waits for a writer ({@link Duration#ZERO}: for ever)
   * @throws io.axon.buffer.SizeLimitExceededException past {@code maxBytes}
   * @throws PipeTimeoutException if no writer opened the named pipe in time
   */
  static ZeroCopyBuffer read(Path file, BufferAllocator allocator, long maxBytes, Duration pipeWait)
      throws IOException {
    try (FileChannel ch = open(file, pipeWait, StandardOpenOption.READ)) {
      return PooledReader.read(ch, allocator, maxBytes);
    }
  }

  /**
   * Opens an existing {@code file} with {@code options}; a named pipe waits at most {@code
   * pipeWait} for its other end ({@link Duration#ZERO}: for ever).
   *
   * @throws PipeTimeoutException if the pipe's other end was not opened in time
   */
  static FileChannel open(Path file, Duration pipeWait, OpenOption... options) throws IOException {
    if (pipeWait.isZero() || !isNamedPipe(file)) {
      return FileChannel.open(file, options);
    }
    CompletableFuture<FileChannel> opening = new CompletableFuture<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                FileChannel ch = FileChannel.open(file, options);
                if (!opening.complete(ch)) {
                  ch.close(); // the caller gave up meanwhile
                }
              } catch (Throwable e) {
                opening.completeExceptionally(e);
              }
            },
            "axon-buffer: open named pipe");
    opener.setDaemon(true);
    opener.start();
    try {
      return opening.get(pipeWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (!opening.cancel(false)) {
        return opening.join(); // opened just now
      }
      // The helper is blocked in open(2): be its other end for a moment, then it closes.
      FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      boolean writing = java.util.Arrays.asList(options).contains(StandardOpenOption.WRITE);
      throw new PipeTimeoutException(
          file,
          "no process opened the named pipe for "
              + (writing ? "reading" : "writing")
              + " within "
              + pipeWait.toSeconds()
              + " s (--pipe-wait SECONDS, 0 waits for ever)");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      throw new IOException(e.getCause());
    } catch (CancellationException | InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while opening " + PathNames.of(file));
    }
  }

  /** No process opened a named pipe's other end in time. */
  static final class PipeTimeoutException extends java.nio.file.FileSystemException {
    private static final long serialVersionUID = 1L;

    PipeTimeoutException(Path file, String reason) {
      super(file.toString(), null, reason);
    }
  }
}
