package io.axon.buffer.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files {@code detect} looks at: the arguments in their order, each folder among them walked
 * and its files listed in name order (byte order of the path). Links to files are listed, links to
 * folders are not followed (so a link loop cannot trap the walk), dangling links and special files
 * inside folders are left out (give a special file by name to read it).
 *
 * <p>A folder that cannot be listed (no permission, removed while walked, a name that is no longer
 * a folder) and an entry whose attributes cannot be read are listed once, with their error, at
 * their place in the order; the walk goes on with the rest. A folder that fails part-way through
 * its listing keeps the entries read before the failure.
 */
final class FileWalk {

  /** One file to describe, or one folder or entry that failed ({@code failure} not null). */
  record Entry(Path path, IOException failure) {}

  private FileWalk() {}

  /** The files of {@code args}, folders expanded (see the class comment). */
  static List<Entry> expand(List<Path> args) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        out.addAll(walk(arg));
      } else {
        out.add(new Entry(arg, null));
      }
    }
    return out;
  }

  private static List<Entry> walk(Path folder) throws IOException {
    List<Entry> found = new ArrayList<>();
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
              found.add(new Entry(file, null));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            found.add(new Entry(file, e));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
              found.add(new Entry(dir, e));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(Comparator.comparing(Entry::path));
    return found;
  }
}
