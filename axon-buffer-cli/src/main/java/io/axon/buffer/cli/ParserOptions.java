package io.axon.buffer.cli;

import io.axon.buffer.ingest.MultipartOptions;
import java.util.function.LongConsumer;
import picocli.CommandLine.Option;

/**
 * The multipart parser's settings as command-line options, one per {@link MultipartOptions} limit
 * and mode, shared by {@code multipart} and {@code serve} (a picocli mixin: {@code @Mixin
 * ParserOptions parser;}). Each default is the one {@link MultipartOptions#defaults()} has ({@code
 * ParserOptionsTest} checks that the help text says so); {@link #options()} builds the settings and
 * turns a value the parser refuses into a {@link UsageError} naming the option.
 */
final class ParserOptions {

  @Option(
      names = "--max-part",
      paramLabel = "BYTES",
      defaultValue = "64m",
      converter = ByteSizeConverter.class,
      description =
          "Largest part payload, as sent; a larger part fails as PART_BYTES (HTTP 413)"
              + " (default ${DEFAULT-VALUE}, at most 2g - 9).")
  long maxPart;

  @Option(
      names = "--max-parts",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Most parts in one body; one more fails as PART_COUNT (default ${DEFAULT-VALUE}).")
  int maxParts;

  @Option(
      names = "--max-part-header",
      paramLabel = "BYTES",
      defaultValue = "16k",
      converter = ByteSizeConverter.class,
      description =
          "Most bytes of one part's header block, line breaks included; more fails as"
              + " HEADER_BYTES_PER_PART (default ${DEFAULT-VALUE}).")
  long maxPartHeader;

  @Option(
      names = "--max-part-headers-total",
      paramLabel = "BYTES",
      defaultValue = "256k",
      converter = ByteSizeConverter.class,
      description =
          "Most bytes of all parts' header blocks together; more fails as HEADER_BYTES_TOTAL"
              + " (default ${DEFAULT-VALUE}).")
  long maxPartHeadersTotal;

  @Option(
      names = "--max-preamble",
      paramLabel = "BYTES",
      defaultValue = "64k",
      converter = ByteSizeConverter.class,
      description =
          "Most bytes before the first boundary; more fails as PREAMBLE_BYTES (default"
              + " ${DEFAULT-VALUE}).")
  long maxPreamble;

  @Option(
      names = "--sniff-bytes",
      paramLabel = "BYTES",
      defaultValue = "8k",
      converter = ByteSizeConverter.class,
      description =
          "How many head bytes of each part are sniffed for its kind, 0 for none (the kind"
              + " then comes from the Content-Type and file name alone) (default ${DEFAULT-VALUE},"
              + " at most 1m).")
  long sniffBytes;

  @Option(
      names = "--lenient",
      description =
          "Accept bare LF line endings and a boundary of any printable ASCII character (strict:"
              + " CRLF, and RFC 2046's boundary characters only).")
  boolean lenient;

  @Option(
      names = "--require-field-name",
      description =
          "Refuse a part that names no form field (no Content-Disposition, or one without"
              + " name) as MALFORMED_CONTENT_DISPOSITION; by default it is delivered with no"
              + " field name.")
  boolean requireFieldName;

  /**
   * The settings these options give.
   *
   * @throws UsageError if the parser refuses a value; the message names the option and the value
   */
  MultipartOptions options() {
    MultipartOptions.Builder b =
        MultipartOptions.builder()
            .lenientLineEndings(lenient)
            .lenientBoundary(lenient)
            .requireFieldName(requireFieldName);
    set("--max-part", maxPart, b::maxPartBytes);
    set("--max-parts", maxParts, v -> b.maxParts((int) v));
    set("--max-part-header", maxPartHeader, v -> b.maxHeaderBytesPerPart(toInt(v)));
    set("--max-part-headers-total", maxPartHeadersTotal, b::maxHeaderBytesTotal);
    set("--max-preamble", maxPreamble, b::maxPreambleBytes);
    set("--sniff-bytes", sniffBytes, v -> b.sniffBytes(toInt(v)));
    return b.build();
  }

  private static int toInt(long v) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("more than " + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  private static void set(String option, long value, LongConsumer setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new UsageError(option + " " + value + ": " + e.getMessage());
    }
  }
}
