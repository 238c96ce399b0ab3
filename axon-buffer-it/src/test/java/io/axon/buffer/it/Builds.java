package io.axon.buffer.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the applications and plugins of {@code src/test/apps} at test time, as their authors
 * would: javac ({@code --release 17}; 22 for the application using the JDK's foreign function API)
 * against the module JARs Maven packaged, then a JAR holding the classes and every non-Java file of
 * the source folder (services files). Each is built once per test JVM and shared by the tests (they
 * only read it).
 */
final class Builds {

  private Builds() {}

  private static final Map<String, Path> BUILT = new HashMap<>();
  private static Path out;

  private static synchronized Path outDir() {
    if (out == null) {
      out = ItEnv.workDir("builds");
    }
    return out;
  }

  /** {@code org.example.kindsapp.KindsApp}, compiled on the class path against api + core only. */
  static synchronized Path kindsApp() {
    return BUILT.computeIfAbsent(
        "kinds-app",
        name -> build(name, List.of("-classpath", Jvm.join(List.of(ItEnv.api(), ItEnv.core())))));
  }

  /** The named module {@code org.example.app}, compiled on the module path (api, core, ingest). */
  static synchronized Path moduleApp() {
    return BUILT.computeIfAbsent(
        "module-app",
        name ->
            build(
                name,
                List.of(
                    "--module-path",
                    Jvm.join(List.of(ItEnv.api(), ItEnv.core(), ItEnv.ingest())))));
  }

  /**
   * The named module {@code org.example.nativeapp} (release 22: it links zlib through {@code
   * java.lang.foreign}), compiled on the module path against api and core. Only on JDK 22+.
   */
  static synchronized Path nativeApp() {
    return BUILT.computeIfAbsent(
        "native-app",
        name ->
            build(
                name,
                "22",
                List.of("--module-path", Jvm.join(List.of(ItEnv.api(), ItEnv.core())))));
  }

  /** The broken plugin (named module {@code org.example.broken}, with a bad services file too). */
  static synchronized Path brokenPlugin() {
    return BUILT.computeIfAbsent(
        "broken-plugin", name -> build(name, List.of("--module-path", ItEnv.api().toString())));
  }

  /** A copy of {@code jar} without its {@code META-INF/services} files. */
  static synchronized Path withoutServiceFiles(Path jar) {
    return BUILT.computeIfAbsent(
        "no-services:" + jar,
        key -> {
          String name = jar.getFileName().toString().replace(".jar", "-no-services.jar");
          Path target = outDir().resolve(name);
          try (JarFile in = new JarFile(jar.toFile());
              OutputStream o = Files.newOutputStream(target);
              JarOutputStream j = new JarOutputStream(o)) {
            for (JarEntry e : in.stream().collect(Collectors.toList())) {
              if (e.isDirectory() || e.getName().startsWith("META-INF/services/")) {
                continue;
              }
              j.putNextEntry(new JarEntry(e.getName()));
              try (InputStream data = in.getInputStream(e)) {
                data.transferTo(j);
              }
              j.closeEntry();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return target;
        });
  }

  /** Copies {@code jars} into a fresh folder (a plugin folder as an operator fills one). */
  static Path folderWith(String prefix, Path... jars) {
    Path dir = ItEnv.workDir(prefix);
    try {
      for (Path jar : jars) {
        Files.copy(jar, dir.resolve(jar.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static Path build(String name, List<String> pathOptions) {
    return build(name, "17", pathOptions);
  }

  private static Path build(String name, String release, List<String> pathOptions) {
    Path sources = ItEnv.appSources(name);
    Path classes = outDir().resolve(name + "-classes");
    Path jar = outDir().resolve(name + ".jar");
    try (Stream<Path> walk = Files.walk(sources)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      List<String> args =
          new ArrayList<>(
              List.of("--release", release, "-Xlint:all,-options", "-d", classes.toString()));
      args.addAll(pathOptions);
      files.stream()
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(f -> args.add(f.toString()));
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
      if (javac.run(null, diagnostics, diagnostics, args.toArray(new String[0])) != 0) {
        throw new AssertionError("javac failed for " + name + ":\n" + Jvm.text(diagnostics));
      }
      try (OutputStream o = Files.newOutputStream(jar);
          JarOutputStream j = new JarOutputStream(o)) {
        try (Stream<Path> compiled = Files.walk(classes)) {
          for (Path f : (Iterable<Path>) compiled.filter(Files::isRegularFile).sorted()::iterator) {
            add(j, classes.relativize(f), f);
          }
        }
        for (Path f : files) {
          if (!f.toString().endsWith(".java")) {
            add(j, sources.relativize(f), f);
          }
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void add(JarOutputStream jar, Path entry, Path file) throws IOException {
    jar.putNextEntry(new JarEntry(entry.toString().replace('\\', '/')));
    jar.write(Files.readAllBytes(file));
    jar.closeEntry();
  }
}
