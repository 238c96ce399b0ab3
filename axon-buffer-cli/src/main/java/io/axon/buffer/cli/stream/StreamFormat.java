package io.axon.buffer.cli.stream;

import io.axon.buffer.BufferKind;
import java.util.Set;
import java.util.function.Function;

/**
 * A call's audio in and out, from the query of {@code GET /stream}: {@code
 * ?kind=mulaw8&rate=8000&channels=1&to=pcm16&toRate=16000&echo=1}. A JSON (media-stream) call takes
 * its input's kind, rate and channels from its {@code start} event instead ({@link #withInput});
 * {@code to} and {@code toRate} still come from the query.
 *
 * <p>Streamable kinds are the headerless sample formats, whose chains convert frame by frame: in
 * {@code mulaw8} or {@code pcm16}, out {@code pcm16} or {@code mulaw8}.
 *
 * @param kind the input's kind
 * @param rate the input's sample rate, Hz
 * @param channels interleaved channels
 * @param to the output's kind
 * @param toRate the output's sample rate, Hz
 * @param echo whether converted audio is sent back as binary messages
 */
public record StreamFormat(
    BufferKind kind, int rate, int channels, BufferKind to, int toRate, boolean echo) {

  /** The kinds a call may send or ask for. */
  public static final Set<String> STREAMABLE = Set.of("mulaw8", "pcm16");

  /**
   * Checks the values.
   *
   * @throws StreamCallException {@link StreamFault#UNSUPPORTED_FORMAT} for a kind that does not
   *     stream, {@link StreamFault#BAD_QUERY} for a rate or channel count out of range
   */
  public StreamFormat {
    streamable("kind", kind);
    streamable("to", to);
    rate("rate", rate);
    rate("toRate", toRate);
    if (channels < 1 || channels > 8) {
      throw new StreamCallException(
          StreamFault.BAD_QUERY, "channels must be 1..8, was " + channels);
    }
  }

  /**
   * Reads the query.
   *
   * @param query a parameter's value by name, null when absent
   * @return the format
   * @throws StreamCallException if a value is malformed or out of range
   */
  public static StreamFormat fromQuery(Function<String, String> query) {
    BufferKind kind = kind(query, "kind", "mulaw8");
    int rate = integer(query, "rate", 8000);
    int channels = integer(query, "channels", 1);
    BufferKind to = kind(query, "to", "pcm16");
    int toRate = integer(query, "toRate", rate);
    String echo = query.apply("echo");
    boolean echoes;
    if (echo == null || echo.equals("1") || echo.equals("true")) {
      echoes = true;
    } else if (echo.equals("0") || echo.equals("false")) {
      echoes = false;
    } else {
      throw new StreamCallException(
          StreamFault.BAD_QUERY, "echo must be 1, 0, true or false, was \"" + echo + "\"");
    }
    return new StreamFormat(kind, rate, channels, to, toRate, echoes);
  }

  /**
   * This format with the input a {@code start} event announced.
   *
   * @param kind the input's kind
   * @param rate the input's rate
   * @param channels its channels
   * @param toRateGiven whether the query named {@code toRate}; if not, the output keeps the new
   *     input rate
   * @return a copy
   */
  public StreamFormat withInput(BufferKind kind, int rate, int channels, boolean toRateGiven) {
    return new StreamFormat(kind, rate, channels, to, toRateGiven ? toRate : rate, echo);
  }

  /** {@return bytes of input per second of audio} */
  public long inputBytesPerSecond() {
    return (long) rate * channels * (kind.slug().equals("pcm16") ? 2 : 1);
  }

  private static void streamable(String name, BufferKind k) {
    if (!STREAMABLE.contains(k.slug())) {
      throw new StreamCallException(
          StreamFault.UNSUPPORTED_FORMAT, name + "=" + k + " does not stream (mulaw8 or pcm16)");
    }
  }

  private static void rate(String name, int hz) {
    if (hz < 1000 || hz > 192_000) {
      throw new StreamCallException(
          StreamFault.BAD_QUERY, name + " must be 1000..192000 Hz, was " + hz);
    }
  }

  private static BufferKind kind(Function<String, String> query, String name, String dflt) {
    String v = query.apply(name);
    try {
      return BufferKind.of(v == null ? dflt : v);
    } catch (IllegalArgumentException e) {
      throw new StreamCallException(StreamFault.BAD_QUERY, name + ": " + e.getMessage());
    }
  }

  private static int integer(Function<String, String> query, String name, int dflt) {
    String v = query.apply(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new StreamCallException(
          StreamFault.BAD_QUERY, name + " must be a whole number, was \"" + v + "\"");
    }
  }
}
