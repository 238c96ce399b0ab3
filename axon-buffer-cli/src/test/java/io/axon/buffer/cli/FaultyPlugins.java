package io.axon.buffer.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Kind plugins that fail at detection time, built at test time (javac against the api, packaged
 * as a JAR): their providers load fine, their sniffers throw on every call.
 */
final class FaultyPlugins {

  private FaultyPlugins() {}

  /**
   * A plugin of kind {@code grumpy} whose sniffer throws {@code throwable} (a Java expression,
   * e.g. {@code new IllegalStateException("x")}), as {@code dir/<jarName>.jar}.
   */
  static Path throwingSniffer(Path dir, String jarName, String throwable) throws IOException {
    String source = String.join("\n",
        "package org.grumpy;",
        "import io.axon.buffer.KindDescriptor;",
        "import io.axon.buffer.spi.BufferKindProvider;",
        "import java.util.*;",
        "public final class GrumpyKindProvider implements BufferKindProvider {",
        "  public Collection<KindDescriptor> kinds() {",
        "    return List.of(KindDescriptor.builder(\"grumpy\").description(\"fails to sniff\")",
        "        .mediaTypes(\"application/x-grumpy\").extensions(\"grumpy\")",
        "        .sniffer(head -> { throw " + throwable + "; }).build());",
        "  }",
        "}");
    Path work = Files.createTempDirectory(dir, jarName);
    Path src = work.resolve("src/org/grumpy/GrumpyKindProvider.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(work.resolve("classes"));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
        "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
        src.toString());
    if (rc != 0) {
      throw new AssertionError("javac failed for " + jarName);
    }
    Path jar = dir.resolve(jarName + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
         JarOutputStream j = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry("META-INF/services/io.axon.buffer.spi.BufferKindProvider"));
      j.write("org.grumpy.GrumpyKindProvider\n".getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
