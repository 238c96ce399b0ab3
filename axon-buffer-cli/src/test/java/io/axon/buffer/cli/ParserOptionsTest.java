package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.ingest.MultipartOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The parser's limits as options ({@link ParserOptions}), through the {@code multipart} command.
 */
class ParserOptionsTest {

  @TempDir Path tmp;

  /** The options parsed from {@code args} alone, as the mixin holds them. */
  private static ParserOptions parsed(String... args) {
    ParserOptions options = new ParserOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void everyDefaultIsTheParsersDefault() {
    MultipartOptions mine = parsed().options();
    MultipartOptions theirs = MultipartOptions.defaults();
    assertEquals(theirs.maxPartBytes(), mine.maxPartBytes());
    assertEquals(theirs.maxParts(), mine.maxParts());
    assertEquals(theirs.maxHeaderBytesPerPart(), mine.maxHeaderBytesPerPart());
    assertEquals(theirs.maxHeaderBytesTotal(), mine.maxHeaderBytesTotal());
    assertEquals(theirs.maxPreambleBytes(), mine.maxPreambleBytes());
    assertEquals(theirs.sniffBytes(), mine.sniffBytes());
    assertEquals(theirs.lenientLineEndings(), mine.lenientLineEndings());
    assertEquals(theirs.lenientBoundary(), mine.lenientBoundary());
    assertEquals(theirs.requireFieldName(), mine.requireFieldName());
  }

  @Test
  void everyOptionReachesTheParsersSettings() {
    MultipartOptions o =
        parsed(
                "--max-part=1m",
                "--max-parts=5000",
                "--max-part-header=2k",
                "--max-part-headers-total=1m",
                "--max-preamble=0",
                "--sniff-bytes=0",
                "--lenient",
                "--require-field-name")
            .options();
    assertEquals(1 << 20, o.maxPartBytes());
    assertEquals(5000, o.maxParts());
    assertEquals(2048, o.maxHeaderBytesPerPart());
    assertEquals(1 << 20, o.maxHeaderBytesTotal());
    assertEquals(0, o.maxPreambleBytes());
    assertEquals(0, o.sniffBytes());
    assertTrue(o.lenientLineEndings());
    assertTrue(o.lenientBoundary());
    assertTrue(o.requireFieldName());
  }

  @Test
  void aValueTheParserRefusesIsAUsageErrorNamingTheOption() {
    UsageError e = assertThrows(UsageError.class, () -> parsed("--max-part=3g").options());
    assertTrue(
        e.getMessage().startsWith("--max-part 3221225472: maxPartBytes must be"), e.getMessage());
    e = assertThrows(UsageError.class, () -> parsed("--max-part-header=0").options());
    assertTrue(e.getMessage().startsWith("--max-part-header 0:"), e.getMessage());
    e = assertThrows(UsageError.class, () -> parsed("--max-part-header=4g").options());
    assertTrue(e.getMessage().startsWith("--max-part-header 4294967296:"), e.getMessage());
    e = assertThrows(UsageError.class, () -> parsed("--sniff-bytes=2m").options());
    assertTrue(e.getMessage().startsWith("--sniff-bytes 2097152:"), e.getMessage());
    assertEquals(2, Cli.run("multipart", "--boundary", "b", "--max-parts", "-1", "-").code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"multipart", "serve"})
  void theHelpNamesEveryLimitWithItsDefault(String command) {
    Cli.Result help = Cli.run(command, "--help");
    assertEquals(0, help.code(), help.toString());
    for (String shown :
        new String[] {
          "--max-part=BYTES",
          "(default 64m",
          "--max-parts=N",
          "(default 1000)",
          "--max-part-header=BYTES",
          "(default 16k)",
          "--max-part-headers-total=BYTES",
          "(default 256k)",
          "--max-preamble=BYTES",
          "(default 64k)",
          "--sniff-bytes=BYTES",
          "(default 8k",
          "--lenient",
          "--require-field-name"
        }) {
      assertTrue(help.out().replaceAll("\\s+", " ").contains(shown), shown + " in\n" + help.out());
    }
  }

  /** {@code n} small fields, as curl writes them. */
  private Path fields(int n) throws IOException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < n; i++) {
      body.append("--b\r\nContent-Disposition: form-data; name=\"f")
          .append(i)
          .append("\"\r\n\r\n")
          .append(i)
          .append("\r\n");
    }
    body.append("--b--\r\n");
    return Files.write(
        tmp.resolve("fields.body"), body.toString().getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void morePartsThanTheDefaultParseOnceTheLimitIsRaised() throws IOException {
    String body = fields(1001).toString();
    Cli.Result refused = Cli.run("multipart", "--json", "--boundary", "b", body);
    assertEquals(1, refused.code(), refused.toString());
    Map<String, Object> error = JsonReader.object(refused.out().trim());
    assertEquals("LIMIT_EXCEEDED", error.get("fault"));
    assertEquals("PART_COUNT", error.get("limit"));

    Cli.Result parsed = Cli.run("multipart", "--max-parts", "1001", "--boundary", "b", body);
    assertEquals(0, parsed.code(), parsed.toString());
    assertEquals(1001, parsed.lines().size());
  }

  @Test
  void aPartOverAnOptionLimitFailsNamingThatLimit() throws IOException {
    String body = fields(3).toString();
    Cli.Result r = Cli.run("multipart", "--json", "--max-part-header=10", "--boundary", "b", body);
    assertEquals(1, r.code(), r.toString());
    assertEquals("HEADER_BYTES_PER_PART", JsonReader.object(r.out().trim()).get("limit"));
  }

  @Test
  void aPartNamingNoFieldShowsNoFieldUnlessOneIsRequired() throws IOException {
    Path body =
        Files.write(
            tmp.resolve("okhttp.body"),
            ("--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    Cli.Result json = Cli.run("multipart", "--json", "--boundary", "b", body.toString());
    assertEquals(0, json.code(), json.toString());
    Map<String, Object> part = JsonReader.object(json.out().trim());
    assertTrue(part.containsKey("field"));
    assertEquals(null, part.get("field"));
    Cli.Result text = Cli.run("multipart", "--boundary", "b", body.toString());
    assertTrue(text.out().startsWith("field=- filename=- contentType=text/plain"), text.out());
    Cli.Result required =
        Cli.run("multipart", "--json", "--require-field-name", "--boundary", "b", body.toString());
    assertEquals(1, required.code(), required.toString());
    assertEquals(
        "MALFORMED_CONTENT_DISPOSITION", JsonReader.object(required.out().trim()).get("fault"));
  }

  @Test
  void aBoundaryOutsideTheRfcsCharactersNeedsLenient() throws IOException {
    Path body =
        Files.write(
            tmp.resolve("tilde.body"),
            ("--a~b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a~b--\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertEquals(2, Cli.run("multipart", "--boundary", "a~b", body.toString()).code());
    String ct = "multipart/form-data; boundary=a~b";
    assertEquals(2, Cli.run("multipart", "--content-type", ct, body.toString()).code());
    Cli.Result lenient = Cli.run("multipart", "--lenient", "--content-type", ct, body.toString());
    assertEquals(0, lenient.code(), lenient.toString());
  }
}
