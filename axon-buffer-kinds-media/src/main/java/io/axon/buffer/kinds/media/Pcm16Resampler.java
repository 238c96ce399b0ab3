package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A streaming sample-rate converter for {@code pcm16} (signed 16-bit little-endian, channels
 * interleaved): one per stream (a call, a file), fed pieces of any length as they arrive, writing
 * the converted samples into pooled memory.
 *
 * <pre>{@code
 * Pcm16Resampler up = Pcm16Resampler.create(8000, 16000, 1);    // per call
 * // each 20 ms frame (160 samples, 320 bytes) as it arrives:
 * try (ZeroCopyBuffer pcm16k = up.process(frame, pool.forTenant(tenant))) {
 *   sink.accept(pcm16k);                                      // 320 samples (192 for the first)
 * }
 * // when the call ends:
 * try (ZeroCopyBuffer tail = up.finish(pool.forTenant(tenant))) { sink.accept(tail); }
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 *
 * <ul>
 *   <li><b>Pieces do not matter.</b> The samples out are the same, bit for bit, however the input
 *       is cut: one call over the whole stream, 20 ms frames, single bytes (a sample or a frame
 *       split across pieces is carried over). {@link #process} followed by {@link #finish} gives
 *       exactly what the {@code pcm16 → pcm16} transcoder gives for the whole input.
 *   <li><b>Exact ratio, no drift.</b> The rates are reduced to {@code up/down} (8 → 16 kHz is 2/1,
 *       44.1 → 16 kHz is 160/441). Output sample {@code m} is computed at input position {@code
 *       m·down/up}, held as integers (the output count and, from it, the input index {@code m·down
 *       div up} and the phase {@code m·down mod up}): no floating-point clock, so an hour of audio
 *       is as exact as a second.
 *   <li><b>Aligned and complete.</b> The filter is linear-phase and its delay is compensated:
 *       output sample 0 is at input sample 0, as with sox. After {@link #finish} the stream has
 *       {@code round(frames·up/down)} frames (halves rounded up, as sox counts them).
 *   <li><b>Quality.</b> The filter ({@code PolyphaseFilter}) is a Kaiser-windowed sinc: pass band
 *       flat to 90% of the lower rate's Nyquist frequency, stop band from 100% of it (no aliasing,
 *       no imaging), about 100 dB down; figures against sox in the README.
 *   <li><b>Rounding and clipping.</b> Samples are converted to float, filtered with float
 *       multiply-adds in a fixed order, rounded to the nearest integer (halves towards positive
 *       infinity, {@link Math#round(float)}) and clipped to [-32768, 32767]; a filter can overshoot
 *       full-scale input by a few percent, so full-scale input may clip: {@link #clippedSamples()}
 *       counts it (sox warns of the same).
 * </ul>
 *
 * <h2>What it costs</h2>
 *
 * <ul>
 *   <li><b>Work:</b> {@link #filterTaps()} multiply-adds per output sample and channel (128 when
 *       converting up; {@code 128·down/up} when converting down, rounded up to a multiple of 4:
 *       about 128 per input sample).
 *   <li><b>Latency:</b> the filter looks {@link #latencyFrames()} input frames ahead (64 when
 *       converting up: 8 ms at 8 kHz), so the first piece gives that much less output, and {@link
 *       #finish} gives the rest.
 *   <li><b>State:</b> per channel, the last {@code 2·latencyFrames()} input samples as floats, plus
 *       scratch arrays sized by the largest piece fed (at most {@value #ROUND_FRAMES} frames are
 *       filtered per round, so a whole file costs no more): about 15 KB for 20 ms mono frames at 8
 *       → 16 kHz, 9 KB of it the {@value #SHIFTS} shifted copies of the history that converting up
 *       by an integer filters from. The filter table is shared by every converter of the same
 *       ratio.
 *   <li><b>Allocation:</b> once the scratch arrays have grown to the piece size, a call allocates
 *       nothing on the heap but what its output needs: the {@link BufferMut} variants append to the
 *       caller's builder (room is reserved first), the {@link BufferAllocator} variants acquire
 *       exactly the output's size.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * The output's room is reserved (or acquired) before any input is consumed, so a refused allocation
 * ({@link io.axon.buffer.TenantLimitExceededException}, …) leaves the converter as it was. A
 * builder that fails after that (which a pooled builder does not: its room is reserved) leaves the
 * converter part-way: it then refuses every call with {@link IllegalStateException} until {@link
 * #reset()}. An output buffer a failed call acquired is released.
 *
 * <p>Not thread-safe: one thread at a time feeds one stream (a WebSocket handler's calls are
 * serial).
 */
public final class Pcm16Resampler {

  /** A little-endian 16-bit sample in a byte array. */
  private static final VarHandle PCM16 =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /** The most input frames filtered in one round. */
  static final int ROUND_FRAMES = 1024;

  /** The fewest outputs per residue for which a round multiplies a tap into all at once. */
  static final int VECTOR_MIN = 8;

  /**
   * How many shifted copies of the history {@link #filterUp} makes per round: tap {@code t} reads
   * copy {@code t mod SHIFTS}, {@code t - t mod SHIFTS} further on.
   */
  static final int SHIFTS = 8;

  private final int fromRate;
  private final int toRate;
  private final int channels;
  private final int frameBytes;
  private final int up;
  private final int down;
  private final int half;
  private final int taps;
  private final float[] coefficients;
  private final int roundFrames;

  /** Whole input frames received (zeros added by {@link #finish} excluded). */
  private long inputFrames;

  /** The index of the next output frame. */
  private long outputFrames;

  /** The input index of {@code history[c][0]}; negative at the start (zeros before the stream). */
  private long bufferStart;

  /** Frames held in {@code history}. */
  private int filled;

  /** Per channel, the input samples from {@link #bufferStart}. */
  private final float[][] history;

  /** The bytes of a partial frame, carried to the next piece. */
  private final byte[] pending;

  private int pendingBytes;
  private byte[] in = new byte[0];
  private float[] streams = new float[0];

  /**
   * Taps' inputs side by side, the vector loop's operands: four windows of one tap each in {@link
   * #filter}, {@value #SHIFTS} shifted copies of the history in {@link #filterUp}.
   */
  private final float[][] windows = new float[SHIFTS][0];

  /** The sums being accumulated: one array per residue when {@code down} is 1, else one. */
  private final float[][] sums;

  private byte[] out = new byte[0];
  private long clipped;
  private boolean broken;
  private Probe probe;

  /** Receives each output sample before rounding (the quality measurement reads them). */
  interface Probe {
    void sample(long frame, int channel, float value);
  }

  private Pcm16Resampler(int fromRate, int toRate, int channels, PolyphaseFilter filter) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.channels = channels;
    this.frameBytes = 2 * channels;
    this.up = filter.up;
    this.down = filter.down;
    this.half = filter.halfTaps;
    this.taps = filter.taps;
    this.coefficients = filter.coefficients;
    this.roundFrames = Math.max(ROUND_FRAMES, 32 * down);
    this.history = new float[channels][];
    this.pending = new byte[frameBytes];
    this.sums = new float[down == 1 ? up : 1][0];
    reset();
  }

  /**
   * A converter from {@code fromRate} to {@code toRate} for {@code channels} interleaved channels.
   * Any two rates from 1 Hz to 1 MHz whose reduced ratio {@code up/down} has both terms at most
   * 1024 are accepted: every pair of 8, 11.025, 16, 22.05, 24, 32, 44.1 and 48 kHz but 11.025 ↔ 32
   * kHz (1280/441). Equal rates give a converter that copies.
   *
   * @param fromRate the input's sample rate, Hz
   * @param toRate the output's sample rate, Hz
   * @param channels the channel count, 1 to 255
   * @return a new converter at the start of a stream
   * @throws IllegalArgumentException if a rate or the channel count is out of range, or the ratio
   *     is too fine
   */
  public static Pcm16Resampler create(int fromRate, int toRate, int channels) {
    return new Pcm16Resampler(fromRate, toRate, channels, filterFor(fromRate, toRate, channels));
  }

  /**
   * The filter of a converter {@link #create} would make, checking its arguments the same way.
   *
   * @throws IllegalArgumentException as {@link #create}
   */
  static PolyphaseFilter filterFor(int fromRate, int toRate, int channels) {
    checkRate("fromRate", fromRate);
    checkRate("toRate", toRate);
    if (channels < 1 || channels > 255) {
      throw new IllegalArgumentException("channel count must be 1..255, was " + channels);
    }
    return PolyphaseFilter.of(fromRate, toRate);
  }

  private static void checkRate(String name, int hz) {
    if (hz < 1 || hz > 1_000_000) {
      throw new IllegalArgumentException(name + " must be 1..1000000 Hz, was " + hz);
    }
  }

  /** The input's sample rate, Hz. */
  public int fromRate() {
    return fromRate;
  }

  /** The output's sample rate, Hz. */
  public int toRate() {
    return toRate;
  }

  /** The number of interleaved channels. */
  public int channels() {
    return channels;
  }

  /** How many input frames the filter looks ahead: the output lags the input by this much. */
  public int latencyFrames() {
    return half;
  }

  /** The filter taps one output sample of one channel costs (multiply-adds). */
  public int filterTaps() {
    return taps;
  }

  /** Whole input frames received since the start of the stream. */
  public long inputFrames() {
    return inputFrames;
  }

  /** Output frames written since the start of the stream. */
  public long outputFrames() {
    return outputFrames;
  }

  /** Output samples clipped to the 16-bit range since the start of the stream. */
  public long clippedSamples() {
    return clipped;
  }

  /** Hands every output sample, before rounding, to {@code probe} too (null: none). */
  void probe(Probe probe) {
    this.probe = probe;
  }

  /** Starts a new stream: forgets the history, the partial frame, the counts and any failure. */
  public void reset() {
    inputFrames = 0;
    outputFrames = 0;
    bufferStart = -(half - 1); // output 0 reads inputs -half+1 .. half: zeros before the start
    filled = half - 1;
    for (int c = 0; c < channels; c++) {
      if (history[c] == null) {
        history[c] = new float[2 * half];
      }
      Arrays.fill(history[c], 0, filled, 0f);
    }
    pendingBytes = 0;
    clipped = 0;
    broken = false;
  }

  // ---------------------------------------------------------------- sizes

  /**
   * The exact number of bytes {@link #process} appends for {@code inputBytes} more bytes of input,
   * given what was fed before.
   *
   * @throws UnsupportedContentException if that is more than one buffer holds
   */
  public int outputBytes(int inputBytes) {
    if (inputBytes < 0) {
      throw new IllegalArgumentException("inputBytes must be >= 0, was " + inputBytes);
    }
    long frames = inputFrames + (pendingBytes + (long) inputBytes) / frameBytes;
    return bytesFor(outputsReadyAt(frames) - outputFrames);
  }

  /** The exact number of bytes {@link #finish} appends now. */
  public int finishBytes() {
    return bytesFor(totalOutputs(inputFrames) - outputFrames);
  }

  /** The output frames whose inputs are all among the first {@code end} input samples. */
  private long outputsReadyAt(long end) {
    long reach = end - half; // output m needs inputs up to m·down/up + half
    return reach <= 0 ? 0 : PolyphaseFilter.ceilDiv(reach * up, down);
  }

  /** The output frames of a whole stream of {@code frames} input frames: halves rounded up. */
  private long totalOutputs(long frames) {
    return (2 * frames * up + down) / (2L * down);
  }

  /**
   * The bytes a whole stream of {@code inputBytes} gives from the start ({@link #process} then
   * {@link #finish}), to size one buffer for it.
   */
  int streamBytes(int inputBytes) {
    return bytesFor(totalOutputs(inputBytes / frameBytes));
  }

  private int bytesFor(long frames) {
    long bytes = frames * frameBytes;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new UnsupportedContentException(
          MediaKinds.PCM16,
          "converting to "
              + toRate
              + " Hz gives "
              + bytes
              + " bytes at once, more than one buffer holds; feed smaller pieces");
    }
    return (int) bytes;
  }

  // ---------------------------------------------------------------- feeding

  /**
   * Converts the remaining bytes of {@code pcm} (moving its position to its limit) and appends the
   * output frames now complete to {@code out}: {@link #outputBytes} of them.
   *
   * @param pcm interleaved PCM16 little-endian; any length (a partial frame is carried over)
   * @param out the builder to append to; room is reserved before any input is consumed
   * @return the bytes appended
   * @throws io.axon.buffer.TenantLimitExceededException if {@code out} cannot grow (nothing was
   *     consumed)
   * @throws IllegalStateException if an earlier call failed part-way and {@link #reset()} was not
   *     called since
   */
  public int process(ByteBuffer pcm, BufferMut out) {
    Objects.requireNonNull(pcm, "pcm");
    int n = pcm.remaining();
    int bytes = reserve(outputBytes(n), out);
    try {
      int at = pcm.position();
      int end = at + n;
      while (at < end) {
        int k = stage(end - at);
        pcm.get(at, in, pendingBytes, k);
        at += k;
        consume(pendingBytes + k, out);
      }
      pcm.position(end);
    } catch (RuntimeException | Error e) {
      broken = true;
      throw e;
    }
    return bytes;
  }

  /**
   * Converts the bytes of {@code pcm} (borrowed, not closed) and appends the output frames now
   * complete to {@code out}; as {@link #process(ByteBuffer, BufferMut)}.
   *
   * @param pcm interleaved PCM16 little-endian; any length
   * @param out the builder to append to
   * @return the bytes appended
   */
  public int process(ZeroCopyBuffer pcm, BufferMut out) {
    Objects.requireNonNull(pcm, "pcm");
    int n = pcm.length();
    int bytes = reserve(outputBytes(n), out);
    try {
      for (int at = 0; at < n; ) {
        int k = stage(n - at);
        pcm.getBytes(at, in, pendingBytes, k);
        at += k;
        consume(pendingBytes + k, out);
      }
    } catch (RuntimeException | Error e) {
      broken = true;
      throw e;
    }
    return bytes;
  }

  /**
   * Converts {@code pcm} (borrowed, not closed) into a new buffer of exactly the output frames now
   * complete, acquired from {@code allocator} (whose tenant pays) and tagged {@code pcm16}.
   *
   * @param pcm interleaved PCM16 little-endian; any length
   * @param allocator where the output's memory comes from
   * @return the output, possibly empty; the caller closes it
   * @throws io.axon.buffer.TenantLimitExceededException if the allocator refuses (nothing was
   *     consumed)
   */
  public ZeroCopyBuffer process(ZeroCopyBuffer pcm, BufferAllocator allocator) {
    BufferMut b = allocator.acquire(outputBytes(pcm.length()));
    try {
      process(pcm, b);
      return b.freeze(MediaKinds.PCM16);
    } catch (RuntimeException | Error e) {
      b.close();
      throw e;
    }
  }

  /**
   * Ends the stream: appends the output frames still owed ({@link #finishBytes()} bytes: the
   * filter's look-ahead, computed with silence after the last sample), then {@link #reset()}s for
   * the next stream.
   *
   * @param out the builder to append to; room is reserved first
   * @return the bytes appended
   * @throws MalformedContentException if the stream ends in a partial frame (the converter is left
   *     as it was: {@link #reset()} it to go on)
   */
  public int finish(BufferMut out) {
    checkWholeFrames();
    int bytes = reserve(finishBytes(), out);
    try {
      long total = totalOutputs(inputFrames);
      // The last output reads inputs up to (total-1)·down/up + half: pad with silence to there.
      long end = total == 0 ? 0 : Math.floorDiv((total - 1) * down, up) + half + 1;
      while (outputFrames < total) {
        int zeros = (int) Math.max(0, Math.min(roundFrames, end - (bufferStart + filled)));
        ensureHistory(filled + zeros);
        for (int c = 0; c < channels; c++) {
          Arrays.fill(history[c], filled, filled + zeros, 0f);
        }
        filled += zeros;
        produce(Math.min(total, outputsReadyAt(bufferStart + filled)), out);
      }
    } catch (RuntimeException | Error e) {
      broken = true;
      throw e;
    }
    reset();
    return bytes;
  }

  /**
   * Ends the stream into a new buffer of exactly the frames still owed, acquired from {@code
   * allocator} and tagged {@code pcm16}; as {@link #finish(BufferMut)}.
   *
   * @param allocator where the output's memory comes from
   * @return the output, possibly empty; the caller closes it
   */
  public ZeroCopyBuffer finish(BufferAllocator allocator) {
    checkWholeFrames();
    BufferMut b = allocator.acquire(finishBytes());
    try {
      finish(b);
      return b.freeze(MediaKinds.PCM16);
    } catch (RuntimeException | Error e) {
      b.close();
      throw e;
    }
  }

  private void checkWholeFrames() {
    checkUsable();
    if (pendingBytes != 0) {
      throw new MalformedContentException(
          MediaKinds.PCM16,
          inputFrames * frameBytes,
          "the stream ends in a partial frame: "
              + pendingBytes
              + " of "
              + frameBytes
              + " bytes ("
              + channels
              + " channel"
              + (channels == 1 ? "" : "s")
              + " of 16-bit samples)");
    }
  }

  private void checkUsable() {
    if (broken) {
      throw new IllegalStateException(
          "a previous call failed part-way; reset() the converter to start a new stream");
    }
  }

  private int reserve(int bytes, BufferMut out) {
    Objects.requireNonNull(out, "out");
    checkUsable();
    out.reserve(bytes);
    return bytes;
  }

  /**
   * Makes {@link #in} hold the pending partial frame followed by room for up to {@code available}
   * new bytes; returns how many new bytes to copy in.
   */
  private int stage(int available) {
    int round = roundFrames * frameBytes;
    int k = Math.min(available, round - pendingBytes);
    if (in.length < pendingBytes + k) {
      in = new byte[pendingBytes + k];
    }
    System.arraycopy(pending, 0, in, 0, pendingBytes);
    return k;
  }

  /** Takes the whole frames of {@code in[0, length)}, keeps the rest as pending, filters. */
  private void consume(int length, BufferMut out) {
    int frames = length / frameBytes;
    pendingBytes = length - frames * frameBytes;
    System.arraycopy(in, frames * frameBytes, pending, 0, pendingBytes);
    ensureHistory(filled + frames);
    byte[] b = in;
    for (int c = 0; c < channels; c++) {
      float[] x = history[c];
      for (int i = 0, at = 2 * c; i < frames; i++, at += frameBytes) {
        x[filled + i] = (short) PCM16.get(b, at);
      }
    }
    filled += frames;
    inputFrames += frames;
    produce(outputsReadyAt(inputFrames), out);
  }

  private void ensureHistory(int frames) {
    if (history[0].length < frames) {
      int size = Math.max(frames, Math.min(2 * history[0].length, 2 * half + down + roundFrames));
      for (int c = 0; c < channels; c++) {
        history[c] = Arrays.copyOf(history[c], size);
      }
    }
  }

  // ---------------------------------------------------------------- filtering

  /** Computes output frames up to {@code end}, appends them, drops the inputs no longer needed. */
  private void produce(long end, BufferMut sink) {
    long first = outputFrames;
    if (end <= first) {
      return;
    }
    int count = (int) (end - first);
    if (out.length < count * frameBytes) {
      out = new byte[count * frameBytes];
    }
    boolean shifted = down == 1 && taps % SHIFTS == 0 && count / up >= VECTOR_MIN;
    // filterUp's windows and sums run taps - SHIFTS further than the outputs of a residue.
    growScratch(count / up + 2 + (shifted ? taps - SHIFTS : 0));
    for (int c = 0; c < channels; c++) {
      if (shifted) {
        filterUp(c, first, end);
      } else {
        filter(c, first, end);
      }
    }
    sink.append(out, 0, count * frameBytes);
    outputFrames = end;
    long keepFrom = Math.floorDiv(end * down, up) - half + 1;
    int drop = (int) (keepFrom - bufferStart);
    if (drop > 0) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(history[c], drop, history[c], 0, filled - drop);
      }
      filled -= drop;
      bufferStart = keepFrom;
    }
  }

  /** Grows the windows and the sums to {@code length} floats at least. */
  private void growScratch(int length) {
    if (windows[0].length < length) {
      for (int i = 0; i < windows.length; i++) {
        windows[i] = new float[length];
      }
      for (int r = 0; r < sums.length; r++) {
        sums[r] = new float[length];
      }
    }
  }

  /*
   * How the filtering runs fast on the JVM. Outputs are taken by residue r = m mod up: those share
   * a phase (row r·down mod up of the table), and their inputs advance by down from one to the
   * next. Four taps at a time multiply all of a residue's outputs at once: sums[j] += h0·w0[j] +
   * h1·w1[j] + h2·w2[j] + h3·w3[j], each array wN holding its tap's inputs side by side. C2 turns
   * that loop into vector instructions only when it reads every array at the loop's own index j:
   * not with x[base + j] for a base computed at run time (JDK 17 and 25 alike), nor with x[j + 1]
   * beside x[j] on JDK 17, which is why the inputs are copied first (a memmove, cheap next to the
   * multiply-adds). Over more than four such arrays (the loop gets too big to unroll) or into two
   * sums at once, JDK 17 does not vectorize either: hence four taps per pass, into one residue.
   *
   * With down == 1 (filterUp) every residue reads the same inputs, and the history is copied SHIFTS
   * times per round, each copy shifted by one more input; tap g + k (g a multiple of SHIFTS) reads
   * copy k at q + g, and the sums move SHIFTS places on between groups of SHIFTS taps instead of
   * the inputs: SHIFTS + up·(taps/SHIFTS - 1) memmoves per round, not one per tap. At 8 → 16 kHz
   * (ResampleBenchmark, with the cheaper rounding of emit) that is 40% less time in one call, 28%
   * less in 20 ms pieces; 8 copies take no more time than 16 and half the memory, 4 are slower in
   * 20 ms pieces. Each output's sum is the same as with a copy per tap, bit for bit. With down > 1
   * (filter) the history is first split into down interleaved streams, so that a residue's inputs
   * are contiguous in one of them, and each group of four taps copies its four windows. A residue
   * with fewer than VECTOR_MIN outputs in a round (a fine ratio such as 160/441 fed in small
   * pieces) is summed output by output, without copies. Every way adds the same products in the
   * same order (groups of four taps, tap 0 first, into a float starting at 0): the samples do not
   * depend on how the stream was cut.
   */

  /** Channel {@code c} of output frames {@code [first, end)}, residue by residue. */
  private void filter(int c, long first, long end) {
    float[] x = history[c];
    float[] h = coefficients;
    float[] a = sums[0];
    int stride = -1; // the streams' stride once the history is split for this channel
    for (int r = 0; r < up; r++) {
      long q0 = PolyphaseFilter.ceilDiv(first - r, up);
      int count = (int) (PolyphaseFilter.ceilDiv(end - r, up) - q0);
      if (count <= 0) {
        continue;
      }
      int row = (int) ((long) r * down % up) * taps;
      // The history index of tap 0 of output q0·up + r.
      int tap0 = (int) (q0 * down + (long) r * down / up - half + 1 - bufferStart);
      if (count < VECTOR_MIN) {
        for (int j = 0, base = tap0; j < count; j++, base += down) {
          float sum = 0f;
          for (int t = row, i = base; t < row + taps; t += 4, i += 4) {
            sum += h[t] * x[i] + h[t + 1] * x[i + 1] + h[t + 2] * x[i + 2] + h[t + 3] * x[i + 3];
          }
          a[j] = sum;
        }
      } else {
        if (down > 1 && stride < 0) {
          stride = split(x);
        }
        float[] from = down == 1 ? x : streams;
        Arrays.fill(a, 0, count, 0f);
        for (int t = 0; t < taps; t += 4) {
          for (int i = 0; i < 4; i++) {
            int at = tap0 + t + i;
            int start = down == 1 ? at : (at % down) * stride + at / down;
            System.arraycopy(from, start, windows[i], 0, count);
          }
          multiplyAdd4(a, h, row + t, windows, 0, 0, count);
        }
      }
      emit(a, 0, count, (int) (q0 * up + r - first), c);
    }
  }

  /**
   * Channel {@code c} of output frames {@code [first, end)} when {@code down} is 1. Every residue
   * reads the same inputs (outputs {@code q·up + r} read inputs {@code q - half + 1 … q + half}
   * whatever r), so the history is copied once per round, {@value #SHIFTS} times, each copy shifted
   * by one more input. Tap {@code t = g + k} ({@code g} a multiple of {@value #SHIFTS}) of output
   * {@code q} reads copy {@code k} at {@code q + g}: rather than shift the inputs by {@code g}, the
   * sums are shifted (moved {@value #SHIFTS} places on between groups), so that the vector loop
   * reads every array at the same index; the sum of output {@code q0 + j} ends at {@code taps -
   * SHIFTS + j}. Each residue's sums run over the same q range, one or two of which fall outside
   * {@code [first, end)} and are left out.
   */
  private void filterUp(int c, long first, long end) {
    float[] x = history[c];
    float[] h = coefficients;
    float[][] w = windows;
    long q0 = Math.floorDiv(first, up);
    int count = (int) (PolyphaseFilter.ceilDiv(end, up) - q0);
    int tap0 = (int) (q0 - half + 1 - bufferStart);
    int last = taps - SHIFTS; // the sums of output q0 + j end at last + j
    for (int k = 0; k < SHIFTS; k++) {
      System.arraycopy(x, tap0 + k, w[k], 0, last + count);
    }
    for (int r = 0; r < up; r++) {
      float[] a = sums[r];
      Arrays.fill(a, 0, count, 0f);
      for (int g = 0; g < taps; g += SHIFTS) {
        if (g > 0) {
          System.arraycopy(a, g - SHIFTS, a, g, count);
        }
        for (int k = 0; k < SHIFTS; k += 4) {
          multiplyAdd4(a, h, r * taps + g + k, w, k, g, g + count);
        }
      }
    }
    for (int r = 0; r < up; r++) {
      long q = PolyphaseFilter.ceilDiv(first - r, up);
      int n = (int) (PolyphaseFilter.ceilDiv(end - r, up) - q);
      emit(sums[r], last + (int) (q - q0), n, (int) (q * up + r - first), c);
    }
  }

  /** Splits {@code x[0, filled)} into {@code down} streams in {@link #streams}; their stride. */
  private int split(float[] x) {
    int stride = (filled + down - 1) / down;
    if (streams.length < stride * down) {
      streams = new float[stride * down];
    }
    float[] z = streams;
    for (int s = 0; s < down; s++) {
      for (int i = s * stride, at = s; at < filled; i++, at += down) {
        z[i] = x[at];
      }
    }
    return stride;
  }

  /**
   * {@code a[j] += h[k]·v[0][j] + h[k+1]·v[1][j] + h[k+2]·v[2][j] + h[k+3]·v[3][j]} for {@code from
   * ≤ j < to}, {@code v} being {@code w[i … i+3]}: the loop the JIT vectorizes (every array read at
   * the loop's own index, no offset).
   */
  private static void multiplyAdd4(
      float[] a, float[] h, int k, float[][] w, int i, int from, int to) {
    float h0 = h[k];
    float h1 = h[k + 1];
    float h2 = h[k + 2];
    float h3 = h[k + 3];
    float[] w0 = w[i];
    float[] w1 = w[i + 1];
    float[] w2 = w[i + 2];
    float[] w3 = w[i + 3];
    for (int j = from; j < to; j++) {
      a[j] += h0 * w0[j] + h1 * w1[j] + h2 * w2[j] + h3 * w3[j];
    }
  }

  /**
   * Rounds and clips {@code sums[offset, offset + count)} into channel {@code c} of {@link #out}:
   * output frames {@code first + at, first + at + up, …}.
   */
  private void emit(float[] sums, int offset, int count, int at, int c) {
    if (probe != null) {
      for (int j = 0; j < count; j++) {
        probe.sample(outputFrames + at + (long) j * up, c, sums[offset + j]);
      }
    }
    byte[] o = out;
    int step = up * frameBytes;
    long clips = 0;
    for (int j = offset, i = at * frameBytes + 2 * c; j < offset + count; j++, i += step) {
      int r = round(sums[j]);
      int v = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
      if (v != r) {
        clips++;
      }
      PCM16.set(o, i, (short) v);
    }
    clipped += clips;
  }

  /**
   * {@link Math#round(float)}, the same for every float (the test checks the edges; a run over all
   * 2³² was clean) and cheaper on JDK 17: {@code v + 0.5} is exact in double wherever it matters,
   * and the JIT floors a double in one instruction.
   */
  static int round(float v) {
    return (int) Math.floor(v + 0.5d);
  }
}
