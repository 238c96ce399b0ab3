package io.axon.buffer.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Kind plugin JARs made at test time: compiled against the api with javac, packaged as JARs. */
final class PluginJars {

  private PluginJars() {}

  static final String SERVICE = "META-INF/services/io.axon.buffer.spi.BufferKindProvider";

  /** A provider of kind {@code fits}: "SIMPLE =" at offset 0 scores 100. */
  static final String FITS =
      String.join(
          "\n",
          "package org.acme.fits;",
          "import io.axon.buffer.KindDescriptor;",
          "import io.axon.buffer.spi.BufferKindProvider;",
          "import java.nio.ByteBuffer;",
          "import java.util.*;",
          "public final class FitsKindProvider implements BufferKindProvider {",
          "  public Collection<KindDescriptor> kinds() {",
          "    return List.of(KindDescriptor.builder(\"fits\").description(\"FITS image\")",
          "        .mediaTypes(\"image/fits\").extensions(\"fits\", \"fit\")",
          "        .sniffer(FitsKindProvider::sniff)",
          "        .inspector(c -> Map.of(\"headerCards\", c.remaining() / 80)).build());",
          "  }",
          "  static int sniff(ByteBuffer h) {",
          "    byte[] m = \"SIMPLE  =\".getBytes(java.nio.charset.StandardCharsets.US_ASCII);",
          "    if (h.remaining() < m.length) return 0;",
          "    for (int i = 0; i < m.length; i++) if (h.get(h.position() + i) != m[i]) return 0;",
          "    return 100;",
          "  }",
          "}");

  /** A provider whose constructor throws. */
  static final String BROKEN =
      String.join(
          "\n",
          "package org.broken;",
          "public final class ExplodingProvider implements io.axon.buffer.spi.BufferKindProvider {",
          "  public ExplodingProvider() { throw new IllegalStateException(\"boom on purpose\"); }",
          "  public java.util.Collection<io.axon.buffer.KindDescriptor> kinds() { return java.util.List.of(); }",
          "}");

  /** The FITS plugin, as {@code dir/kind-plugin-fits.jar}. */
  static Path fits(Path dir) throws IOException {
    return build(
        dir,
        "kind-plugin-fits",
        Map.of("org/acme/fits/FitsKindProvider.java", FITS),
        "org.acme.fits.FitsKindProvider\n");
  }

  /** A broken plugin (its provider throws; its services file also names a missing class). */
  static Path broken(Path dir) throws IOException {
    return build(
        dir,
        "kind-plugin-broken",
        Map.of("org/broken/ExplodingProvider.java", BROKEN),
        "org.broken.ExplodingProvider\norg.broken.DoesNotExist\n");
  }

  /** Content the FITS plugin recognises. */
  static byte[] fitsContent() {
    String card =
        String.format("%-80s", "SIMPLE  =                    T / conforms to FITS standard");
    return (card + String.format("%-80s", "END")).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Compiles {@code sources} (path under the source root to text) and packages them with {@code
   * services} as the provider services file, as {@code dir/<name>.jar}.
   */
  static Path build(Path dir, String name, Map<String, String> sources, String services)
      throws IOException {
    Path work = Files.createTempDirectory(dir, name);
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = work.resolve("src").resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]))
        != 0) {
      throw new AssertionError("javac failed for " + name);
    }
    Path jar = dir.resolve(name + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry(SERVICE));
      j.write(services.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
