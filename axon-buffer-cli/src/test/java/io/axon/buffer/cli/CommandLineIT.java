package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command, run in its own JVM as a script would run it. */
class CommandLineIT {

  @TempDir Path tmp;

  @Test
  void detectPrintsOneLinePerSampleFile() throws IOException {
    Cli.Result r = JarProcess.run("detect", Cli.samples().toString());
    assertEquals(0, r.code(), r.toString());
    long files;
    try (Stream<Path> s = Files.walk(Cli.samples())) {
      files = s.filter(Files::isRegularFile).count();
    }
    assertEquals(files, r.lines().size(), r.out());
    assertTrue(r.out().contains("photo.jpg  jpeg 100  1200 bytes"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void pluginsLoadFromAFolderBeforeOrAfterTheSubcommandAndBrokenOnesAreReported()
      throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.fits(plugins);
    PluginJars.broken(plugins);
    Path image = Files.write(tmp.resolve("m31.fits"), PluginJars.fitsContent());

    Cli.Result without = JarProcess.run("detect", "--json", image.toString());
    assertEquals("raw", JsonReader.object(without.out().trim()).get("kind"));

    for (List<String> args :
        List.of(
            List.of("--plugins", plugins.toString(), "detect", "--json", image.toString()),
            List.of("detect", "--plugins", plugins.toString(), "--json", image.toString()))) {
      Cli.Result r = JarProcess.run(args.toArray(new String[0]));
      assertEquals(0, r.code(), r.toString());
      Map<String, Object> o = JsonReader.object(r.out().trim());
      assertEquals("fits", o.get("kind"), r.toString());
      assertEquals(100L, o.get("score"));
      assertEquals(Map.of("headerCards", 2L), o.get("facts"));
      assertTrue(r.err().contains("org.broken.ExplodingProvider"), r.err());
      assertTrue(r.err().contains("org.broken.DoesNotExist"), r.err());
    }

    Cli.Result kinds = JarProcess.run("kinds", "--json", "--plugins", plugins.toString());
    assertEquals(0, kinds.code());
    Map<String, Object> fits =
        kinds.lines().stream()
            .map(JsonReader::object)
            .filter(o -> "fits".equals(o.get("kind")))
            .findFirst()
            .orElseThrow();
    assertEquals("org.acme.fits.FitsKindProvider", fits.get("provider"));
    assertTrue(((String) fits.get("origin")).endsWith("kind-plugin-fits.jar"), fits.toString());

    Cli.Result missingFolder = JarProcess.run("--plugins", tmp.resolve("nope").toString(), "kinds");
    assertEquals(2, missingFolder.code(), missingFolder.toString());
  }

  @Test
  void aPluginFileThatIsNotAJarIsReportedByNameAndTheOthersStillWork() throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.fits(plugins);
    Files.writeString(plugins.resolve("notes.jar"), "these are notes, not a zip file\n");
    Path image = Files.write(tmp.resolve("m31.fits"), PluginJars.fitsContent());

    Cli.Result r =
        JarProcess.run("--plugins", plugins.toString(), "detect", "--json", image.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals("fits", JsonReader.object(r.out().trim()).get("kind"), r.toString());
    assertTrue(r.err().contains("plugin problem: " + plugins.resolve("notes.jar")), r.err());
    assertTrue(r.err().contains("not a readable JAR (zip) file"), r.err());
    assertFalse(r.err().contains("kind-plugin-fits"), "only the bad file is reported: " + r.err());
  }

  @Test
  void aTranscoderPluginForAKindNobodyDeclaredIsListedAndNeedsTheKindDeclared() throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.g722Transcoder(plugins);
    Path in = Files.write(tmp.resolve("call.g722"), new byte[] {1, 2, 3});
    Path out = tmp.resolve("call.pcm");

    Cli.Result listed = JarProcess.run("transcoders", "--json", "--plugins", plugins.toString());
    assertEquals(0, listed.code(), listed.toString());
    Map<String, Object> g722 =
        listed.lines().stream()
            .map(JsonReader::object)
            .filter(o -> "g722".equals(o.get("from")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(listed.toString()));
    assertEquals("pcm16", g722.get("to"));
    assertEquals(false, g722.get("fromDeclared"));
    assertEquals(true, g722.get("toDeclared"));
    assertEquals(0L, g722.get("priority"));
    assertEquals("org.acme.g722.G722ToPcm16", g722.get("transcoder"));
    assertTrue(
        ((String) g722.get("origin")).endsWith("transcoder-plugin-g722.jar"), g722.toString());
    Cli.Result text = JarProcess.run("--plugins", plugins.toString(), "transcoders");
    assertTrue(text.out().contains("g722 (undeclared)"), text.out());

    Cli.Result refused =
        JarProcess.run(
            "transcode",
            "--plugins",
            plugins.toString(),
            "--from",
            "g722",
            "--to",
            "pcm16",
            in.toString(),
            out.toString());
    assertEquals(2, refused.code(), refused.toString());
    assertTrue(
        refused
            .err()
            .contains(
                "kind 'g722' is converted by org.acme.g722.G722ToPcm16 but declared"
                    + " by no kind provider"),
        refused.err());
    assertFalse(Files.exists(out));

    PluginJars.g722Kind(plugins); // what the plugin needed: a provider that declares the kind
    Cli.Result done =
        JarProcess.run(
            "transcode",
            "--plugins",
            plugins.toString(),
            "--from",
            "g722",
            "--to",
            "pcm16",
            in.toString(),
            out.toString());
    assertEquals(0, done.code(), done.toString());
    assertArrayEquals(new byte[] {1, 1, 2, 2, 3, 3}, Files.readAllBytes(out));
  }

  @Test
  void exitCodesAndStdoutOnFailure() throws IOException {
    Cli.Result usage = JarProcess.run("detect");
    assertEquals(2, usage.code(), usage.toString());
    assertEquals("", usage.out());

    Path bad =
        Files.write(
            tmp.resolve("bad.jpg"),
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17});
    Cli.Result badInput = JarProcess.run("detect", bad.toString());
    assertEquals(1, badInput.code(), badInput.toString());
    assertEquals("", badInput.out());
    assertTrue(badInput.err().contains("bad.jpg"), badInput.err());

    Cli.Result json = JarProcess.run("multipart", "--json", "--boundary", "b", bad.toString());
    assertEquals(1, json.code(), json.toString());
    Map<String, Object> error = JsonReader.object(json.out().trim());
    assertEquals("MultipartException", error.get("error"));
    assertEquals("TRUNCATED", error.get("fault"));
  }

  @Test
  void transcodeStreamsStdinToStdout() {
    byte[] mulaw = bytes(sample("hello-8k.ul"));
    Cli.Result r =
        JarProcess.run(
            null,
            mulaw,
            JarProcess.command(
                List.of(),
                "transcode",
                "--from",
                "mulaw8",
                "--to",
                "wav",
                "--rate",
                "8000",
                "--channels",
                "1",
                "-",
                "-"));
    assertEquals(0, r.code(), r.err());
    assertEquals(44 + 2 * mulaw.length, r.rawOut().length);
    assertEquals("WAVE", new String(r.rawOut(), 8, 4, StandardCharsets.US_ASCII));
  }

  /**
   * The launcher's first-run build, in a copy of the repository's layout whose {@code mvnw} is a
   * stub: it records its arguments and "builds" by copying the real JAR (Maven is never started
   * inside this build).
   */
  @Test
  void theLauncherBuildsOnFirstUseAndAgainOnlyWhenAMainSourceChanged() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("checkout"));
    Path launcher = root.resolve("axon-buffer");
    Files.copy(Cli.samples().getParent().resolve("axon-buffer"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // What the staleness check looks at: the root pom, and each command module's pom and
    // src/main; all older than any JAR the stub makes.
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    Path coreSource = root.resolve("axon-buffer-core/src/main/java/Core.java");
    List<Path> sources = new ArrayList<>(List.of(root.resolve("pom.xml"), coreSource));
    for (String module : List.of("api", "core", "kinds-media", "ingest", "cli")) {
      sources.add(root.resolve("axon-buffer-" + module + "/pom.xml"));
      sources.add(root.resolve("axon-buffer-" + module + "/src/main/resources/placeholder.txt"));
    }
    for (Path f : sources) {
      Files.createDirectories(f.getParent());
      Files.writeString(f, "placeholder\n");
      Files.setLastModifiedTime(f, longAgo);
    }
    Path calls = root.resolve("mvnw.calls");
    Path jar = root.resolve("axon-buffer-cli/target/axon-buffer.jar");
    stubMvnw(
        root,
        "printf '%s\\n' \"$*\" >> '"
            + calls
            + "'\n"
            + "mkdir -p '"
            + jar.getParent()
            + "'\n"
            + "cp '"
            + JarProcess.jar()
            + "' '"
            + jar
            + "'\n");
    // Called from another folder, with a path relative to that folder.
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.copy(sample("photo.jpg"), elsewhere.resolve("photo.jpg"));

    Cli.Result first = launch(launcher, elsewhere, "kinds");
    assertEquals(0, first.code(), first.toString());
    assertTrue(first.err().contains("axon-buffer: building the command with ./mvnw"), first.err());
    assertTrue(first.out().contains("jpeg"), first.out());
    List<String> builds = Files.readAllLines(calls);
    assertEquals(1, builds.size(), builds.toString());
    assertTrue(List.of(builds.get(0).split(" ")).contains("-q"), "quiet: " + builds);
    assertTrue(List.of(builds.get(0).split(" ")).contains("package"), builds.toString());

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Cli.Result second = launch(launcher, elsewhere, "detect", "photo.jpg");
    assertEquals(0, second.code(), second.toString());
    assertTrue(second.out().startsWith("photo.jpg  jpeg 100"), second.out());
    assertFalse(second.err().contains("building"), second.err());
    assertEquals(1, Files.readAllLines(calls).size(), "no build when nothing changed");

    Files.setLastModifiedTime(coreSource, FileTime.from(Instant.now()));
    Cli.Result changed = launch(launcher, elsewhere, "kinds");
    assertEquals(0, changed.code(), changed.toString());
    assertTrue(changed.err().contains("axon-buffer: building the command"), changed.err());
    assertEquals(2, Files.readAllLines(calls).size(), "a changed main source builds again");

    Files.delete(jar);
    stubMvnw(root, "echo '[ERROR] COMPILATION ERROR (stub)' >&2\nexit 3\n");
    Cli.Result failed = launch(launcher, elsewhere, "kinds");
    assertEquals(1, failed.code(), failed.toString());
    assertTrue(failed.err().contains("axon-buffer: the build failed"), failed.err());
    assertTrue(
        failed.err().contains("COMPILATION ERROR (stub)"),
        "Maven's own message is shown: " + failed.err());
    assertEquals("", failed.out());
  }

  private static void stubMvnw(Path root, String body) throws IOException {
    Path mvnw = root.resolve("mvnw");
    Files.writeString(mvnw, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the launcher by its path from {@code folder}, as a user would, builds allowed. */
  private static Cli.Result launch(Path launcher, Path folder, String... args) {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    // An empty AXON_BUFFER_NO_BUILD counts as unset: the staleness check runs.
    return JarProcess.run(
        folder,
        new byte[0],
        command,
        Map.of("AXON_BUFFER_NO_BUILD", "", "JAVA", JarProcess.javaBin()));
  }

  @Test
  void theLauncherRunsFromAnyFolder() {
    Path launcher = Cli.samples().getParent().resolve("axon-buffer");
    assertTrue(Files.isExecutable(launcher), launcher + " is executable");
    // AXON_BUFFER_NO_BUILD: the JAR was just built by this very build; never start Maven inside it.
    Cli.Result r =
        JarProcess.run(
            Cli.samples(),
            new byte[0],
            List.of("bash", launcher.toString(), "detect", "photo.jpg"),
            Map.of("AXON_BUFFER_NO_BUILD", "1"));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("photo.jpg  jpeg 100"), r.out());
    assertFalse(r.err().contains("building"), r.err());
  }
}
