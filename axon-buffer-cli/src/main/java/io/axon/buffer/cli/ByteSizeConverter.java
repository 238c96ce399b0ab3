package io.axon.buffer.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads a byte count: a plain number of bytes, or a number with a binary suffix {@code k}, {@code
 * m}, {@code g} (KiB, MiB, GiB; case-insensitive, an optional trailing {@code b} or {@code ib}):
 * {@code 65536}, {@code 64k}, {@code 50MiB}.
 */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith("ib")) {
      v = v.substring(0, v.length() - 2);
    } else if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    long unit = 1;
    if (!v.isEmpty()) {
      char last = v.charAt(v.length() - 1);
      unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1;
      if (unit != 1) {
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a byte count between 0 and 2^63");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a byte count (examples: 65536, 64k, 50m, 1g)");
    }
  }
}
