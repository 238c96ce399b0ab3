package io.axon.buffer;

import java.util.OptionalInt;

/**
 * Parameters a {@link io.axon.buffer.spi.BufferTranscoder} may need that the bytes do not carry:
 * the sample rate and channel count of headerless audio ({@code pcm16 → wav}), and the sample rate
 * to convert to ({@link #withTargetRate}: {@code pcm16@8000 → pcm16@16000}; the command's {@code
 * --to-rate}). Immutable.
 */
public final class TranscodeOptions {

  private static final TranscodeOptions NONE = new TranscodeOptions(0, 0, 0);

  private final int rate;
  private final int channels;
  private final int targetRate;

  private TranscodeOptions(int rate, int channels, int targetRate) {
    this.rate = rate;
    this.channels = channels;
    this.targetRate = targetRate;
  }

  /** {@return no options: every transcoder uses its defaults or what the content says} */
  public static TranscodeOptions none() {
    return NONE;
  }

  /**
   * Options with the sample rate of the content in Hz (1 to 1,000,000): the rate of headerless
   * audio, which its bytes do not carry.
   *
   * @param hz the rate
   * @return a copy with the rate set
   * @throws IllegalArgumentException if {@code hz} is out of range
   */
  public TranscodeOptions withRate(int hz) {
    return new TranscodeOptions(checkRate("sample rate", hz), channels, targetRate);
  }

  /**
   * Options asking for the audio to be converted to {@code hz} (1 to 1,000,000). {@link
   * Transcoders} then runs the chain through a rate-changing step (a transcoder whose source and
   * target kinds are equal); the steps after it see {@link #rate()} as {@code hz}.
   *
   * @param hz the rate to convert to
   * @return a copy with the target rate set
   * @throws IllegalArgumentException if {@code hz} is out of range
   */
  public TranscodeOptions withTargetRate(int hz) {
    return new TranscodeOptions(rate, channels, checkRate("target sample rate", hz));
  }

  private static int checkRate(String what, int hz) {
    if (hz < 1 || hz > 1_000_000) {
      throw new IllegalArgumentException(what + " must be 1..1000000 Hz, was " + hz);
    }
    return hz;
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
    return new TranscodeOptions(rate, count, targetRate);
  }

  /** {@return the sample rate in Hz, or empty if not given} */
  public OptionalInt rate() {
    return rate == 0 ? OptionalInt.empty() : OptionalInt.of(rate);
  }

  /** {@return the channel count, or empty if not given} */
  public OptionalInt channels() {
    return channels == 0 ? OptionalInt.empty() : OptionalInt.of(channels);
  }

  /** {@return the sample rate to convert to, in Hz, or empty if not given} */
  public OptionalInt targetRate() {
    return targetRate == 0 ? OptionalInt.empty() : OptionalInt.of(targetRate);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TranscodeOptions
        && ((TranscodeOptions) o).rate == rate
        && ((TranscodeOptions) o).channels == channels
        && ((TranscodeOptions) o).targetRate == targetRate;
  }

  @Override
  public int hashCode() {
    return (rate * 31 + channels) * 31 + targetRate;
  }

  @Override
  public String toString() {
    return "TranscodeOptions{rate="
        + (rate == 0 ? "-" : rate)
        + ", channels="
        + (channels == 0 ? "-" : channels)
        + ", targetRate="
        + (targetRate == 0 ? "-" : targetRate)
        + "}";
  }
}
