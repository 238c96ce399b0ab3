package io.axon.buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources and packages JARs at test time, with the JDK's own tools. */
final class JavaSources {

  private JavaSources() {}

  /** The class-output folder (or JAR) that holds {@code type}. */
  static Path classesDirOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type, e);
    }
  }

  /**
   * Writes {@code sources} (path relative to the source root → text) under {@code dir/src},
   * compiles them with {@code options} into {@code dir/classes}, and returns that folder.
   */
  static Path compile(Path dir, Map<String, String> sources, String... options) throws IOException {
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of(options));
    args.add("-d");
    args.add(classes.toString());
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    int status = javac.run(null, null, null, args.toArray(new String[0]));
    if (status != 0) {
      throw new AssertionError("javac failed (" + status + ") for " + sources.keySet() + errors);
    }
    return classes;
  }

  /** Packages a folder into a JAR, adding {@code extra} entries (path → text). */
  static Path jar(Path classes, Path jar, Map<String, String> extra) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
      for (Map.Entry<String, String> e : extra.entrySet()) {
        jarOut.putNextEntry(new JarEntry(e.getKey()));
        jarOut.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
