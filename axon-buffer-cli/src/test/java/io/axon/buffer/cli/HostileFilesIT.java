package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command, in its own JVM, against what only a real process meets: its standard output
 * on a full device, a folder its user cannot list (the tests run as root here, where no permission
 * stops anything: the command then runs as user {@code nobody} through {@code setpriv}), an ASCII
 * locale, {@code /dev/stdin}, and a plugin whose facts hold control characters.
 */
class HostileFilesIT {

  @TempDir Path tmp;

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs the JAR with its standard output sent to {@code stdout}; what it printed on stderr. */
  private static Cli.Result runTo(File stdout, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(JarProcess.command(List.of(), args));
    pb.redirectOutput(stdout);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
    return new Cli.Result(p.exitValue(), "", err, new byte[0]);
  }

  @Test
  void aFullStandardOutputIsExit1NamingIt() throws Exception {
    File full = new File("/dev/full");
    assumeTrue(full.exists(), "a Linux /dev/full");
    Cli.Result binary =
        runTo(
            full,
            "transcode",
            "--from",
            "mulaw8",
            "--to",
            "pcm16",
            sample("hello-8k.ul").toString(),
            "-");
    assertEquals(1, binary.code(), binary.toString());
    assertTrue(
        binary.err().contains("cannot write standard output: No space left on device"),
        binary.err());

    Cli.Result text = runTo(full, "detect", Cli.samples().toString());
    assertEquals(1, text.code(), text.toString());
    assertTrue(
        text.err()
            .contains("axon-buffer: cannot write to standard output: No space left on device"),
        text.err());
  }

  @Test
  void aFolderItsUserCannotListIsOneErrorAndTheOthersArePrinted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("walk"));
    Files.copy(sample("photo.jpg"), dir.resolve("a.jpg"));
    Path locked = Files.createDirectories(dir.resolve("b-locked"));
    Files.copy(sample("photo.jpg"), locked.resolve("hidden.jpg"));
    Files.copy(sample("photo.jpg"), dir.resolve("c.jpg"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    List<String> command = new ArrayList<>();
    if (root()) {
      assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv, to run as nobody");
      command.addAll(
          List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.addAll(JarProcess.command(List.of(), "detect", "--json", dir.toString()));
    try {
      Cli.Result r = JarProcess.run(tmp, new byte[0], command);
      assertEquals(1, r.code(), r.toString());
      List<String> lines = r.lines();
      assertEquals(3, lines.size(), r.out());
      assertEquals("jpeg", JsonReader.object(lines.get(0)).get("kind"));
      Map<String, Object> failed = JsonReader.object(lines.get(1));
      assertEquals(locked.toString(), failed.get("file"));
      assertEquals("AccessDeniedException", ((Map<?, ?>) failed.get("error")).get("type"));
      assertEquals("jpeg", JsonReader.object(lines.get(2)).get("kind"), "the walk went on");
      assertTrue(r.err().contains("cannot list folder " + locked + ": permission denied"), r.err());
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void theLauncherOpensANonAsciiNameUnderTheCLocale() throws Exception {
    Process locales = new ProcessBuilder("locale", "-a").start();
    String known = new String(locales.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    locales.waitFor();
    assumeTrue(
        known.toLowerCase(java.util.Locale.ROOT).matches("(?s).*\\bc\\.utf-?8\\b.*"),
        "a C.UTF-8 locale");
    Path launcher = Cli.samples().getParent().resolve("axon-buffer");
    Path photo = Files.copy(sample("photo.jpg"), tmp.resolve("café.jpg"));
    Map<String, String> c = Map.of("LANG", "C", "LC_ALL", "C", "AXON_BUFFER_NO_BUILD", "1");
    Cli.Result direct =
        JarProcess.run(tmp, new byte[0], JarProcess.command(List.of(), "detect", "café.jpg"), c);
    assertEquals(2, direct.code(), "the JVM alone cannot name it: " + direct);
    assertTrue(direct.err().contains("run with a UTF-8 locale"), direct.err());

    Cli.Result launched =
        JarProcess.run(
            tmp, new byte[0], List.of("bash", launcher.toString(), "detect", "café.jpg"), c);
    assertEquals(0, launched.code(), launched.toString());
    assertTrue(launched.out().startsWith("café.jpg  jpeg 100"), launched.out());
    assertTrue(Files.exists(photo));
  }

  @Test
  void devStdinIsReadAsAStream() {
    byte[] mulaw = bytes(sample("hello-8k.ul"));
    Cli.Result r =
        JarProcess.run(
            null,
            mulaw,
            JarProcess.command(
                List.of(), "transcode", "--from", "mulaw8", "--to", "pcm16", "/dev/stdin", "-"));
    assertEquals(0, r.code(), r.toString());
    assertEquals(2 * mulaw.length, r.rawOut().length);
  }

  @Test
  void aPluginsFactsAreEscapedInTextOutput() throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    String source =
        String.join(
            "\n",
            "package org.hostile;",
            "import io.axon.buffer.KindDescriptor;",
            "import io.axon.buffer.spi.BufferKindProvider;",
            "import java.util.*;",
            "public final class HostileKindProvider implements BufferKindProvider {",
            "  public Collection<KindDescriptor> kinds() {",
            "    return List.of(KindDescriptor.builder(\"hostile\").description(\"facts with ESC\")",
            "        .mediaTypes(\"application/x-hostile\").extensions(\"hostile\")",
            "        .inspector(c -> Map.of(\"title\\u001b]0;owned\\u0007\",",
            "            \"\\u001b[2J\\u009b1m\\u202ecleared\")).build());",
            "  }",
            "}");
    PluginJars.build(
        plugins,
        "kind-plugin-hostile",
        Map.of("org/hostile/HostileKindProvider.java", source),
        "org.hostile.HostileKindProvider\n");
    Path file = Files.write(tmp.resolve("x.hostile"), new byte[] {1, 2, 3});
    Cli.Result r = JarProcess.run("--plugins", plugins.toString(), "detect", file.toString());
    assertEquals(0, r.code(), r.toString());
    assertFalse(r.out().contains("\u001b"), r.out());
    assertFalse(r.out().contains("\u009b"), r.out());
    assertFalse(r.out().contains("\u202e"), r.out());
    assertTrue(
        r.out().contains("title\\x1b]0;owned\\x07=\\x1b[2J\\u009b1m\\u202ecleared"), r.out());
  }
}
