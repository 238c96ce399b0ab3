package io.axon.buffer.micrometer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the two formats a Prometheus server scrapes, written from their
 * specifications, so that a scrape is checked even where no other parser is installed:
 *
 * <ul>
 *   <li>the text format 0.0.4 (Prometheus' "Exposition formats" page): {@code # HELP} (escapes
 *       {@code \\} and {@code \n}), {@code # TYPE} once per family and before its samples, other
 *       {@code #} lines are comments, empty lines ignored;
 *   <li>OpenMetrics 1.0 (its specification's ABNF): {@code # TYPE}, {@code # HELP}, {@code # UNIT}
 *       (the family name ends with {@code _unit}), no empty line, no other comment, counter samples
 *       end in {@code _total} (or {@code _created}), the text ends with {@code # EOF}.
 * </ul>
 *
 * Both: metric names {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*}
 * and not twice in one sample, label values quoted with exactly the escapes {@code \\}, {@code \"}
 * and {@code \n}, values as Go's ParseFloat reads them (plus {@code NaN}, {@code +Inf}, {@code
 * -Inf}), an optional timestamp, a family's samples together, no two samples with one name and
 * label set, every line ended by {@code \n}. Anything else fails with the line and the reason.
 */
final class StrictExpositionParser {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Set<String> TEXT_TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> OM_TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "gaugehistogram",
          "summary",
          "info",
          "stateset",
          "unknown");

  private final boolean openMetrics;
  private final List<Exposition.Family> families = new ArrayList<>();
  private final Set<String> closedFamilies = new HashSet<>();
  private final Set<String> seriesSeen = new HashSet<>();
  private String familyName;
  private String familyType;
  private String familyHelp;
  private String familyUnit;
  private List<Exposition.Sample> familySamples;
  private boolean familyHasSamples;
  private int lineNo;

  private StrictExpositionParser(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  /** Parses the Prometheus text format 0.0.4. */
  static Exposition parseText(String text) {
    return new StrictExpositionParser(false).parse(text);
  }

  /** Parses OpenMetrics 1.0 text. */
  static Exposition parseOpenMetrics(String text) {
    return new StrictExpositionParser(true).parse(text);
  }

  private Exposition parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the text does not end with a line feed");
    }
    String[] lines =
        text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
    boolean eof = false;
    for (String line : lines) {
      lineNo++;
      if (eof) {
        throw fail("text after # EOF");
      }
      if (openMetrics && line.equals("# EOF")) {
        eof = true;
      } else if (line.isEmpty()) {
        if (openMetrics) {
          throw fail("empty line");
        }
      } else if (line.startsWith("#")) {
        metadata(line);
      } else {
        sample(line);
      }
    }
    if (openMetrics && !eof) {
      throw new IllegalArgumentException("OpenMetrics text does not end with # EOF");
    }
    closeFamily();
    return new Exposition(families);
  }

  private void metadata(String line) {
    String[] parts = line.split(" ", 4);
    boolean known =
        parts.length >= 3
            && (parts[1].equals("HELP") || parts[1].equals("TYPE") || parts[1].equals("UNIT"));
    if (!known) {
      if (openMetrics) {
        throw fail("OpenMetrics allows no comment but HELP, TYPE, UNIT and EOF");
      }
      return; // a comment
    }
    if (!parts[0].equals("#")) {
      throw fail("a metadata line starts with \"# \"");
    }
    if (parts[1].equals("UNIT") && !openMetrics) {
      return; // a comment in the text format
    }
    String name = parts[2];
    if (!METRIC_NAME.matcher(name).matches()) {
      throw fail("bad metric name \"" + name + "\"");
    }
    String rest = parts.length == 4 ? parts[3] : "";
    if (!name.equals(familyName)) {
      openFamily(name);
    }
    switch (parts[1]) {
      case "TYPE" -> {
        if (familyType != null) {
          throw fail("second TYPE for " + name);
        }
        if (familyHasSamples) {
          throw fail("TYPE of " + name + " after its samples");
        }
        if (!(openMetrics ? OM_TYPES : TEXT_TYPES).contains(rest)) {
          throw fail("unknown type \"" + rest + "\"");
        }
        familyType = rest;
      }
      case "HELP" -> {
        if (familyHelp != null) {
          throw fail("second HELP for " + name);
        }
        familyHelp = unescape(rest, false);
      }
      default -> { // UNIT, OpenMetrics only
        if (familyUnit != null) {
          throw fail("second UNIT for " + name);
        }
        if (!rest.isEmpty() && !name.endsWith("_" + rest)) {
          throw fail("family " + name + " does not end with its unit " + rest);
        }
        familyUnit = rest;
      }
    }
  }

  private void sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw fail("bad metric name \"" + name + "\"");
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw fail("no space before the value");
    }
    String[] valueAndTime = line.substring(i + 1).split(" ", -1);
    if (valueAndTime.length > 2) {
      throw fail("more than a value and a timestamp");
    }
    double value = number(valueAndTime[0]);
    if (valueAndTime.length == 2) {
      number(valueAndTime[1]);
    }
    String family = familyOf(name);
    if (!family.equals(familyName)) {
      openFamily(family);
    }
    if (!seriesSeen.add(name + labels)) {
      throw fail("second sample of " + name + labels);
    }
    familyHasSamples = true;
    familySamples.add(new Exposition.Sample(name, new TreeMap<>(labels), value));
  }

  /** The family a sample belongs to: the current one if the name fits its type's suffixes. */
  private String familyOf(String sampleName) {
    if (familyName != null) {
      String type = familyType == null ? "untyped" : familyType;
      for (String suffix : suffixes(type)) {
        if (sampleName.equals(familyName + suffix)) {
          return familyName;
        }
      }
    }
    if (openMetrics) {
      throw fail("sample " + sampleName + " belongs to no declared family");
    }
    return sampleName; // the text format lets a sample open an untyped family
  }

  private List<String> suffixes(String type) {
    if (!openMetrics) {
      return switch (type) {
        case "histogram" -> List.of("_bucket", "_sum", "_count");
        case "summary" -> List.of("", "_sum", "_count");
        default -> List.of("");
      };
    }
    return switch (type) {
      case "counter" -> List.of("_total", "_created");
      case "histogram", "gaugehistogram" ->
          List.of("_bucket", "_sum", "_count", "_created", "_gsum", "_gcount");
      case "summary" -> List.of("", "_sum", "_count", "_created");
      case "info" -> List.of("_info");
      default -> List.of("");
    };
  }

  private int labels(String line, int i, Map<String, String> labels) {
    while (true) {
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw fail("label without '='");
      }
      String label = line.substring(i, eq);
      if (!LABEL_NAME.matcher(label).matches()) {
        throw fail("bad label name \"" + label + "\"");
      }
      if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw fail("label value of " + label + " is not quoted");
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (true) {
        if (j >= line.length()) {
          throw fail("unterminated label value of " + label);
        }
        char c = line.charAt(j);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (j + 1 >= line.length()) {
            throw fail("backslash at the end of a label value");
          }
          char e = line.charAt(j + 1);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> throw fail("escape \\" + e + " in a label value");
          }
          j += 2;
        } else {
          value.append(c);
          j++;
        }
      }
      if (labels.put(label, value.toString()) != null) {
        throw fail("label " + label + " twice");
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
        if (openMetrics && i < line.length() && line.charAt(i) == '}') {
          throw fail("trailing comma in a label set");
        }
      } else if (i >= line.length() || line.charAt(i) != '}') {
        throw fail("expected ',' or '}' after a label");
      }
    }
  }

  private double number(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!FLOAT.matcher(s).matches()) {
          throw fail("bad number \"" + s + "\"");
        }
        return Double.parseDouble(s);
    }
  }

  /** HELP text: the text format escapes only \\ and \n; OpenMetrics also \". */
  private String unescape(String s, boolean labelValue) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i + 1 >= s.length()) {
        throw fail("backslash at the end of HELP");
      }
      char e = s.charAt(++i);
      if (e == '\\') {
        out.append('\\');
      } else if (e == 'n') {
        out.append('\n');
      } else if (e == '"' && (openMetrics || labelValue)) {
        out.append('"');
      } else {
        throw fail("escape \\" + e + " in HELP");
      }
    }
    return out.toString();
  }

  private void openFamily(String name) {
    closeFamily();
    if (!closedFamilies.add(name)) {
      throw fail("family " + name + " appears twice (its lines are not together)");
    }
    familyName = name;
    familyType = null;
    familyHelp = null;
    familyUnit = null;
    familySamples = new ArrayList<>();
    familyHasSamples = false;
  }

  private void closeFamily() {
    if (familyName != null) {
      families.add(
          new Exposition.Family(
              familyName,
              familyType == null ? (openMetrics ? "unknown" : "untyped") : familyType,
              familyHelp == null ? "" : familyHelp,
              familyUnit == null ? "" : familyUnit,
              List.copyOf(familySamples)));
      familyName = null;
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException(
        (openMetrics ? "OpenMetrics" : "text 0.0.4") + " line " + lineNo + ": " + why);
  }
}
