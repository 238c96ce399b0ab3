package io.axon.buffer.kinds.media;

import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;

/** Checks on headerless PCM16 content and on the options that describe it. */
final class Pcm16 {

  private Pcm16() {}

  /**
   * The sample rate option, which {@code conversion} (such as {@code "pcm16 -> wav"}) needs.
   *
   * @throws IllegalArgumentException naming the option when it is absent
   */
  static int rate(TranscodeOptions options, String conversion) {
    return options
        .rate()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    conversion
                        + " needs the sample rate (option rate, TranscodeOptions.withRate):"
                        + " headerless PCM does not carry it"));
  }

  /**
   * The target rate option, which the rate step {@code conversion} needs.
   *
   * @throws IllegalArgumentException naming the option when it is absent
   */
  static int targetRate(TranscodeOptions options, String conversion) {
    return options
        .targetRate()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    conversion
                        + " needs the target sample rate (option targetRate,"
                        + " TranscodeOptions.withTargetRate)"));
  }

  /**
   * Fails unless {@code length} bytes are whole frames of {@code channels} 16-bit samples.
   *
   * @throws MalformedContentException naming the length and the frame size
   */
  static void checkWholeSamples(int length, int channels) {
    int frame = 2 * channels;
    if (length % frame != 0) {
      String what =
          channels == 1
              ? "PCM16 samples are 2 bytes, so "
                  + length
                  + " bytes (an odd length) end in half a sample"
              : length
                  + " bytes are not a whole number of "
                  + channels
                  + "-channel PCM16 frames ("
                  + frame
                  + " bytes each)";
      throw new MalformedContentException(MediaKinds.PCM16, length - length % frame, what);
    }
  }
}
