package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.Transcoders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Loads kind plugin JARs from folders given with {@code --plugins DIR} into the global registry
 * (and the global transcoders), reporting on stderr what failed and going on with the rest.
 */
final class Plugins {

  private Plugins() {}

  /**
   * Opens every {@code *.jar} in {@code dirs} in one class loader and loads its kind providers and
   * transcoders. A file that is not a readable JAR is reported on {@code err} and skipped.
   *
   * @return the class loader (also for transcoders), or null when no folder was given
   * @throws UsageError if a folder does not exist
   */
  static ClassLoader load(List<Path> dirs, PrintWriter err) {
    if (dirs.isEmpty()) {
      return null;
    }
    List<URL> jars = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new UsageError("--plugins " + dir + ": not a folder");
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
        for (Path jar : files) {
          String fault = unreadable(jar);
          if (fault != null) {
            // URLClassLoader would skip it without a word: say so, and go on with the others.
            err.println("axon-buffer: plugin problem: " + jar + ": " + fault);
            continue;
          }
          jars.add(jar.toUri().toURL());
        }
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list plugin folder " + dir, e);
      }
    }
    jars.sort((a, b) -> a.toString().compareTo(b.toString()));
    URLClassLoader loader =
        new URLClassLoader(jars.toArray(new URL[0]), Plugins.class.getClassLoader());
    List<RegistryProblem> problems =
        new ArrayList<>(BufferKindRegistry.global().load(loader).problems());
    problems.addAll(Transcoders.global().load(loader).problems());
    for (RegistryProblem p : problems) {
      err.println("axon-buffer: plugin problem: " + p);
    }
    err.flush();
    return loader;
  }

  /**
   * Why {@code jar} cannot be used as a plugin JAR, or null if it opens as a JAR (zip) file (or is
   * a folder, which the class loader reads as a folder of classes).
   */
  private static String unreadable(Path jar) {
    if (Files.isDirectory(jar)) {
      return null;
    }
    try (JarFile opened = new JarFile(jar.toFile())) {
      return null;
    } catch (IOException | SecurityException e) {
      return "not a readable JAR (zip) file, skipped (" + e.getMessage() + ")";
    }
  }
}
