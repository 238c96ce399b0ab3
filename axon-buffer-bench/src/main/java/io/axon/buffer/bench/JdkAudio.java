package io.axon.buffer.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** The JDK's μ-law conversions, the peer of the μ-law benchmarks. */
final class JdkAudio {

  private JdkAudio() {}

  static final AudioFormat ULAW =
      new AudioFormat(AudioFormat.Encoding.ULAW, 8000f, 8, 1, 1, 8000f, false);
  static final AudioFormat PCM_SIGNED = new AudioFormat(8000f, 16, 1, true, false);

  /**
   * Converts all of {@code src} from {@code from} to {@code to} through {@code AudioSystem}, read
   * straight into {@code dst} (its fastest use: no growth, no copy of the result), which the output
   * must fill exactly.
   *
   * @return the bytes read, {@code dst.length}
   */
  static int convertInto(byte[] src, AudioFormat from, AudioFormat to, byte[] dst)
      throws IOException {
    AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(src), from, src.length / from.getFrameSize());
    int total = 0;
    try (AudioInputStream out = AudioSystem.getAudioInputStream(to, in)) {
      int n;
      while ((n = out.read(dst, total, dst.length - total)) > 0) {
        total += n;
      }
    }
    if (total != dst.length) {
      throw new IllegalStateException("read " + total);
    }
    return total;
  }
}
