package io.axon.buffer.kinds.media;

import io.axon.buffer.MalformedContentException;

/** Checks on headerless PCM16 content. */
final class Pcm16 {

  private Pcm16() {}

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
