package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.Transcoders;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.BufferTranscoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.module.InvalidModuleDescriptorException;
import java.lang.module.ModuleDescriptor;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * Loads kind plugin JARs from folders given with {@code --plugins DIR} into the global registry
 * (and the global transcoders), reporting on stderr what failed and going on with the rest.
 *
 * <p>Plugin JARs go on one class loader's class path, where only {@code META-INF/services} files
 * register providers. A JAR without one for {@link BufferKindProvider} or {@link BufferTranscoder}
 * registers nothing (the usual cause: the annotation processor that writes the file, such as
 * AutoService, did not run); it is reported by name, and stays on the class path (it may be a
 * library another plugin needs).
 */
final class Plugins {

  /** The services a plugin JAR registers, by their services file. */
  private static final List<String> SERVICES =
      List.of(BufferKindProvider.class.getName(), BufferTranscoder.class.getName());

  private Plugins() {}

  /**
   * Opens every {@code *.jar} in {@code dirs} in one class loader and loads its kind providers and
   * transcoders. A file that is not a readable JAR is reported on {@code err} and skipped; a JAR
   * that registers nothing is reported and kept.
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
          String fault = Files.isDirectory(jar) ? null : check(jar);
          if (fault != null) {
            err.println(
                TerminalText.escape(
                    "axon-buffer: plugin problem: " + PathNames.of(jar) + ": " + fault));
            if (fault.startsWith(NOT_A_JAR)) {
              // URLClassLoader would skip it without a word: said, and go on with the others.
              continue;
            }
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
      err.println(TerminalText.escape("axon-buffer: plugin problem: " + p));
    }
    err.flush();
    return loader;
  }

  private static final String NOT_A_JAR = "not a readable JAR (zip) file";

  /**
   * What is wrong with {@code jar} as a plugin JAR: it does not open as a JAR (zip) file, or it
   * registers no provider or transcoder; null if it is a JAR that registers something.
   */
  static String check(Path jar) {
    try (JarFile opened =
        new JarFile(jar.toFile(), true, ZipFile.OPEN_READ, JarFile.runtimeVersion())) {
      for (String service : SERVICES) {
        JarEntry entry = opened.getJarEntry("META-INF/services/" + service);
        if (entry != null && namesAClass(opened, entry)) {
          return null;
        }
      }
      String registers =
          "registers no kind provider or transcoder: it has no META-INF/services/"
              + BufferKindProvider.class.getName()
              + " or .../"
              + BufferTranscoder.class.getName()
              + " naming a class";
      if (providesInModuleInfo(opened)) {
        return registers
            + "; its module-info.class declares 'provides', which only the module path reads"
            + " (--plugins loads JARs on the class path): add the services file too (AutoService"
            + " writes it)";
      }
      return registers
          + " (was the annotation processor that writes it, such as AutoService, left out of"
          + " the build?); kept on the plugins' class path in case another plugin needs it";
    } catch (IOException | SecurityException e) {
      return NOT_A_JAR + ", skipped (" + e.getMessage() + ")";
    }
  }

  /** True if the services file {@code entry} names at least one class (comments aside). */
  private static boolean namesAClass(JarFile jar, JarEntry entry) throws IOException {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        int hash = line.indexOf('#');
        if (!(hash >= 0 ? line.substring(0, hash) : line).isBlank()) {
          return true;
        }
      }
      return false;
    }
  }

  /** True if the JAR's module descriptor provides one of the plugin services. */
  private static boolean providesInModuleInfo(JarFile jar) throws IOException {
    JarEntry entry = jar.getJarEntry("module-info.class");
    if (entry == null) {
      return false;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      return ModuleDescriptor.read(in).provides().stream()
          .anyMatch(p -> SERVICES.contains(p.service()));
    } catch (InvalidModuleDescriptorException e) {
      return false;
    }
  }
}
