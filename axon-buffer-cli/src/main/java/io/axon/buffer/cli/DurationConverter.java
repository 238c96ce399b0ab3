package io.axon.buffer.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads a duration: a number with a unit, {@code ms}, {@code s}, {@code m} or {@code h} ({@code
 * 500ms}, {@code 30s}, {@code 5m}); a plain number is seconds.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    String digits;
    java.time.temporal.ChronoUnit unit;
    if (v.endsWith("ms")) {
      digits = v.substring(0, v.length() - 2);
      unit = java.time.temporal.ChronoUnit.MILLIS;
    } else if (v.endsWith("s")) {
      digits = v.substring(0, v.length() - 1);
      unit = java.time.temporal.ChronoUnit.SECONDS;
    } else if (v.endsWith("m")) {
      digits = v.substring(0, v.length() - 1);
      unit = java.time.temporal.ChronoUnit.MINUTES;
    } else if (v.endsWith("h")) {
      digits = v.substring(0, v.length() - 1);
      unit = java.time.temporal.ChronoUnit.HOURS;
    } else {
      digits = v;
      unit = java.time.temporal.ChronoUnit.SECONDS;
    }
    try {
      long n = Long.parseLong(digits.trim());
      if (n < 0 || n > 1_000_000_000L) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration between 0 and 10^9 units");
      }
      return Duration.of(n, unit);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 30s, 5m, 1h)");
    }
  }
}
