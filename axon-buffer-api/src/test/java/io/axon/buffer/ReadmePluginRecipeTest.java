package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auto.service.AutoService;
import io.axon.buffer.spi.BufferKindProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin recipe of the project's README, as a new user copies it: its provider class and its
 * {@code module-info.java} compile as written, as a module, against the api with AutoService's
 * processor on the processor path (as its {@code pom.xml} snippet configures it); the processor
 * writes the services file; the JAR made of the result registers the kind and detects it.
 */
class ReadmePluginRecipeTest {

  private static final String SERVICE = "META-INF/services/" + BufferKindProvider.class.getName();

  @TempDir Path tmp;

  /** The fenced block of language {@code lang} right after {@code <!-- plugin-recipe: name -->}. */
  static String block(String readme, String name, String lang) {
    String marker = "<!-- plugin-recipe: " + name + " -->";
    int at = readme.indexOf(marker);
    assertTrue(at >= 0, "README.md has no " + marker);
    String fence = "```" + lang + "\n";
    int start = readme.indexOf(fence, at);
    assertTrue(
        start >= 0 && readme.substring(at + marker.length(), start).isBlank(),
        "no " + fence + "after " + marker);
    start += fence.length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end);
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void theRecipeCompilesAsWrittenAndItsJarRegistersTheKind() throws Exception {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String provider = block(readme, "DicomKindProvider.java", "java");
    String moduleInfo = block(readme, "module-info.java", "java");
    String pom = block(readme, "pom.xml", "xml");

    Path annotations = location(AutoService.class);
    Path classes =
        JavaSources.compile(
            tmp.resolve("build"),
            Map.of(
                "module-info.java", moduleInfo,
                "org/example/dicom/DicomKindProvider.java", provider),
            "--release",
            "17",
            "--module-path",
            location(BufferKindProvider.class) + File.pathSeparator + annotations,
            "-processorpath",
            System.getProperty("java.class.path"));

    // The processor wrote the services file (for the class path) ...
    assertEquals(
        List.of("org.example.dicom.DicomKindProvider"),
        Files.readAllLines(classes.resolve(SERVICE)).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .collect(Collectors.toList()));
    // ... and module-info provides it (for the module path).
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor module = ModuleDescriptor.read(in);
      assertTrue(
          module.provides().stream()
              .anyMatch(
                  p ->
                      p.service().equals(BufferKindProvider.class.getName())
                          && p.providers().equals(List.of("org.example.dicom.DicomKindProvider"))),
          module.toString());
      assertTrue(
          module.requires().stream()
              .anyMatch(
                  r ->
                      r.name().equals("com.google.auto.service")
                          && r.modifiers()
                              .equals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC))),
          "the annotation is needed at compile time only: " + module.requires());
    }

    Path jar = JavaSources.jar(classes, tmp.resolve("kind-plugin-dicom.jar"), Map.of());
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      BufferKindRegistry registry = BufferKindRegistry.loading(loader);
      assertEquals(List.of(), registry.problems());
      KindDescriptor dicom = registry.descriptor("dicom").orElseThrow();
      assertEquals(dicom, registry.byMediaType("application/dicom").orElseThrow());
      byte[] file = new byte[200];
      System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, file, 128, 4);
      Detection d = registry.detect(ByteBuffer.wrap(file));
      assertEquals(dicom.kind(), d.kind());
      assertEquals(KindSniffer.CERTAIN, d.score());
      assertEquals(BufferKind.raw(), registry.detect(ByteBuffer.wrap(new byte[200])).kind());
    }

    // The build snippet names the annotation and the processor, at the version used here.
    String version = annotations.getParent().getFileName().toString();
    for (String expected :
        List.of(
            "<artifactId>auto-service-annotations</artifactId>",
            "<annotationProcessorPaths>",
            "<artifactId>auto-service</artifactId>",
            "<version>" + version + "</version>")) {
      assertTrue(
          pom.contains(expected), expected + " not in the README's pom.xml snippet:\n" + pom);
    }
  }

  @Test
  void theExamplePluginIsWhatTheRecipeSays() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    Path example = Path.of("../examples/kind-plugin-dicom");
    String moduleInfo = Files.readString(example.resolve("src/main/java/module-info.java"));
    String pom = Files.readString(example.resolve("pom.xml"));
    assertTrue(moduleInfo.contains("requires static com.google.auto.service;"), moduleInfo);
    assertTrue(
        moduleInfo
            .replaceAll("\\s+", " ")
            .contains(
                "provides io.axon.buffer.spi.BufferKindProvider with"
                    + " org.example.dicom.DicomKindProvider;"),
        moduleInfo);
    String snippet = block(readme, "pom.xml", "xml");
    for (String line :
        List.of(
            "<artifactId>auto-service-annotations</artifactId>",
            "<annotationProcessorPaths>",
            "<artifactId>auto-service</artifactId>")) {
      assertTrue(snippet.contains(line) && pom.contains(line), line);
    }
  }
}
