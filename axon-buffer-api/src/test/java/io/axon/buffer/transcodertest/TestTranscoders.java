package io.axon.buffer.transcodertest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.spi.Priority;

/**
 * Transcoders discovered by the {@code Transcoders} tests through {@code META-INF/services} files
 * the tests write. Each appends its target kind's letter to the bytes, so a result shows the chain
 * it went through: {@code "a"} becomes {@code "abc"} through {@code t-a -> t-b -> t-c}; followed by
 * {@code @rate} when the options it was given carry a rate. A rate step ({@code t-b -> t-b})
 * appends {@code ~targetRate}. Outputs come from {@link #maker}, which the tests set to a tracked
 * heap buffer.
 */
public final class TestTranscoders {

  private TestTranscoders() {}

  /** Makes output buffers. */
  public interface Maker {
    ZeroCopyBuffer make(BufferKind kind, byte[] bytes);
  }

  /** Set by the tests. */
  public static volatile Maker maker;

  static BufferKind k(String letter) {
    return BufferKind.of("t-" + letter);
  }

  /** Appends the target letter. */
  public abstract static class Appending implements BufferTranscoder {
    private final BufferKind from;
    private final BufferKind to;

    protected Appending(String from, String to) {
      this.from = k(from);
      this.to = k(to);
    }

    @Override
    public BufferKind from() {
      return from;
    }

    @Override
    public BufferKind to() {
      return to;
    }

    @Override
    public ZeroCopyBuffer transcode(
        ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
      String mark =
          from.equals(to)
              ? "~" + options.targetRate().orElse(0)
              : to.slug().substring(2)
                  + (options.rate().isPresent() ? "@" + options.rate().getAsInt() : "");
      byte[] in = input.toByteArray();
      byte[] tail = mark.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] out = java.util.Arrays.copyOf(in, in.length + tail.length);
      System.arraycopy(tail, 0, out, in.length, tail.length);
      return maker.make(to, out);
    }
  }

  /** b -> b: a rate step. */
  public static final class BRate extends Appending {
    public BRate() {
      super("b", "b");
    }
  }

  /** e -> e: a rate step. */
  public static final class ERate extends Appending {
    public ERate() {
      super("e", "e");
    }
  }

  /** a -> b, at {@link Priority#BUILT_IN} (plays a built-in transcoder). */
  public static final class AB extends Appending {
    public AB() {
      super("a", "b");
    }

    @Override
    public int priority() {
      return Priority.BUILT_IN;
    }
  }

  public static final class BC extends Appending {
    public BC() {
      super("b", "c");
    }
  }

  public static final class AD extends Appending {
    public AD() {
      super("a", "d");
    }
  }

  public static final class DC extends Appending {
    public DC() {
      super("d", "c");
    }
  }

  public static final class CE extends Appending {
    public CE() {
      super("c", "e");
    }
  }

  public static final class BE extends Appending {
    public BE() {
      super("b", "e");
    }
  }

  /** b -> f: always finds the content malformed. */
  public static final class BFails implements BufferTranscoder {
    @Override
    public BufferKind from() {
      return k("b");
    }

    @Override
    public BufferKind to() {
      return k("f");
    }

    @Override
    public ZeroCopyBuffer transcode(
        ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
      throw new MalformedContentException(k("b"), 0, "b is never good enough");
    }
  }

  /** g -> h: returns its output tagged raw; the facade must fix the tag. */
  public static final class GToHWrongTag extends Appending {
    public GToHWrongTag() {
      super("g", "h");
    }

    @Override
    public ZeroCopyBuffer transcode(
        ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
      ZeroCopyBuffer out = super.transcode(input, options, allocator);
      try {
        return out.retag(BufferKind.raw());
      } finally {
        out.close();
      }
    }
  }

  /**
   * A second a -> b, at the default priority in a package under {@code io.axon.buffer.}: loses to
   * AB on priority; against a third party's at the same priority the class name decides.
   */
  public static final class AB2 extends Appending {
    public AB2() {
      super("a", "b");
    }
  }

  public static final class ThrowsInConstructor extends Appending {
    public ThrowsInConstructor() {
      super("x", "y");
      throw new IllegalStateException("no");
    }
  }

  public static final class ThrowsInPriority extends Appending {
    public ThrowsInPriority() {
      super("x", "z");
    }

    @Override
    public int priority() {
      throw new IllegalStateException("priority is broken");
    }
  }

  public static final class ThrowsInFrom extends Appending {
    public ThrowsInFrom() {
      super("x", "y");
    }

    @Override
    public BufferKind from() {
      throw new UnsupportedOperationException("from is broken");
    }
  }

  public static final class NullTo extends Appending {
    public NullTo() {
      super("x", "y");
    }

    @Override
    public BufferKind to() {
      return null;
    }
  }

  public static final class Itself extends Appending {
    public Itself() {
      super("x", "x");
    }
  }

  /** Not a transcoder at all. */
  public static final class NotATranscoder {
    public NotATranscoder() {}
  }
}
