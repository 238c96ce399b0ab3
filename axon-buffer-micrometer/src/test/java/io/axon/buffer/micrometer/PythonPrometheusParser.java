package io.axon.buffer.micrometer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The parsers of the Python Prometheus client ({@code prometheus_client.parser} for the text
 * format, {@code prometheus_client.openmetrics.parser} for OpenMetrics), the reference parsers
 * outside the JVM. Debian's {@code python3-prometheus-client} puts them under {@code
 * /usr/bin/python3}; where they are not installed the calling test is skipped, saying so (the
 * strict parser of this module still runs).
 */
final class PythonPrometheusParser {

  private static final String PYTHON = "/usr/bin/python3";

  // Prints one line per sample: family, type, sample name, labels (k=v&k=v, each URL-quoted),
  // value (repr of the float). Quoting keeps newlines and quotes of label values on one line.
  private static final String SCRIPT =
      """
      import sys
      from urllib.parse import quote
      if sys.argv[1] == "openmetrics":
          from prometheus_client.openmetrics.parser import text_string_to_metric_families
      else:
          from prometheus_client.parser import text_string_to_metric_families
      text = sys.stdin.buffer.read().decode("utf-8")
      for family in text_string_to_metric_families(text):
          for s in family.samples:
              labels = "&".join(
                  quote(k, safe="") + "=" + quote(v, safe="") for k, v in sorted(s.labels.items()))
              print(quote(family.name, safe=""), family.type, quote(s.name, safe=""),
                    labels if labels else "-", repr(float(s.value)))
      """;

  private PythonPrometheusParser() {}

  /** True if {@code /usr/bin/python3} can import the client's parsers. */
  static boolean available() {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder(
                  PYTHON,
                  "-c",
                  "import prometheus_client.parser, prometheus_client.openmetrics.parser")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Skips the calling test, with the reason, if the Python parsers are not installed. */
  static void assumeAvailable() {
    assumeTrue(
        available(),
        "skipped: "
            + PYTHON
            + " with prometheus_client (Debian: python3-prometheus-client) is not installed here;"
            + " the strict parser's tests still ran");
  }

  /** The text format read by {@code prometheus_client.parser}. */
  static List<Exposition.Sample> parseText(String text) {
    return parse(text, "text");
  }

  /** OpenMetrics text read by {@code prometheus_client.openmetrics.parser}. */
  static List<Exposition.Sample> parseOpenMetrics(String text) {
    return parse(text, "openmetrics");
  }

  private static List<Exposition.Sample> parse(String text, String format) {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT, format).start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
      errReader.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the Python parser did not finish");
      }
      errReader.join();
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "prometheus_client (" + format + ") rejected the scrape:\n" + err + "\n" + text);
      }
      List<Exposition.Sample> samples = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split(" ");
        Map<String, String> labels = new TreeMap<>();
        if (!f[3].equals("-")) {
          for (String pair : f[3].split("&")) {
            String[] kv = pair.split("=", 2);
            labels.put(decode(kv[0]), decode(kv[1]));
          }
        }
        samples.add(new Exposition.Sample(decode(f[2]), new TreeMap<>(labels), value(f[4])));
      }
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static double value(String repr) {
    return switch (repr) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(repr);
    };
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process died; its exit code tells
    }
  }
}
