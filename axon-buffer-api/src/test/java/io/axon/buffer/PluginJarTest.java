package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.spi.BufferKindProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin JAR that appears after start-up: compiled, packaged and opened by the test itself. */
class PluginJarTest {

  private static final String FITS_PROVIDER =
      String.join(
          "\n",
          "package org.acme.fits;",
          "import io.axon.buffer.KindDescriptor;",
          "import io.axon.buffer.spi.BufferKindProvider;",
          "import java.nio.ByteBuffer;",
          "import java.util.Collection;",
          "import java.util.List;",
          "public final class FitsKindProvider implements BufferKindProvider {",
          "  private static final byte[] MAGIC = \"SIMPLE  =\".getBytes(java.nio.charset.StandardCharsets.US_ASCII);",
          "  public Collection<KindDescriptor> kinds() {",
          "    return List.of(KindDescriptor.builder(\"fits\")",
          "        .description(\"FITS astronomical image\")",
          "        .mediaTypes(\"image/fits\", \"application/fits\")",
          "        .extensions(\"fits\", \"fit\", \"fts\")",
          "        .sniffer(FitsKindProvider::sniff)",
          "        .build());",
          "  }",
          "  static int sniff(ByteBuffer head) {",
          "    if (head.remaining() < MAGIC.length) return 0;",
          "    for (int i = 0; i < MAGIC.length; i++) {",
          "      if (head.get(head.position() + i) != MAGIC[i]) return 0;",
          "    }",
          "    return 100;",
          "  }",
          "}");

  @TempDir Path tmp;

  @Test
  void loadAddsTheProvidersOfAJarOpenedAfterStartUp() throws Exception {
    String apiClasses = JavaSources.classesDirOf(BufferKind.class).toString();
    Path classes =
        JavaSources.compile(
            tmp.resolve("fits"),
            Map.of("org/acme/fits/FitsKindProvider.java", FITS_PROVIDER),
            "--release",
            "17",
            "-classpath",
            apiClasses);
    Path jar =
        JavaSources.jar(
            classes,
            tmp.resolve("kind-plugin-fits.jar"),
            Map.of(
                "META-INF/services/" + BufferKindProvider.class.getName(),
                "org.acme.fits.FitsKindProvider\n"));

    BufferKindRegistry registry = BufferKindRegistry.empty();
    BufferKind fits = BufferKind.of("fits");
    assertFalse(registry.descriptor(fits).isPresent());
    ByteBuffer content =
        ByteBuffer.wrap(
            "SIMPLE  =                    T / conforms".getBytes(StandardCharsets.US_ASCII));
    assertEquals(BufferKind.raw(), registry.detect(content).kind());

    try (URLClassLoader plugin =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginJarTest.class.getClassLoader())) {
      LoadResult result = registry.load(plugin);
      assertEquals(java.util.List.of("org.acme.fits.FitsKindProvider"), result.added());
      assertTrue(result.problems().isEmpty(), result.problems().toString());
    }
    KindRegistration registration = registry.registration(fits).orElseThrow();
    assertEquals("org.acme.fits.FitsKindProvider", registration.provider());
    assertTrue(registration.origin().endsWith("kind-plugin-fits.jar"), registration.origin());
    assertEquals(new Detection(fits, 100, Detection.Basis.CONTENT), registry.detect(content));
    assertEquals(fits, registry.byMediaType("image/FITS").orElseThrow().kind());
    assertEquals(fits, registry.byExtension(".fts").get(0).kind());
    assertFalse(BufferKindRegistry.global().descriptor(fits).isPresent(), "global is not touched");
  }
}
