package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.run;
import static io.axon.buffer.cli.Cli.sample;
import static io.axon.buffer.cli.Cli.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command against files and devices a careless user points it at: output into devices, named
 * pipes and through symbolic links as {@code cp} writes; write errors; special files read as
 * streams with a limit; pipes without a peer; names and facts that hold control characters. Devices
 * are reached through links in the test's folder (or made there with {@code mknod} when the test
 * may), so that a command that replaced its output would replace the link, never the machine's
 * {@code /dev/null}.
 */
class HostileFilesTest {

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  @TempDir Path tmp;

  private static final byte[] MULAW = bytes(sample("hello-8k.ul"));

  private static int fileType(Path p) throws IOException {
    return ((Integer) Files.getAttribute(p, "unix:mode")) & S_IFMT;
  }

  private static Path mkfifo(Path p) throws Exception {
    PathNamesTest.shell("mkfifo '" + p + "'");
    return p;
  }

  private static String[] decode(String out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(List.of("transcode", "--from", "mulaw8", "--to", "pcm16"));
    args.addAll(List.of(more));
    args.add(sample("hello-8k.ul").toString());
    args.add(out);
    return args.toArray(new String[0]);
  }

  // ------------------------------------------------------------------ output

  @Test
  void aSymlinkIsFollowedTheFileItLeadsToReplacedAndTheLinkKept() throws IOException {
    Path real = Files.write(tmp.resolve("real.pcm"), new byte[] {1, 2, 3});
    var perms = PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(real, perms);
    Path link = Files.createSymbolicLink(tmp.resolve("link.pcm"), Path.of("real.pcm"));

    Cli.Result r = run(decode(link.toString()));
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(link), "the link is still a link");
    assertEquals(Path.of("real.pcm"), Files.readSymbolicLink(link));
    assertEquals(2L * MULAW.length, Files.size(real), "the file it leads to got the output");
    assertEquals(perms, Files.getPosixFilePermissions(real), "and kept its permissions");
    try (var files = Files.list(tmp)) {
      assertEquals(2, files.count(), "no temporary file left");
    }
  }

  @Test
  void aDeviceIsWrittenIntoNeverReplaced() throws Exception {
    Path devNull = Files.createSymbolicLink(tmp.resolve("null"), Path.of("/dev/null"));
    Cli.Result r = run(decode(devNull.toString()));
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(devNull), "the link is still a link");
    assertEquals(S_IFCHR, fileType(Path.of("/dev/null")), "/dev/null is still a device");

    // A device node of the test's own, where the test may make one (root, CAP_MKNOD).
    Path node = tmp.resolve("null-node");
    Process mknod = new ProcessBuilder("mknod", node.toString(), "c", "1", "3").start();
    assumeTrue(mknod.waitFor() == 0, "mknod is not allowed here");
    Cli.Result intoNode = run(decode(node.toString()));
    assertEquals(0, intoNode.code(), intoNode.toString());
    assertEquals(S_IFCHR, fileType(node), "the device node is still a device node");
  }

  @Test
  void aNamedPipeIsWrittenIntoForItsReader() throws Exception {
    Path fifo = mkfifo(tmp.resolve("out.fifo"));
    CompletableFuture<byte[]> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.readAllBytes(fifo);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            OWN_THREAD);
    Cli.Result r = run(decode(fifo.toString()));
    assertEquals(0, r.code(), r.toString());
    assertEquals(2 * MULAW.length, reader.get(30, TimeUnit.SECONDS).length);
    assertEquals(S_IFIFO, fileType(fifo), "still a named pipe");
  }

  @Test
  void aNamedPipeThatNobodyReadsGivesUpAfterPipeWait() throws Exception {
    Path fifo = mkfifo(tmp.resolve("unread.fifo"));
    Cli.Result r = run(decode(fifo.toString(), "--pipe-wait", "1"));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("PipeTimeoutException"), r.err());
    assertTrue(
        r.err().contains("cannot write " + fifo + ": no process opened the named pipe for reading"),
        r.err());
    assertEquals(S_IFIFO, fileType(fifo));
  }

  @Test
  void aWriteErrorIsExit1NamingTheOutput() throws IOException {
    Path full = Files.createSymbolicLink(tmp.resolve("full"), Path.of("/dev/full"));
    Cli.Result r = run(decode(full.toString()));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("cannot write " + full + ": No space left on device"), r.err());
    assertTrue(Files.isSymbolicLink(full));

    Cli.Result json = run(decode(full.toString(), "--json"));
    assertEquals(2, json.code(), "transcode has no --json: " + json);
  }

  @Test
  void aDanglingSymlinkIsNotWrittenThrough() throws IOException {
    Path target = tmp.resolve("planted-target.pcm");
    Path link = Files.createSymbolicLink(tmp.resolve("dangling.pcm"), target);
    Cli.Result r = run(decode(link.toString()));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("a symbolic link to a missing file"), r.err());
    assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "nothing created through it");
    assertTrue(Files.isSymbolicLink(link));
  }

  @Test
  void aFolderIsNotAnOutput() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    Cli.Result r = run(decode(folder.toString()));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("cannot write " + folder + ": is a folder"), r.err());
    assertTrue(Files.isDirectory(folder));
  }

  /** A standard output on a full disk. */
  private static final class FullDisk extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }
  }

  @Test
  void aStandardOutputThatFailsIsExit1NamingIt() {
    Cli.Result binary = Cli.runWithOutput(new FullDisk(), decode("-"));
    assertEquals(1, binary.code(), binary.toString());
    assertTrue(
        binary.err().contains("cannot write standard output: No space left on device"),
        binary.err());
    assertFalse(binary.err().contains("cannot write to standard output"), "said once");

    for (String[] text :
        List.of(
            new String[] {"detect", sample("photo.jpg").toString()},
            new String[] {"kinds"},
            new String[] {"detect", "--json", sample("photo.jpg").toString()})) {
      Cli.Result r = Cli.runWithOutput(new FullDisk(), text);
      assertEquals(1, r.code(), String.join(" ", text) + ": " + r);
      assertTrue(
          r.err().contains("cannot write to standard output: No space left on device"), r.err());
    }
    // A PrintStream swallows the error; its error flag is read.
    Cli.Result swallowed = Cli.runWithOutput(new PrintStream(new FullDisk()), "kinds");
    assertEquals(1, swallowed.code(), swallowed.toString());
    assertTrue(swallowed.err().contains("cannot write to standard output"), swallowed.err());
  }

  // ------------------------------------------------------------------ special files as input

  /**
   * Runs each task on a thread of its own: a task blocked in open(2) on a pipe must never wait for
   * a pool's thread (the common pool has one thread on a two-core machine).
   */
  private static final java.util.concurrent.Executor OWN_THREAD =
      task -> {
        Thread t = new Thread(task, "pipe end");
        t.setDaemon(true);
        t.start();
      };

  private static CompletableFuture<Void> writeWhenOpened(Path fifo, byte[] content) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            Files.write(fifo, content);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        OWN_THREAD);
  }

  @Test
  void aNamedPipeIsReadAsAStream() throws Exception {
    Path fifo = mkfifo(tmp.resolve("in.fifo"));
    Path out = tmp.resolve("out.pcm");
    CompletableFuture<Void> writer = writeWhenOpened(fifo, MULAW);
    Cli.Result r =
        run("transcode", "--from", "mulaw8", "--to", "pcm16", fifo.toString(), out.toString());
    assertEquals(0, r.code(), r.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertEquals(2L * MULAW.length, Files.size(out));

    byte[] photo = bytes(sample("photo.jpg"));
    writer = writeWhenOpened(fifo, photo);
    Cli.Result detected = run("detect", "--json", fifo.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertEquals(0, detected.code(), detected.toString());
    Map<String, Object> o = JsonReader.object(detected.out().trim());
    assertEquals("jpeg", o.get("kind"));
    assertEquals((long) photo.length, o.get("size"));
    assertEquals(sha256(photo), o.get("sha256"));
  }

  @Test
  void aNamedPipeWithoutAWriterGivesUpAfterPipeWaitInEveryCommand() throws Exception {
    Path fifo = mkfifo(tmp.resolve("silent.fifo"));
    Path out = tmp.resolve("never.pcm");
    for (String[] args :
        List.of(
            new String[] {"detect", "--pipe-wait", "1", fifo.toString()},
            new String[] {
              "transcode",
              "--pipe-wait",
              "1",
              "--from",
              "mulaw8",
              "--to",
              "pcm16",
              fifo.toString(),
              out.toString()
            },
            new String[] {"multipart", "--pipe-wait", "1", "--boundary", "b", fifo.toString()})) {
      Cli.Result r = run(args);
      assertEquals(1, r.code(), args[0] + ": " + r);
      assertTrue(r.err().contains("PipeTimeoutException"), r.err());
      assertTrue(
          r.err().contains(fifo + ": no process opened the named pipe for writing within 1 s"),
          r.err());
      assertEquals("", r.out());
    }
    assertFalse(Files.exists(out));
    Cli.Result json = run("detect", "--json", "--pipe-wait", "1", fifo.toString());
    Map<?, ?> error = (Map<?, ?>) JsonReader.object(json.out().trim()).get("error");
    assertEquals("PipeTimeoutException", error.get("type"), json.toString());

    // The pipe is usable afterwards: the helper that waited let go of it.
    CompletableFuture<Void> writer = writeWhenOpened(fifo, new byte[] {1, 2, 3});
    Cli.Result late = run("detect", "--json", fifo.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertEquals(3L, JsonReader.object(late.out().trim()).get("size"), late.toString());
  }

  @Test
  void procFilesAndDevicesAreReadToTheirEnd() throws IOException {
    Path cmdline = Path.of("/proc/self/cmdline");
    assumeTrue(Files.isReadable(cmdline), "a Linux /proc");
    assertEquals(0, Files.size(cmdline), "/proc reports 0 bytes");
    byte[] expected = Files.readAllBytes(cmdline); // this very JVM's command line
    Cli.Result r = run("detect", "--json", cmdline.toString(), "/dev/null");
    assertEquals(0, r.code(), r.toString());
    Map<String, Object> proc = JsonReader.object(r.lines().get(0));
    assertEquals((long) expected.length, proc.get("size"));
    assertEquals(sha256(expected), proc.get("sha256"));
    Map<String, Object> devNull = JsonReader.object(r.lines().get(1));
    assertEquals(0L, devNull.get("size"));
  }

  @Test
  void aStreamPastTheLimitIsASizeLimitExceededExceptionNamingTheFile() {
    Cli.Result detect = run("detect", "--stream-limit", "1m", "/dev/zero");
    assertEquals(1, detect.code(), detect.toString());
    assertTrue(
        detect
            .err()
            .contains(
                "SizeLimitExceededException: cannot read /dev/zero: larger than the"
                    + " --stream-limit of 1048576 bytes"),
        detect.err());

    Path out = tmp.resolve("zeros.pcm");
    Cli.Result transcode =
        run(
            "transcode",
            "--stream-limit",
            "64k",
            "--from",
            "mulaw8",
            "--to",
            "pcm16",
            "/dev/zero",
            out.toString());
    assertEquals(1, transcode.code(), transcode.toString());
    assertTrue(
        transcode.err().contains("/dev/zero: larger than the --stream-limit of 65536 bytes"),
        transcode.err());
    assertFalse(Files.exists(out));

    Cli.Result stdin =
        Cli.runWithInput(
            new byte[100_000],
            "transcode",
            "--stream-limit",
            "64k",
            "--from",
            "mulaw8",
            "--to",
            "pcm16",
            "-",
            out.toString());
    assertEquals(1, stdin.code(), stdin.toString());
    assertTrue(stdin.err().contains("standard input: larger than the --stream-limit"), stdin.err());

    assertEquals(2, run("detect", "--stream-limit", "3g", "/dev/null").code(), "above the most");
    assertEquals(2, run("detect", "--pipe-wait", "-1", "/dev/null").code());
  }

  // ------------------------------------------------------------------ folders

  @Test
  void aFolderThatCannotBeListedIsOneErrorAndTheWalkGoesOn() throws Exception {
    // chmod 000 stops everyone but root; as root, HostileFilesIT runs the same check as 'nobody'.
    assumeTrue(
        !"root".equals(System.getProperty("user.name")), "root lists a chmod 000 folder anyway");
    Path dir = Files.createDirectories(tmp.resolve("walk"));
    Files.copy(sample("photo.jpg"), dir.resolve("a.jpg"));
    Path locked = Files.createDirectories(dir.resolve("b-locked"));
    Files.copy(sample("photo.jpg"), locked.resolve("hidden.jpg"));
    Files.copy(sample("photo.jpg"), dir.resolve("c.jpg"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      Cli.Result r = run("detect", "--json", dir.toString());
      assertEquals(1, r.code(), r.toString());
      assertEquals(3, r.lines().size(), r.out());
      assertEquals(
          "AccessDeniedException",
          ((Map<?, ?>) JsonReader.object(r.lines().get(1)).get("error")).get("type"));
      assertTrue(r.err().contains("cannot list folder " + locked + ": permission denied"), r.err());
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  // ------------------------------------------------------------------ names

  @Test
  void controlCharactersAndUndecodableBytesInNamesAreEscapedInTextAndKeptInJson() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("names"));
    PathNamesTest.shell(
        "cd '"
            + dir
            + "' && cp '"
            + sample("photo.jpg")
            + "' \"$(printf 'clear\\033[2J.jpg')\" && cp '"
            + sample("photo.jpg")
            + "' \"$(printf 'latin\\351.jpg')\" && head -c 40 '"
            + sample("photo.jpg")
            + "' > \"$(printf 'cut\\033]0;owned\\007.jpg')\"");

    Cli.Result text = run("detect", dir.toString());
    assertEquals(1, text.code(), text.toString());
    for (String printed : List.of(text.out(), text.err())) {
      assertFalse(printed.contains("\u001b"), "no escape character reaches the terminal");
      assertFalse(printed.contains("\u0007"), "nor a bell");
    }
    assertTrue(text.out().contains(dir + "/clear\\x1b[2J.jpg  jpeg 100"), text.out());
    assertTrue(text.out().contains(dir + "/latin\\xe9.jpg  jpeg 100"), text.out());
    assertTrue(
        text.err().contains(dir + "/cut\\x1b]0;owned\\x07.jpg: MalformedContentException"),
        text.err());

    Cli.Result json = run("detect", "--json", dir.toString());
    assertTrue(json.out().contains("\"file\":\"" + dir + "/clear\\u001b[2J.jpg\""), json.out());
    assertTrue(json.out().contains("\"file\":\"" + dir + "/latin\\udce9.jpg\""), json.out());
    // The JSON names the real file: its string, encoded back the surrogateescape way, is the
    // file's bytes.
    String latin = JsonReader.object(json.lines().get(2)).get("file").toString();
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    for (int i = 0; i < latin.length(); i++) {
      char c = latin.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        encoded.write(c & 0xFF);
      } else {
        encoded.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    assertArrayEquals(
        (dir + "/latin\u00e9.jpg").getBytes(StandardCharsets.ISO_8859_1), encoded.toByteArray());
  }

  @Test
  void aBodysHeaderValuesAreEscapedInTextOutput() {
    String body =
        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\u001b[2J.txt\"\r\n"
            + "Content-Type: text/plain; note=\"\u001b[31mred\"\r\n\r\nhello\r\n--b--\r\n";
    Cli.Result r =
        Cli.runWithInput(
            body.getBytes(StandardCharsets.ISO_8859_1), "multipart", "--boundary", "b", "-");
    if (r.code() == 0) {
      assertFalse(r.out().contains("\u001b"), r.out());
      assertTrue(r.out().contains("filename=\"x\\u001b[2J.txt\""), r.out());
    } else {
      // the parser refuses control characters in headers: nothing raw on the terminal either way
      assertFalse(r.err().contains("\u001b"), r.err());
    }
  }
}
