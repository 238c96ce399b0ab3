package io.axon.buffer;

import java.util.OptionalInt;

/**
 * Parameters a {@link io.axon.buffer.spi.BufferTranscoder} may need that the bytes do not carry:
 * the sample rate and channel count of headerless audio ({@code pcm16 → wav}). Immutable.
 */
public final class TranscodeOptions {

  private static final TranscodeOptions NONE = new TranscodeOptions(0, 0);

  private final int rate;
  private final int channels;

  private TranscodeOptions(int rate, int channels) {
    this.rate = rate;
    this.channels = channels;
  }

  /** {@return no options: every transcoder uses its defaults or what the content says} */
  public static TranscodeOptions none() {
    return NONE;
  }

  /**
   * Options with a sample rate in Hz (1 to 1,000,000).
   *
   * @param hz the sample rate
   * @return new options, these with the rate set
   * @throws IllegalArgumentException if {@code hz} is outside 1 to 1,000,000
   */
  public TranscodeOptions withRate(int hz) {
    if (hz < 1 || hz > 1_000_000) {
      throw new IllegalArgumentException("sample rate must be 1..1000000 Hz, was " + hz);
    }
    return new TranscodeOptions(hz, channels);
  }

  /**
   * Options with a channel count (1 to 255).
   *
   * @param count the number of channels
   * @return new options, these with the channel count set
   * @throws IllegalArgumentException if {@code count} is outside 1 to 255
   */
  public TranscodeOptions withChannels(int count) {
    if (count < 1 || count > 255) {
      throw new IllegalArgumentException("channel count must be 1..255, was " + count);
    }
    return new TranscodeOptions(rate, count);
  }

  /** {@return the sample rate in Hz, or empty if not given} */
  public OptionalInt rate() {
    return rate == 0 ? OptionalInt.empty() : OptionalInt.of(rate);
  }

  /** {@return the channel count, or empty if not given} */
  public OptionalInt channels() {
    return channels == 0 ? OptionalInt.empty() : OptionalInt.of(channels);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TranscodeOptions
        && ((TranscodeOptions) o).rate == rate
        && ((TranscodeOptions) o).channels == channels;
  }

  @Override
  public int hashCode() {
    return rate * 31 + channels;
  }

  @Override
  public String toString() {
    return "TranscodeOptions{rate="
        + (rate == 0 ? "-" : rate)
        + ", channels="
        + (channels == 0 ? "-" : channels)
        + "}";
  }
}
