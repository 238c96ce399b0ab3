package io.axon.buffer.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the integration tests find what Maven built: the module JARs copied to {@code
 * target/it-jars} (by {@code dependency:copy-dependencies} at {@code pre-integration-test}), the
 * command's shaded JAR, the DICOM samples of the example plugin, the repository's samples, the
 * sources of the applications compiled at test time, and a scratch folder. Failsafe passes each as
 * a system property (see the module's pom); run the tests through {@code ./mvnw verify}.
 */
final class ItEnv {

  private ItEnv() {}

  private static Path property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          "system property "
              + name
              + " is not set: run the integration"
              + " tests through `./mvnw verify -pl axon-buffer-it -am`");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  private static Path existing(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path
              + " does not exist: run the integration tests through"
              + " `./mvnw verify -pl axon-buffer-it -am` (it packages the modules first)");
    }
    return path;
  }

  /** The repository's root folder (the parent pom's). */
  static Path root() {
    return existing(property("axon.buffer.root"));
  }

  /** A module JAR from target/it-jars, by artifact id (api, core, media, ingest, the plugin...). */
  static Path jar(String artifactId) {
    return existing(property("axon.buffer.it.jars").resolve(artifactId + ".jar"));
  }

  static Path api() {
    return jar("axon-buffer-api");
  }

  static Path core() {
    return jar("axon-buffer-core");
  }

  static Path media() {
    return jar("axon-buffer-kinds-media");
  }

  static Path ingest() {
    return jar("axon-buffer-ingest");
  }

  static Path dicomPlugin() {
    return jar("kind-plugin-dicom");
  }

  /** The command's self-contained JAR, {@code axon-buffer-cli/target/axon-buffer.jar}. */
  static Path cliJar() {
    return existing(property("axon.buffer.cli.jar"));
  }

  /** A DICOM sample of the example plugin (examples/kind-plugin-dicom/src/test/resources/dicom). */
  static Path dicomSample(String name) {
    return existing(property("axon.buffer.dicom.samples").resolve(name));
  }

  /** A file of the repository's {@code samples/} folder. */
  static Path sample(String name) {
    return existing(property("axon.buffer.samples").resolve(name));
  }

  /** The sources of an application compiled at test time ({@code src/test/apps/NAME}). */
  static Path appSources(String name) {
    return existing(property("axon.buffer.it.apps").resolve(name));
  }

  /** A fresh folder under {@code target/it-work}. */
  static Path workDir(String prefix) {
    try {
      Path root = Files.createDirectories(property("axon.buffer.it.work"));
      return Files.createTempDirectory(root, prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
