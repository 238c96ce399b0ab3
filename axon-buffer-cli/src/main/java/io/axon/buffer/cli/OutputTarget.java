package io.axon.buffer.cli;

import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where {@code transcode} writes its result, and how, as {@code cp} would:
 *
 * <ul>
 *   <li>{@code -}: standard output, in one (gathering) write.
 *   <li>A regular file, or a name that does not exist yet: written beside it under a temporary
 *       name, then renamed over it, so that a failed run never leaves half a file and a reader
 *       never sees one. An existing file keeps its permissions; a new one gets the umask's.
 *   <li>A symbolic link: followed. The file it leads to is replaced as above, the link stays. A
 *       link to nothing is refused (GNU {@code cp} does not write through a dangling link either:
 *       it is where a link planted in a shared folder would send the output).
 *   <li>Anything else (a device such as {@code /dev/null}, a named pipe, a terminal): written into,
 *       never replaced (a rename would put a regular file in the device's place). A named pipe
 *       waits for a reader as {@link SpecialFiles#open} says. A regular file reached through a
 *       {@code /proc/self/fd} link that does not resolve to its name is written into as well
 *       (truncated first).
 *   <li>A folder: refused.
 * </ul>
 *
 * Every I/O error, opening, writing or renaming, is a {@link BadInput} (exit 1) naming the output
 * and the fault; the temporary file is removed.
 */
final class OutputTarget {

  private final String name;
  private final Stdout stdout;
  private final Duration pipeWait;

  /**
   * @param name OUT as given: a path, or {@code -} for {@code stdout}
   * @param pipeWait how long a named pipe waits for a reader
   */
  OutputTarget(String name, Stdout stdout, Duration pipeWait) {
    this.name = name;
    this.stdout = stdout;
    this.pipeWait = pipeWait;
  }

  /**
   * Writes {@code result} to the output.
   *
   * @throws BadInput naming the output if anything fails
   */
  void write(ZeroCopyBuffer result) {
    Path file = name.equals("-") ? null : PathNames.path("OUT", name);
    try {
      if (file == null) {
        writeStdout(result);
      } else {
        writeFile(file, result);
      }
    } catch (IOException e) {
      throw BadInput.of(
          e, "cannot write " + (file == null ? "standard output" : PathNames.of(file)));
    }
  }

  private void writeStdout(ZeroCopyBuffer result) throws IOException {
    WritableByteChannel channel = stdout.channel();
    try {
      result.writeTo(channel);
      stdout.flush();
    } catch (IOException e) {
      stdout.takeFailure(); // reported here, with the command's own message
      throw e;
    }
  }

  private void writeFile(Path file, ZeroCopyBuffer result) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(file)) {
        throw new FileSystemException(
            PathNames.of(file),
            null,
            "a symbolic link to a missing file ("
                + PathNames.of(Files.readSymbolicLink(file))
                + "): not written through");
      }
      replace(file, false, result);
      return;
    }
    if (a.isDirectory()) {
      throw new FileSystemException(PathNames.of(file), null, "is a folder");
    }
    if (a.isRegularFile()) {
      Path real = file.toRealPath();
      if (sameFile(real, file)) {
        replace(real, true, result);
        return;
      }
    }
    try (FileChannel ch =
        a.isRegularFile()
            ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
            : SpecialFiles.open(file, pipeWait, StandardOpenOption.WRITE)) {
      result.writeTo(ch);
    }
  }

  private static boolean sameFile(Path real, Path file) {
    try {
      return Files.isSameFile(real, file);
    } catch (IOException e) {
      return false; // "/proc/self/fd/N" of a deleted file resolves to "name (deleted)"
    }
  }

  /**
   * Writes {@code target}'s new content beside it, then renames it over {@code target}. Not {@code
   * Files.createTempFile}, whose 0600 would make the output unreadable to others.
   */
  private static void replace(Path target, boolean exists, ZeroCopyBuffer result)
      throws IOException {
    Path absolute = target.toAbsolutePath();
    Path tmp =
        absolute.resolveSibling(
            "."
                + absolute.getFileName()
                + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + ".part");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        result.writeTo(ch);
      }
      if (exists && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(absolute));
      }
      Files.move(
          tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
