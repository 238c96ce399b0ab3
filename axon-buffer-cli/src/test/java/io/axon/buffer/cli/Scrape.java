package io.axon.buffer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a {@code /metrics} answer in the Prometheus text format (0.0.4), read line by line
 * with label values unescaped, so that tests look series up by name and a subset of their labels
 * (serve's registry adds a {@code pool} label, the JVM binders {@code area}, {@code id}, ...).
 * Micrometer's registry writes the text and is tested for its format upstream; this reader is only
 * strict enough to find samples, and fails on a line it cannot read.
 */
final class Scrape {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  private Scrape(String text) {
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        samples.add(sample(line));
      }
    }
  }

  static Scrape of(String text) {
    return new Scrape(text);
  }

  List<Sample> samples() {
    return samples;
  }

  /**
   * The sum of the samples named {@code name} that carry every label of {@code labels} (given as
   * name, value, name, value, ...), or 0 when there is none.
   */
  double sum(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** True if some sample named {@code name} carries every label of {@code labels}. */
  boolean has(String name, String... labels) {
    return !matching(name, labels).isEmpty();
  }

  private List<Sample> matching(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    next:
    for (Sample s : samples) {
      if (!s.name.equals(name)) {
        continue;
      }
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
          continue next;
        }
      }
      out.add(s);
    }
    return out;
  }

  /** {@link #sum} of a series written as in the text, {@code name} or {@code name{k="v",...}}. */
  double value(String series) {
    int brace = series.indexOf('{');
    if (brace < 0) {
      return sum(series);
    }
    List<String> labels = new ArrayList<>();
    labels(series.substring(brace), new int[1])
        .forEach(
            (k, v) -> {
              labels.add(k);
              labels.add(v);
            });
    return sum(series.substring(0, brace), labels.toArray(new String[0]));
  }

  private static Sample sample(String line) {
    int end = 0;
    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
      end++;
    }
    String name = line.substring(0, end);
    Map<String, String> labels = Map.of();
    int[] pos = {end};
    if (end < line.length() && line.charAt(end) == '{') {
      labels = labels(line.substring(end), pos);
      pos[0] += end;
    }
    String rest = line.substring(pos[0]).trim();
    if (name.isEmpty() || rest.isEmpty() || rest.contains(" ")) {
      throw new IllegalArgumentException("not a sample line: " + line);
    }
    return new Sample(name, labels, Double.parseDouble(rest));
  }

  /** Reads {@code {k="v",...}} at the start of {@code s}; {@code pos[0]} is set after it. */
  private static Map<String, String> labels(String s, int[] pos) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 1;
    while (s.charAt(i) != '}') {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq);
      if (s.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label value not quoted: " + s);
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; s.charAt(j) != '"'; j++) {
        char c = s.charAt(j);
        if (c == '\\') {
          char e = s.charAt(++j);
          v.append(e == 'n' ? '\n' : e);
        } else {
          v.append(c);
        }
      }
      out.put(key, v.toString());
      i = j + 1;
      if (s.charAt(i) == ',') {
        i++;
      }
    }
    pos[0] = i + 1;
    return out;
  }
}
