package io.axon.buffer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that a module's two service declarations agree: {@code META-INF/services} (written by
 * AutoService, read on the class path) and {@code provides} in {@code module-info.java} (written by
 * hand, read on the module path). A provider listed in one but not the other works on one path and
 * silently disappears on the other; this check fails the build instead.
 *
 * <pre>{@code
 * @Test void servicesMatchModuleInfo() {
 *   ServiceDeclarationCheck.assertConsistent(ServiceDeclarationCheck.classesDirOf(MyProvider.class));
 * }
 * }</pre>
 */
public final class ServiceDeclarationCheck {

  private ServiceDeclarationCheck() {}

  /** The class-output folder (or JAR) that holds {@code type}. */
  public static Path classesDirOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + type, e);
    }
  }

  /**
   * The differences between {@code provides} in {@code module-info.class} and the files under
   * {@code META-INF/services} of a class-output folder; empty when they agree.
   */
  public static List<String> differences(Path classesDir) throws IOException {
    Path moduleInfo = classesDir.resolve("module-info.class");
    if (!Files.isRegularFile(moduleInfo)) {
      return List.of("no module-info.class in " + classesDir);
    }
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(moduleInfo)) {
      descriptor = ModuleDescriptor.read(in);
    }
    Map<String, Set<String>> provides = new TreeMap<>();
    for (ModuleDescriptor.Provides p : descriptor.provides()) {
      provides.put(p.service(), new TreeSet<>(p.providers()));
    }
    Map<String, Set<String>> services = new TreeMap<>();
    Path servicesDir = classesDir.resolve("META-INF/services");
    if (Files.isDirectory(servicesDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(servicesDir)) {
        for (Path file : files) {
          Set<String> names = new TreeSet<>();
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
          services.put(file.getFileName().toString(), names);
        }
      }
    }
    List<String> out = new ArrayList<>();
    Set<String> serviceTypes = new TreeSet<>(provides.keySet());
    serviceTypes.addAll(services.keySet());
    for (String service : serviceTypes) {
      Set<String> inModule = provides.getOrDefault(service, Set.of());
      Set<String> inFiles = services.getOrDefault(service, Set.of());
      for (String provider : inFiles) {
        if (!inModule.contains(provider)) {
          out.add(
              provider
                  + " is listed in META-INF/services/"
                  + service
                  + " but not in module-info's `provides "
                  + service
                  + " with ...`");
        }
      }
      for (String provider : inModule) {
        if (!inFiles.contains(provider)) {
          out.add(
              provider
                  + " is in module-info's `provides "
                  + service
                  + "` but not in META-INF/services/"
                  + service
                  + " (missing @AutoService?)");
        }
      }
    }
    return out;
  }

  /**
   * Fails with every difference listed unless {@code provides} and {@code META-INF/services} agree.
   */
  public static void assertConsistent(Path classesDir) {
    List<String> differences;
    try {
      differences = differences(classesDir);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + classesDir + ": " + e, e);
    }
    if (!differences.isEmpty()) {
      throw new AssertionError(
          "service declarations disagree in "
              + classesDir
              + ":\n  "
              + String.join("\n  ", differences));
    }
  }
}
