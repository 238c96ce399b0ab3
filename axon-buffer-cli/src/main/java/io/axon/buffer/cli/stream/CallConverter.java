package io.axon.buffer.cli.stream;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.kinds.media.Pcm16Resampler;
import io.axon.buffer.spi.BufferTranscoder;
import java.util.List;

/**
 * One call's audio conversion, frame by frame: the transcoder chain from the input's kind to {@code
 * pcm16} (for {@code mulaw8}, G.711 decoding), a {@link Pcm16Resampler} that keeps its filter state
 * from one frame to the next, then the chain from {@code pcm16} to the output's kind. The chains
 * are looked up once, when the call starts; only sample-wise steps are in them (a streamable kind
 * is headerless), so converting frame by frame and then {@link #finish} gives exactly the bytes the
 * whole {@link Transcoders} chain gives for the whole input ({@code transcode(in, to,
 * rate(r).targetRate(t))}).
 *
 * <p>When the input is {@code pcm16} the resampler always runs (a copy when the rates are equal),
 * so that a sample split across two messages is carried over.
 *
 * <p>Costs per frame: each step's output is one pooled buffer from the call's allocator (billed to
 * its tenant), the previous one closed at once; the resampler's scratch arrays grow to the largest
 * frame once, then nothing is allocated on the heap but the views. Not thread-safe: one call's
 * frames come one at a time.
 */
public final class CallConverter {

  private static final BufferKind PCM16 = BufferKind.of("pcm16");

  private final List<BufferTranscoder> toPcm;
  private final List<BufferTranscoder> fromPcm;
  private final TranscodeOptions inOptions;
  private final TranscodeOptions outOptions;
  private final Pcm16Resampler resampler;

  /**
   * A converter at the start of a call.
   *
   * @param format the call's input and output
   * @param transcoders where the chains are looked up
   * @throws StreamCallException {@link StreamFault#UNSUPPORTED_FORMAT} if no chain leads from the
   *     input to {@code pcm16} or from there to the output, or the resampler refuses the rates
   */
  public CallConverter(StreamFormat format, Transcoders transcoders) {
    this.toPcm = chain(transcoders, format.kind(), PCM16);
    this.fromPcm = chain(transcoders, PCM16, format.to());
    this.inOptions =
        TranscodeOptions.none().withRate(format.rate()).withChannels(format.channels());
    this.outOptions =
        TranscodeOptions.none().withRate(format.toRate()).withChannels(format.channels());
    boolean resample = format.rate() != format.toRate() || format.kind().equals(PCM16);
    try {
      this.resampler =
          resample
              ? Pcm16Resampler.create(format.rate(), format.toRate(), format.channels())
              : null;
    } catch (IllegalArgumentException e) {
      throw new StreamCallException(StreamFault.UNSUPPORTED_FORMAT, e.getMessage());
    }
  }

  private static List<BufferTranscoder> chain(Transcoders t, BufferKind from, BufferKind to) {
    if (from.equals(to)) {
      return List.of();
    }
    return t.path(from, to)
        .orElseThrow(
            () ->
                new StreamCallException(
                    StreamFault.UNSUPPORTED_FORMAT,
                    "no transcoder chain from " + from + " to " + to));
  }

  /**
   * Converts one piece of the call's input.
   *
   * @param input the piece, of the input's kind; borrowed, not closed
   * @param allocator where the output (and any step between) is built; its tenant pays
   * @return the converted audio now complete, possibly empty; the caller closes it
   * @throws io.axon.buffer.AxonBufferException if memory is refused or a step finds the bytes
   *     malformed (every buffer this call made is closed first)
   */
  public ZeroCopyBuffer convert(ZeroCopyBuffer input, BufferAllocator allocator) {
    ZeroCopyBuffer pcm = run(toPcm, input, inOptions, allocator);
    ZeroCopyBuffer resampled;
    if (resampler == null) {
      resampled = pcm == input ? input.share() : pcm;
    } else {
      try {
        resampled = resampler.process(pcm, allocator);
      } finally {
        if (pcm != input) {
          pcm.close();
        }
      }
    }
    return out(resampled, allocator);
  }

  /**
   * Ends the call: the resampler's look-ahead (the last few milliseconds), converted.
   *
   * @param allocator where the output is built
   * @return the rest of the output, possibly empty; the caller closes it
   * @throws io.axon.buffer.MalformedContentException if the input ended inside a sample
   */
  public ZeroCopyBuffer finish(BufferAllocator allocator) {
    if (resampler == null) {
      return io.axon.buffer.core.Buffers.empty(fromPcm.isEmpty() ? PCM16 : last(fromPcm));
    }
    return out(resampler.finish(allocator), allocator);
  }

  private static BufferKind last(List<BufferTranscoder> chain) {
    return chain.get(chain.size() - 1).to();
  }

  /** Runs {@code pcm} (owned) through the chain to the output's kind. */
  private ZeroCopyBuffer out(ZeroCopyBuffer pcm, BufferAllocator allocator) {
    if (fromPcm.isEmpty()) {
      return pcm;
    }
    try {
      return run(fromPcm, pcm, outOptions, allocator);
    } finally {
      pcm.close();
    }
  }

  /** The chain over {@code input} (borrowed); returns {@code input} itself for an empty chain. */
  private static ZeroCopyBuffer run(
      List<BufferTranscoder> chain,
      ZeroCopyBuffer input,
      TranscodeOptions options,
      BufferAllocator allocator) {
    ZeroCopyBuffer at = input;
    for (int i = 0; i < chain.size(); i++) {
      ZeroCopyBuffer next;
      try {
        next = chain.get(i).transcode(at, options, allocator);
      } finally {
        if (at != input) {
          at.close();
        }
      }
      at = next;
    }
    return at;
  }

  /** {@return the resampler, or null when the rates are equal and the input is not pcm16} */
  Pcm16Resampler resampler() {
    return resampler;
  }
}
