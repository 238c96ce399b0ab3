package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.spi.BufferKindProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDeclarationCheckTest {

  private static final String SERVICE = BufferKindProvider.class.getName();

  @TempDir Path tmp;

  /** Compiles a module that provides demo.One and demo.Two. */
  private Path compileDemoModule() throws Exception {
    String provider =
        "package demo; public final class %s implements io.axon.buffer.spi.BufferKindProvider {"
            + " public java.util.Collection<io.axon.buffer.KindDescriptor> kinds() { return java.util.List.of(); } }";
    return compile(
        tmp.resolve("demo"),
        Map.of(
            "module-info.java",
                "module demo { requires io.axon.buffer.api; provides "
                    + SERVICE
                    + " with demo.One, demo.Two; }",
            "demo/One.java", String.format(provider, "One"),
            "demo/Two.java", String.format(provider, "Two")),
        "--release",
        "17",
        "--module-path",
        ServiceDeclarationCheck.classesDirOf(BufferKind.class).toString());
  }

  /** Writes {@code sources} under {@code dir/src} and compiles them into {@code dir/classes}. */
  private static Path compile(Path dir, Map<String, String> sources, String... options)
      throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("-d", classes.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = dir.resolve("src").resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    int status =
        ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
    assertEquals(0, status, "javac of " + sources.keySet());
    return classes;
  }

  private static void services(Path classes, String... lines) throws Exception {
    Path file = classes.resolve("META-INF/services/" + SERVICE);
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines));
  }

  @Test
  void agreeingDeclarationsPass() throws Exception {
    Path classes = compileDemoModule();
    services(classes, "# generated", "demo.Two", "demo.One");
    assertEquals(List.of(), ServiceDeclarationCheck.differences(classes));
    ServiceDeclarationCheck.assertConsistent(classes);
  }

  @Test
  void aProviderMissingFromServicesFiles() throws Exception {
    Path classes = compileDemoModule();
    services(classes, "demo.One");
    AssertionError e =
        assertThrows(AssertionError.class, () -> ServiceDeclarationCheck.assertConsistent(classes));
    assertTrue(e.getMessage().contains("demo.Two is in module-info's `provides"), e.getMessage());
  }

  @Test
  void aProviderMissingFromModuleInfo() throws Exception {
    Path classes = compileDemoModule();
    services(classes, "demo.One", "demo.Two", "demo.Three");
    AssertionError e =
        assertThrows(AssertionError.class, () -> ServiceDeclarationCheck.assertConsistent(classes));
    assertTrue(
        e.getMessage()
            .contains(
                "demo.Three is listed in META-INF/services/" + SERVICE + " but not in module-info"),
        e.getMessage());
  }
}
