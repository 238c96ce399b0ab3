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

  /** A provider of kind {@code quiet} (never registered by the JARs that hold it). */
  static final String QUIET =
      String.join(
          "\n",
          "package org.quiet;",
          "public final class QuietKindProvider implements io.axon.buffer.spi.BufferKindProvider {",
          "  public java.util.Collection<io.axon.buffer.KindDescriptor> kinds() {",
          "    return java.util.List.of(io.axon.buffer.KindDescriptor.builder(\"quiet\")",
          "        .description(\"never registered\").build());",
          "  }",
          "}");

  /**
   * A plugin built without its annotation processor: the provider class, no services file, as
   * {@code dir/kind-plugin-unprocessed.jar}.
   */
  static Path withoutServices(Path dir) throws IOException {
    return build(
        dir, "kind-plugin-unprocessed", Map.of("org/quiet/QuietKindProvider.java", QUIET), null);
  }

  /**
   * A plugin whose provider is declared in {@code module-info.class} only (no services file), as
   * {@code dir/kind-plugin-module-only.jar}.
   */
  static Path moduleOnly(Path dir) throws IOException {
    String moduleInfo =
        String.join(
            "\n",
            "module org.quiet {",
            "  requires io.axon.buffer.api;",
            "  provides io.axon.buffer.spi.BufferKindProvider with org.quiet.QuietKindProvider;",
            "}");
    String api =
        io.axon.buffer.spi.BufferKindProvider.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .getPath();
    return build(
        dir,
        "kind-plugin-module-only",
        Map.of("module-info.java", moduleInfo, "org/quiet/QuietKindProvider.java", QUIET),
        Map.of(),
        List.of("--module-path", api));
  }

  /**
   * A transcoder plugin for kind {@code g722}, which it does not declare: {@code g722 -> pcm16},
   * writing each input byte twice, as {@code dir/transcoder-plugin-g722.jar}.
   */
  static Path g722Transcoder(Path dir) throws IOException {
    String source =
        String.join(
            "\n",
            "package org.acme.g722;",
            "import io.axon.buffer.*;",
            "public final class G722ToPcm16 implements io.axon.buffer.spi.BufferTranscoder {",
            "  public BufferKind from() { return BufferKind.of(\"g722\"); }",
            "  public BufferKind to() { return BufferKind.of(\"pcm16\"); }",
            "  public ZeroCopyBuffer transcode(ZeroCopyBuffer in, TranscodeOptions o,",
            "      BufferAllocator allocator) {",
            "    byte[] bytes = in.toByteArray();",
            "    try (BufferMut out = allocator.acquire(bytes.length * 2)) {",
            "      for (byte b : bytes) { out.append(new byte[] {b, b}); }",
            "      return out.freeze(to());",
            "    }",
            "  }",
            "}");
    return build(
        dir,
        "transcoder-plugin-g722",
        Map.of("org/acme/g722/G722ToPcm16.java", source),
        Map.of(
            "META-INF/services/io.axon.buffer.spi.BufferTranscoder", "org.acme.g722.G722ToPcm16\n"),
        List.of("-classpath", System.getProperty("java.class.path")));
  }

  /** The kind plugin that declares {@code g722}, as {@code dir/kind-plugin-g722.jar}. */
  static Path g722Kind(Path dir) throws IOException {
    String source =
        String.join(
            "\n",
            "package org.acme.g722;",
            "public final class G722KindProvider implements io.axon.buffer.spi.BufferKindProvider {",
            "  public java.util.Collection<io.axon.buffer.KindDescriptor> kinds() {",
            "    return java.util.List.of(io.axon.buffer.KindDescriptor.builder(\"g722\")",
            "        .description(\"G.722 wideband audio\").mediaTypes(\"audio/g722\")",
            "        .extensions(\"g722\").build());",
            "  }",
            "}");
    return build(
        dir,
        "kind-plugin-g722",
        Map.of("org/acme/g722/G722KindProvider.java", source),
        "org.acme.g722.G722KindProvider\n");
  }

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
   * services} as the provider services file (none when null), as {@code dir/<name>.jar}.
   */
  static Path build(Path dir, String name, Map<String, String> sources, String services)
      throws IOException {
    return build(
        dir,
        name,
        sources,
        services == null ? Map.of() : Map.of(SERVICE, services),
        List.of("-classpath", System.getProperty("java.class.path")));
  }

  /**
   * Compiles {@code sources} with {@code javacArgs} (where to find the api: a class path, or a
   * module path for a {@code module-info.java}) and packages them with {@code resources} (JAR path
   * to text), as {@code dir/<name>.jar}.
   */
  static Path build(
      Path dir,
      String name,
      Map<String, String> sources,
      Map<String, String> resources,
      List<String> javacArgs)
      throws IOException {
    Path work = Files.createTempDirectory(dir, name);
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
    args.addAll(javacArgs);
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
      for (Map.Entry<String, String> e : resources.entrySet()) {
        j.putNextEntry(new JarEntry(e.getKey()));
        j.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
    }
    return jar;
  }
}
