package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * axon-buffer-core's JAR as the build that runs these tests made it: a multi-release JAR on a JDK
 * 22+ build (one class, {@code MemorySegments}, compiled for release 22 under {@code
 * META-INF/versions/22}), a plain Java 17 JAR on a JDK 17 build; the JDK's {@code jar} tool
 * validates it either way (it refuses a versioned public class the base lacks, or a versioned class
 * whose public API differs).
 */
class MultiReleaseJarIT {

  private static final String VERSIONED = "META-INF/versions/22/";

  /** Class file major version of every {@code .class} entry, by entry name. */
  private static Map<String, Integer> classVersions(JarFile jar) throws IOException {
    Map<String, Integer> versions = new TreeMap<>();
    for (JarEntry e : jar.stream().toArray(JarEntry[]::new)) {
      if (e.getName().endsWith(".class")) {
        try (InputStream in = jar.getInputStream(e);
            DataInputStream data = new DataInputStream(in)) {
          data.readInt(); // magic
          data.readUnsignedShort(); // minor
          versions.put(e.getName(), data.readUnsignedShort());
        }
      }
    }
    return versions;
  }

  @Test
  @EnabledForJreRange(
      min = JRE.JAVA_18,
      disabledReason =
          "JDK 17's jar --validate cannot read record classes (its ASM is too old; fixed in"
              + " later JDKs), and a JDK 17 build makes no versioned part to validate")
  void theJarToolValidatesTheCoreJar() {
    ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc = jar.run(print, print, "--validate", "--file", ItEnv.core().toString());
    }
    assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_22, disabledReason = "a JDK 17 build makes no versioned part")
  void aJdk22BuildAddsOneRelease22ClassUnderVersions22() throws IOException {
    try (JarFile jar = new JarFile(ItEnv.core().toFile())) {
      assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
      Map<String, Integer> versions = classVersions(jar);
      Map<String, Integer> versioned = new TreeMap<>();
      versions.forEach(
          (name, v) -> {
            if (name.startsWith("META-INF/versions/")) {
              versioned.put(name, v);
            } else {
              assertEquals(61, v, name + " is a Java 17 class");
            }
          });
      assertEquals(Map.of(VERSIONED + "io/axon/buffer/core/MemorySegments.class", 66), versioned);
      assertTrue(
          versions.containsKey("io/axon/buffer/core/MemorySegments.class"),
          "the base keeps its Java 17 version of the class");
    }
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_21, disabledReason = "a JDK 22+ build makes a versioned part")
  void aJdk17BuildMakesAPlainJava17Jar() throws IOException {
    try (JarFile jar = new JarFile(ItEnv.core().toFile())) {
      assertNull(jar.getManifest().getMainAttributes().getValue("Multi-Release"));
      classVersions(jar).forEach((name, v) -> assertEquals(61, v, name));
    }
  }
}
