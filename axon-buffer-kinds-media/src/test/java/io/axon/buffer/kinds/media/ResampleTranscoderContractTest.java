package io.axon.buffer.kinds.media;

import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.testing.TranscoderContract;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The rate steps keep the contract every transcoder keeps (axon-buffer-testing). */
class ResampleTranscoderContractTest {

  static TranscodeOptions rates(int from, int to) {
    return TranscodeOptions.none().withRate(from).withTargetRate(to);
  }

  @Nested
  class Pcm16RateStep extends TranscoderContract {
    @Override
    protected BufferTranscoder transcoder() {
      return new Pcm16ResampleTranscoder();
    }

    @Override
    protected List<Sample> samples() {
      return List.of(
          Sample.of(Pcm16Signals.noise(1, 800, 1), rates(8000, 16000)),
          Sample.of(Pcm16Signals.noise(2, 2205, 2), rates(44100, 16000).withChannels(2)),
          Sample.of(new byte[0], rates(16000, 24000)));
    }

    @Override
    protected List<Sample> malformedSamples() {
      return List.of(
          Sample.of(new byte[3], rates(8000, 16000)),
          Sample.of(new byte[6], rates(8000, 16000).withChannels(2)));
    }
  }

  @Nested
  class WavRateStep extends TranscoderContract {
    @Override
    protected BufferTranscoder transcoder() {
      return new WavResampleTranscoder();
    }

    @Override
    protected List<Sample> samples() {
      TranscodeOptions to16k = TranscodeOptions.none().withTargetRate(16000);
      return List.of(
          Sample.of(Corpus.row("sox_pcm16_8k_mono.wav").bytes(), to16k),
          Sample.of(Corpus.row("sox_u8_11k_stereo.wav").bytes(), to16k),
          Sample.of(Corpus.row("sox_pcm16_44k1_stereo.wav").bytes(), to16k));
    }

    @Override
    protected List<Sample> malformedSamples() {
      byte[] wav = Corpus.row("sox_pcm16_8k_mono.wav").bytes();
      return List.of(
          Sample.of(Arrays.copyOf(wav, 30), TranscodeOptions.none().withTargetRate(16000)));
    }
  }
}
