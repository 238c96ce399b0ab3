package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.run;
import static io.axon.buffer.cli.Cli.sample;
import static io.axon.buffer.cli.Cli.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command, run in-process: outputs, JSON, exit codes, error reporting. */
class CommandTest {

  @TempDir Path tmp;

  private static String uploadContentType() {
    return new String(bytes(sample("upload.headers")), java.nio.charset.StandardCharsets.US_ASCII)
        .trim();
  }

  // ------------------------------------------------------------------ usage

  @Test
  void noSubcommandIsAUsageError() {
    Cli.Result r = run();
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("a subcommand is required"), r.err());
    assertEquals("", r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"frobnicate", "--no-such-option"})
  void unknownSubcommandsAndOptionsAreUsageErrors(String arg) {
    Cli.Result r = run(arg);
    assertEquals(2, r.code(), r.toString());
    assertEquals("", r.out());
  }

  /**
   * Usage errors of each kind: picocli's (missing FILE, unknown option, bad value, ...) and a
   * command's own.
   */
  private static final String[] USAGE_ERRORS = {
    "detect --json",
    "detect --json --no-such-option x",
    "kinds --json --bogus",
    "multipart --json --boundary b --chunk lots -",
    "--bogus detect --json x",
    "multipart --json --content-type text/plain -",
  };

  @Test
  void everyUsageErrorUnderJsonPrintsOneJsonErrorObjectAndTheUsageOnStderr() {
    for (String line : USAGE_ERRORS) {
      Cli.Result r = run(line.split(" "));
      assertEquals(2, r.code(), line + ": " + r);
      assertEquals(1, r.lines().size(), line + ": one JSON object on stdout: " + r);
      Map<String, Object> error = JsonReader.object(r.out().trim());
      assertEquals("UsageError", error.get("error"), line + ": " + r);
      assertFalse(((String) error.get("message")).isBlank(), line + ": " + r);
      assertTrue(
          r.err().contains(error.get("message").toString()),
          line + ": the message on stderr too: " + r);
      assertTrue(
          r.err().contains("Usage: axon-buffer") || r.err().contains("--help"), line + ": " + r);
    }
  }

  @Test
  void withoutJsonAUsageErrorPrintsNothingOnStdout() {
    for (String line : USAGE_ERRORS) {
      Cli.Result r = run(line.replace("--json", "").trim().split(" +"));
      assertEquals(2, r.code(), line + ": " + r);
      assertEquals("", r.out(), line + ": " + r);
    }
    // --json after "--" is an operand (a file name), not the option
    Cli.Result operand = run("detect", "--no-such-option", "--", "--json");
    assertEquals(2, operand.code(), operand.toString());
    assertEquals("", operand.out(), operand.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"kinds", "transcoders", "detect", "transcode", "multipart", "serve"})
  void everySubcommandHasHelpWithExamples(String command) {
    Cli.Result r = run(command, "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("Usage: axon-buffer " + command), r.out());
    assertTrue(r.out().contains("Examples:"), r.out());
    assertTrue(r.out().contains("--plugins"), "every command takes --plugins: " + r.out());
  }

  @Test
  void serveHelpGivesEveryOptionThatTakesAValueItsDefault() {
    CommandLine serve = new CommandLine(new Main()).getSubcommands().get("serve");
    String help = serve.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
    int valued = 0;
    for (CommandLine.Model.OptionSpec o : serve.getCommandSpec().options()) {
      if (o.arity().max() == 0 || o.isMultiValue()) {
        continue; // a flag (off unless given) or a repeatable one (none unless given)
      }
      valued++;
      String description = String.join(" ", o.description());
      assertTrue(
          description.contains("default") || description.contains("DEFAULT-VALUE"),
          o.longestName() + " says its default: " + description);
      assertTrue(help.contains(o.longestName()), o.longestName() + " in the help");
    }
    assertTrue(valued >= 16, "serve's options: " + valued);
  }

  @Test
  void topLevelHelpAndVersion() {
    Cli.Result help = run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("Exit codes:"), help.out());
    Cli.Result version = run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("axon-buffer "), version.out());
  }

  // ------------------------------------------------------------------ kinds

  @Test
  void kindsListsTheSeededKindsWithTheirProvider() {
    Cli.Result text = run("kinds");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().contains("MediaKindProvider"), text.out());
    Cli.Result json = run("kinds", "--json");
    assertEquals(0, json.code(), json.toString());
    Map<String, Map<String, Object>> byKind = new HashMap<>();
    for (String line : json.lines()) {
      Map<String, Object> o = JsonReader.object(line);
      byKind.put((String) o.get("kind"), o);
    }
    for (String kind :
        List.of(
            "raw", "pcm16", "mulaw8", "wav", "mp3", "opus", "jpeg", "png", "webp", "mp4", "webm",
            "pdf", "json", "csv")) {
      assertTrue(byKind.containsKey(kind), kind + " missing from " + byKind.keySet());
    }
    Map<String, Object> jpeg = byKind.get("jpeg");
    assertEquals("image/jpeg", ((List<?>) jpeg.get("mediaTypes")).get(0));
    assertTrue(((List<?>) jpeg.get("extensions")).contains("jpg"));
    assertEquals("io.axon.buffer.kinds.media.MediaKindProvider", jpeg.get("provider"));
    assertEquals(true, jpeg.get("inspector"));
  }

  // ------------------------------------------------------------------ transcoders

  @Test
  void transcodersListsTheMediaTranscodersWithPriorityAndOrigin() {
    Cli.Result json = run("transcoders", "--json");
    assertEquals(0, json.code(), json.toString());
    assertEquals("", json.err(), json.toString());
    List<String> pairs = new java.util.ArrayList<>();
    for (String line : json.lines()) {
      Map<String, Object> o = JsonReader.object(line);
      assertEquals(
          List.of("from", "to", "fromDeclared", "toDeclared", "priority", "transcoder", "origin"),
          List.copyOf(o.keySet()),
          line);
      pairs.add(o.get("from") + ">" + o.get("to"));
      assertEquals(true, o.get("fromDeclared"), line);
      assertEquals(true, o.get("toDeclared"), line);
      assertEquals(100L, o.get("priority"), line);
      assertTrue(((String) o.get("transcoder")).startsWith("io.axon.buffer.kinds.media."), line);
      assertTrue(o.get("origin") != null, line);
    }
    assertEquals(
        List.of(
            "mulaw8>pcm16",
            "pcm16>mulaw8",
            "pcm16>pcm16",
            "pcm16>wav",
            "wav>mulaw8",
            "wav>pcm16",
            "wav>wav"),
        pairs,
        "the rate steps (pcm16>pcm16, wav>wav) included");

    Cli.Result text = run("transcoders");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.lines().get(0).matches("FROM +TO +PRIORITY +TRANSCODER"), text.out());
    assertTrue(
        text.lines()
            .get(1)
            .matches(
                "mulaw8 +pcm16 +100 +io\\.axon\\.buffer\\.kinds\\.media\\.MulawToPcm16Transcoder.*"),
        text.out());
    assertEquals(8, text.lines().size(), text.out());
  }

  @Test
  void aPluginJarThatRegistersNothingIsReportedByNameAndTheRunGoesOn() throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path unprocessed = PluginJars.withoutServices(plugins);
    Path moduleOnly = PluginJars.moduleOnly(plugins);
    Cli.Result r = run("--plugins", plugins.toString(), "kinds", "--json");
    assertEquals(0, r.code(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "axon-buffer: plugin problem: "
                    + unprocessed
                    + ": registers no kind provider or transcoder: it has no META-INF/services/"
                    + "io.axon.buffer.spi.BufferKindProvider"),
        r.err());
    assertTrue(r.err().contains("annotation processor"), r.err());
    assertTrue(
        r.err().contains("axon-buffer: plugin problem: " + moduleOnly + ": registers no"), r.err());
    assertTrue(r.err().contains("module-info.class declares 'provides'"), r.err());
    assertEquals(2, r.err().lines().count(), "one line per JAR: " + r.err());
    assertFalse(r.out().contains("\"quiet\""), "nothing registered: " + r.out());
    assertTrue(r.out().contains("\"jpeg\""), r.out());
  }

  // ------------------------------------------------------------------ detect

  @Test
  void detectWalksAFolderAndReportsKindSizeDigestAndFacts() {
    Cli.Result r = run("detect", "--json", Cli.samples().toString());
    assertEquals(0, r.code(), r.toString());
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (String line : r.lines()) {
      Map<String, Object> o = JsonReader.object(line);
      byName.put(Path.of((String) o.get("file")).getFileName().toString(), o);
    }
    Map<String, String> expected =
        Map.of(
            "photo.jpg",
            "jpeg",
            "photo-progressive.jpg",
            "jpeg",
            "photo.webp",
            "webp",
            "hello-8k.wav",
            "wav",
            "hello.opus",
            "opus",
            "hello-8k.ul",
            "mulaw8",
            "doc.pdf",
            "pdf",
            "call.json",
            "json",
            "parts.csv",
            "csv",
            "upload.body",
            "raw");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Map<String, Object> o = byName.get(e.getKey());
      assertEquals(e.getValue(), o.get("kind"), e.getKey() + ": " + o);
      byte[] content = bytes(sample(e.getKey()));
      assertEquals((long) content.length, o.get("size"), e.getKey());
      assertEquals(sha256(content), o.get("sha256"), e.getKey());
    }
    assertEquals("name", byName.get("hello-8k.ul").get("basis"), "headerless: by its name");
    assertEquals(100L, byName.get("photo.jpg").get("score"));
    @SuppressWarnings("unchecked")
    Map<String, Object> jpeg = (Map<String, Object>) byName.get("photo.jpg").get("facts");
    assertEquals(96L, jpeg.get("width"));
    assertEquals(64L, jpeg.get("height"));
    assertEquals(
        "progressive",
        ((Map<?, ?>) byName.get("photo-progressive.jpg").get("facts")).get("codingProcess"));
    assertEquals(8000L, ((Map<?, ?>) byName.get("hello-8k.wav").get("facts")).get("sampleRate"));
  }

  @Test
  void detectReportsBadFilesOneByOneAndStillPrintsTheOthers() throws IOException {
    byte[] photo = bytes(sample("photo.jpg"));
    Path good = Files.write(tmp.resolve("good.jpg"), photo);
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(photo, 40));
    Path missing = tmp.resolve("missing.jpg");

    Cli.Result text = run("detect", good.toString(), cut.toString(), missing.toString());
    assertEquals(1, text.code(), text.toString());
    assertEquals(1, text.lines().size(), "only the good file on stdout: " + text.out());
    assertTrue(text.out().startsWith(good.toString() + "  jpeg"), text.out());
    assertTrue(
        text.err().contains(cut + ": MalformedContentException: malformed jpeg"), text.err());
    assertTrue(text.err().contains("cannot read " + missing + ": no such file"), text.err());

    Cli.Result json = run("detect", "--json", good.toString(), cut.toString(), missing.toString());
    assertEquals(1, json.code());
    List<String> lines = json.lines();
    assertEquals(3, lines.size(), json.out());
    assertFalse(JsonReader.object(lines.get(0)).containsKey("error"));
    Map<?, ?> cutError = (Map<?, ?>) JsonReader.object(lines.get(1)).get("error");
    assertEquals("MalformedContentException", cutError.get("type"));
    assertTrue(cutError.containsKey("offset"), cutError.toString());
    Map<?, ?> missingError = (Map<?, ?>) JsonReader.object(lines.get(2)).get("error");
    assertEquals("NoSuchFileException", missingError.get("type"));
  }

  // ------------------------------------------------------------------ transcode

  @Test
  void transcodeDecodesMulawAndWrapsAndUnwrapsWav() throws IOException {
    Path pcm = tmp.resolve("hello.pcm");
    Path wav = tmp.resolve("hello.wav");
    Path back = tmp.resolve("back.pcm");
    Path ul = tmp.resolve("back.ul");
    assertEquals(
        0,
        run("transcode", "--to", "pcm16", sample("hello-8k.ul").toString(), pcm.toString()).code());
    byte[] mulaw = bytes(sample("hello-8k.ul"));
    byte[] pcmBytes = Files.readAllBytes(pcm);
    assertEquals(mulaw.length * 2, pcmBytes.length);
    // 0xFF is mu-law's +0 and 0x80 its largest positive code: spot-check the G.711 decode.
    ByteBuffer samples = ByteBuffer.wrap(pcmBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < mulaw.length; i++) {
      if ((mulaw[i] & 0xFF) == 0xFF) {
        assertEquals(0, samples.getShort(2 * i));
      } else if ((mulaw[i] & 0xFF) == 0x80) {
        assertEquals(32124, samples.getShort(2 * i));
      }
    }

    Cli.Result toWav =
        run(
            "transcode",
            "--to",
            "wav",
            "--rate",
            "8000",
            "--channels",
            "1",
            pcm.toString(),
            wav.toString());
    assertEquals(0, toWav.code(), toWav.toString());
    byte[] wavBytes = Files.readAllBytes(wav);
    assertEquals(44 + pcmBytes.length, wavBytes.length);
    assertArrayEquals(pcmBytes, Arrays.copyOfRange(wavBytes, 44, wavBytes.length));

    assertEquals(0, run("transcode", "--to", "pcm16", wav.toString(), back.toString()).code());
    assertArrayEquals(pcmBytes, Files.readAllBytes(back));
    assertEquals(0, run("transcode", "--to", "mulaw8", wav.toString(), ul.toString()).code());
    assertArrayEquals(
        mulaw, Files.readAllBytes(ul), "decode then G.711 encode gives the codes back");
  }

  @Test
  void transcodeReadsStdinAndWritesStdout() {
    byte[] mulaw = bytes(sample("hello-8k.ul"));
    Cli.Result r =
        Cli.runWithInput(
            mulaw, "transcode", "--from", "mulaw8", "--to", "wav", "--rate", "8000", "-", "-");
    assertEquals(0, r.code(), r.err());
    byte[] wav = r.rawOut();
    assertEquals(44 + 2 * mulaw.length, wav.length);
    assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void transcodeOutputHasTheUsualPermissionsAndAnOverwrittenFileKeepsItsOwn() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.getFileStore(tmp).supportsFileAttributeView("posix"), "a POSIX file system");
    Path reference = Files.createFile(tmp.resolve("made-by-createFile"));
    Path out = tmp.resolve("out.pcm");
    assertEquals(
        0,
        run("transcode", "--to", "pcm16", sample("hello-8k.ul").toString(), out.toString()).code());
    assertEquals(
        Files.getPosixFilePermissions(reference),
        Files.getPosixFilePermissions(out),
        "a new output file gets the umask's permissions, not a temporary file's 0600");

    var groupOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(out, groupOnly);
    assertEquals(
        0,
        run("transcode", "--to", "pcm16", sample("hello-8k.ul").toString(), out.toString()).code());
    assertEquals(
        groupOnly, Files.getPosixFilePermissions(out), "an overwritten file keeps its own");
  }

  @Test
  void transcodeErrorsHaveTheirExitCodesAndLeaveNoOutputFile() throws IOException {
    Path odd = Files.write(tmp.resolve("odd.pcm"), new byte[] {1, 2, 3});
    Path out = tmp.resolve("out.wav");
    Cli.Result malformed =
        run("transcode", "--to", "wav", "--rate", "8000", odd.toString(), out.toString());
    assertEquals(1, malformed.code(), malformed.toString());
    assertTrue(malformed.err().contains("odd length"), malformed.err());
    assertFalse(Files.exists(out), "a failed transcode leaves no output file");
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "and no temporary file either");
    }

    Path pcm = Files.write(tmp.resolve("a.pcm"), new byte[16]);
    Cli.Result noRate = run("transcode", "--to", "wav", pcm.toString(), out.toString());
    assertEquals(2, noRate.code(), noRate.toString());
    assertTrue(noRate.err().contains("--rate"), noRate.err());

    assertEquals(2, run("transcode", "--to", "nosuchkind", pcm.toString(), out.toString()).code());
    assertEquals(
        2,
        run("transcode", "--to", "jpeg", "--from", "pcm16", pcm.toString(), out.toString()).code());
    assertEquals(
        2, run("transcode", "--to", "wav", "--rate", "0", pcm.toString(), out.toString()).code());
    Path unknown = Files.write(tmp.resolve("mystery.bin"), new byte[] {9, 9, 9, 9});
    Cli.Result undetected = run("transcode", "--to", "wav", unknown.toString(), out.toString());
    assertEquals(1, undetected.code(), undetected.toString());
    assertTrue(undetected.err().contains("--from"), undetected.err());
    assertEquals(
        1,
        run("transcode", "--to", "pcm16", tmp.resolve("none.ul").toString(), out.toString())
            .code());
  }

  /** The library's own conversion of {@code pcm}, to compare the command's output with. */
  private static byte[] resampled(byte[] pcm, int from, int to) {
    io.axon.buffer.kinds.media.Pcm16Resampler r =
        io.axon.buffer.kinds.media.Pcm16Resampler.create(from, to, 1);
    try (io.axon.buffer.ZeroCopyBuffer in = io.axon.buffer.core.Buffers.wrap(pcm);
        io.axon.buffer.core.SlabBufferPool pool = io.axon.buffer.core.SlabBufferPool.create();
        io.axon.buffer.ZeroCopyBuffer out = r.process(in, pool);
        io.axon.buffer.ZeroCopyBuffer tail = r.finish(pool)) {
      byte[] all = new byte[out.length() + tail.length()];
      out.getBytes(0, all, 0, out.length());
      tail.getBytes(0, all, out.length(), tail.length());
      return all;
    }
  }

  @Test
  void transcodeChangesTheRateOfHeaderlessPcmAndOfAWavFromItsHeader() throws IOException {
    byte[] wav = bytes(sample("hello-8k.wav"));
    byte[] pcm8k = Arrays.copyOfRange(wav, 44, wav.length);
    Path pcm = Files.write(tmp.resolve("hello.pcm"), pcm8k);
    Path pcm16k = tmp.resolve("hello16k.pcm");
    Cli.Result r =
        run(
            "transcode",
            "--to",
            "pcm16",
            "--rate",
            "8000",
            "--to-rate",
            "16000",
            pcm.toString(),
            pcm16k.toString());
    assertEquals(0, r.code(), r.toString());
    byte[] expected = resampled(pcm8k, 8000, 16000);
    assertEquals(2 * pcm8k.length, expected.length);
    assertArrayEquals(expected, Files.readAllBytes(pcm16k));

    Path wav16k = tmp.resolve("hello16k.wav");
    r =
        run(
            "transcode",
            "--to",
            "wav",
            "--to-rate",
            "16000",
            sample("hello-8k.wav").toString(),
            wav16k.toString());
    assertEquals(0, r.code(), r.toString());
    byte[] out = Files.readAllBytes(wav16k);
    ByteBuffer header = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(16000, header.getInt(24), "the header's rate");
    assertArrayEquals(expected, Arrays.copyOfRange(out, 44, out.length));

    Path ul16k = tmp.resolve("hello16k.wav");
    r =
        run(
            "transcode",
            "--to",
            "wav",
            "--rate",
            "8000",
            "--to-rate",
            "16000",
            sample("hello-8k.ul").toString(),
            ul16k.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals(44 + 4 * bytes(sample("hello-8k.ul")).length, Files.size(ul16k));
  }

  @Test
  void transcodeRateErrorsNameTheOptionAndTheValues() throws IOException {
    Path pcm = Files.write(tmp.resolve("a.pcm"), new byte[320]);
    Path out = tmp.resolve("out.pcm");
    Cli.Result noRate =
        run("transcode", "--to", "pcm16", "--to-rate", "16000", pcm.toString(), out.toString());
    assertEquals(2, noRate.code(), noRate.toString());
    assertTrue(noRate.err().contains("(give --rate HZ)"), noRate.err());
    Cli.Result fine =
        run(
            "transcode",
            "--to",
            "pcm16",
            "--rate",
            "44100",
            "--to-rate",
            "44101",
            pcm.toString(),
            out.toString());
    assertEquals(2, fine.code(), fine.toString());
    assertTrue(fine.err().contains("44101/44100"), fine.err());
    assertFalse(fine.err().contains("give --rate"), fine.err());
    assertEquals(
        2,
        run(
                "transcode",
                "--to",
                "pcm16",
                "--rate",
                "8000",
                "--to-rate",
                "0",
                pcm.toString(),
                out.toString())
            .code());
    Path wav = tmp.resolve("out.wav");
    Cli.Result wavFine =
        run(
            "transcode",
            "--to",
            "wav",
            "--to-rate",
            "8001",
            sample("hello-8k.wav").toString(),
            wav.toString());
    assertEquals(1, wavFine.code(), "a WAV's own rate is content: bad input");
    assertTrue(wavFine.err().contains("8001/8000"), wavFine.err());
    Path jpeg = Files.write(tmp.resolve("x.jpg"), bytes(sample("photo.jpg")));
    Cli.Result noStep =
        run(
            "transcode",
            "--to",
            "jpeg",
            "--to-rate",
            "16000",
            jpeg.toString(),
            tmp.resolve("y.jpg").toString());
    assertEquals(2, noStep.code(), noStep.toString());
    assertTrue(noStep.err().contains("rate step"), noStep.err());
    assertFalse(Files.exists(out) || Files.exists(wav));
  }

  // ------------------------------------------------------------------ multipart

  private static void assertSampleParts(List<Map<String, Object>> parts) {
    assertEquals(4, parts.size(), parts.toString());
    assertEquals("caller", parts.get(0).get("field"));
    assertEquals(null, parts.get(0).get("filename"));
    assertEquals(
        sha256("4711".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        parts.get(0).get("sha256"));
    assertEquals("voice", parts.get(1).get("field"));
    assertEquals("hello-8k.ul", parts.get(1).get("filename"));
    assertEquals("audio/basic", parts.get(1).get("contentType"));
    assertEquals("mulaw8", parts.get(1).get("kind"));
    assertEquals(sha256(bytes(sample("hello-8k.ul"))), parts.get(1).get("sha256"));
    assertEquals("jpeg", parts.get(2).get("kind"));
    assertEquals((long) bytes(sample("photo.jpg")).length, parts.get(2).get("size"));
    assertEquals(sha256(bytes(sample("photo.jpg"))), parts.get(2).get("sha256"));
    assertEquals("json", parts.get(3).get("kind"));
    assertEquals(sha256(bytes(sample("call.json"))), parts.get(3).get("sha256"));
  }

  private static List<Map<String, Object>> parse(Cli.Result r) {
    assertEquals(0, r.code(), r.toString());
    return r.lines().stream().map(JsonReader::object).collect(java.util.stream.Collectors.toList());
  }

  @Test
  void multipartPrintsOneLinePerPartWhateverTheChunkSize() {
    String body = sample("upload.body").toString();
    assertSampleParts(
        parse(run("multipart", "--json", "--content-type", uploadContentType(), body)));
    String contentType = uploadContentType().substring("Content-Type:".length()).trim();
    assertSampleParts(
        parse(run("multipart", "--json", "--chunk", "1", "--content-type", contentType, body)));
    String boundary =
        contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
    assertSampleParts(
        parse(run("multipart", "--json", "--chunk", "7", "--boundary", boundary, body)));
    assertSampleParts(
        parse(
            Cli.runWithInput(
                bytes(sample("upload.body")), "multipart", "--json", "--boundary", boundary, "-")));

    Cli.Result text = run("multipart", "--content-type", uploadContentType(), body);
    assertEquals(0, text.code());
    assertTrue(
        text.lines()
            .get(1)
            .startsWith(
                "field=\"voice\" filename=\"hello-8k.ul\" contentType=audio/basic kind=mulaw8 size=27688 sha256="),
        text.out());
  }

  @Test
  void aBadBodyPrintsTheTypedErrorAndNothingOnStdout() throws IOException {
    byte[] whole = bytes(sample("upload.body"));
    Path cut = Files.write(tmp.resolve("cut.body"), Arrays.copyOf(whole, whole.length - 100));
    Cli.Result text = run("multipart", "--content-type", uploadContentType(), cut.toString());
    assertEquals(1, text.code(), text.toString());
    assertEquals("", text.out(), "parts before the fault are not printed");
    assertTrue(text.err().contains("MultipartException: " + cut + ": TRUNCATED"), text.err());

    Cli.Result json =
        run("multipart", "--json", "--content-type", uploadContentType(), cut.toString());
    assertEquals(1, json.code());
    assertEquals(1, json.lines().size(), json.out());
    Map<String, Object> error = JsonReader.object(json.out().trim());
    assertEquals("MultipartException", error.get("error"));
    assertEquals("TRUNCATED", error.get("fault"));
  }

  @Test
  void boundaryOptionsAreCheckedAsUsage() {
    String body = sample("upload.body").toString();
    assertEquals(
        2, run("multipart", body).code(), "one of --boundary and --content-type is required");
    assertEquals(
        2, run("multipart", "--boundary", "x", "--content-type", uploadContentType(), body).code());
    assertEquals(2, run("multipart", "--boundary", "x".repeat(71), body).code());
    assertEquals(2, run("multipart", "--content-type", "text/plain", body).code());
    assertEquals(2, run("multipart", "--boundary", "x", "--chunk", "0", body).code());
    Cli.Result json = run("multipart", "--json", "--content-type", "multipart/form-data", body);
    assertEquals(2, json.code());
    assertEquals("UsageError", JsonReader.object(json.out().trim()).get("error"));
  }

  // ------------------------------------------------------------------ small parts

  @Test
  void byteSizesTakeBinarySuffixes() {
    assertEquals(65536, ByteSizeConverter.parse("65536"));
    assertEquals(64 << 10, ByteSizeConverter.parse("64k"));
    assertEquals(50L << 20, ByteSizeConverter.parse("50MiB"));
    assertEquals(1L << 30, ByteSizeConverter.parse("1G"));
    assertEquals(2, run("serve", "--max-part", "lots").code());
  }

  @Test
  void serveRefusesNonsenseLimitsAsUsageErrors() {
    Cli.Result zeroTenants = run("serve", "--port", "0", "--max-tenants", "0");
    assertEquals(2, zeroTenants.code());
    assertTrue(
        zeroTenants.err().contains("--max-tenants must be at least 1, was 0"), zeroTenants.err());
    assertEquals(2, run("serve", "--port", "0", "--threads", "0").code());
    Cli.Result slow = run("serve", "--port", "0", "--stream-speed", "0.5");
    assertEquals(2, slow.code());
    assertTrue(slow.err().contains("--stream-speed must be at least 1, was 0.5"), slow.err());
    Cli.Result calls = run("serve", "--port", "0", "--stream-max-calls", "0");
    assertTrue(calls.err().contains("--stream-max-calls must be at least 1, was 0"), calls.err());
    assertEquals(2, run("serve", "--port", "0", "--stream-max-message", "0").code());
    assertEquals(2, run("serve", "--port", "0", "--stream-burst", "soon").code());
    Cli.Result digest = run("serve", "--port", "0", "--digest", "md5");
    assertEquals(2, digest.code());
    assertTrue(digest.err().contains("--digest must be sha256 or none, was \"md5\""), digest.err());
  }

  @Test
  void jsonEscapesWhatMustBeEscaped() {
    Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("a\"b", "line\nnext\u0001\\");
    o.put("n", Arrays.asList(1, 2.5, null, true));
    assertEquals("{\"a\\\"b\":\"line\\nnext\\u0001\\\\\",\"n\":[1,2.5,null,true]}", Json.write(o));
    Object back = JsonReader.parse(Json.write(Map.of("k", "résumé 日本語 \u2028")));
    assertEquals(Map.of("k", "résumé 日本語 \u2028"), back);
  }
}
