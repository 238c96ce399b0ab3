package io.axon.buffer.micrometer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A parsed scrape: metric families and their samples, whichever parser read it. Tests compare what
 * two parsers read and look samples up by name and labels.
 */
final class Exposition {

  /** One sample: its full name (with any {@code _total} suffix), labels and value. */
  record Sample(String name, SortedMap<String, String> labels, double value) {
    Sample {
      labels = new TreeMap<>(labels);
    }
  }

  /** One family: the name its TYPE line gives, its type, help text and unit ("" when none). */
  record Family(String name, String type, String help, String unit, List<Sample> samples) {}

  private final Map<String, Family> families;

  Exposition(List<Family> families) {
    Map<String, Family> m = new LinkedHashMap<>();
    for (Family f : families) {
      m.put(f.name(), f);
    }
    this.families = m;
  }

  Map<String, Family> families() {
    return families;
  }

  List<Sample> samples() {
    List<Sample> all = new ArrayList<>();
    families.values().forEach(f -> all.addAll(f.samples()));
    return all;
  }

  /** Every sample of {@code name} (the sample's name, e.g. {@code x_total}). */
  List<Sample> samples(String name) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples()) {
      if (s.name().equals(name)) {
        found.add(s);
      }
    }
    return found;
  }

  /** The sample of {@code name} whose labels include every pair of {@code labels}. */
  Optional<Sample> sample(String name, String... labels) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    Sample found = null;
    for (Sample s : samples(name)) {
      if (s.labels().entrySet().containsAll(want.entrySet())) {
        if (found != null) {
          throw new AssertionError("two samples of " + name + " match " + want);
        }
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The value of the one sample of {@code name} with those labels; fails if there is none. */
  double value(String name, String... labels) {
    return sample(name, labels)
        .orElseThrow(() -> new AssertionError("no sample " + name + " " + String.join(",", labels)))
        .value();
  }

  /** The family a sample belongs to, by the family's name. */
  Family family(String name) {
    return Objects.requireNonNull(families.get(name), () -> "no family " + name);
  }
}
