package io.axon.buffer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Kind plugins that fail at detection time, built at test time (javac against the api, packaged as
 * a JAR): their providers load fine, their sniffers throw on every call.
 */
final class FaultyPlugins {

  private FaultyPlugins() {}

  /**
   * A plugin of kind {@code grumpy} whose sniffer throws {@code throwable} (a Java expression, e.g.
   * {@code new IllegalStateException("x")}), as {@code dir/<jarName>.jar}.
   */
  static Path throwingSniffer(Path dir, String jarName, String throwable) throws IOException {
    String source =
        String.join(
            "\n",
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
    return PluginJars.build(
        dir,
        jarName,
        Map.of("org/grumpy/GrumpyKindProvider.java", source),
        "org.grumpy.GrumpyKindProvider\n");
  }
}
