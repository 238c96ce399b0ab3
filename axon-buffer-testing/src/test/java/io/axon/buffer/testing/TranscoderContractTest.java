package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferMut;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.spi.BufferTranscoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The transcoder contract, run against well-behaved transcoders, and shown to catch bad ones. */
class TranscoderContractTest {

  static final BufferKind TEXT = BufferKind.of("contract-text");
  static final BufferKind UPPER = BufferKind.of("contract-upper");

  static BufferKindRegistry registry() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(KindDescriptor.builder(TEXT.toString()).description("test text").build());
    r.register(KindDescriptor.builder(UPPER.toString()).description("upper-case text").build());
    return r;
  }

  static List<TranscoderContract.Sample> text(String... samples) {
    return java.util.Arrays.stream(samples)
        .map(s -> TranscoderContract.Sample.of(s.getBytes(StandardCharsets.US_ASCII)))
        .toList();
  }

  /** Upper-cases ASCII text into new pooled memory; a NUL byte is malformed. */
  public static final class Uppercase implements BufferTranscoder {
    @Override
    public BufferKind from() {
      return TEXT;
    }

    @Override
    public BufferKind to() {
      return UPPER;
    }

    @Override
    public ZeroCopyBuffer transcode(
        ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
      try (BufferMut out = allocator.acquire(input.length())) {
        for (int i = 0; i < input.length(); i++) {
          byte b = input.get(i);
          if (b == 0) {
            throw new MalformedContentException(TEXT, i, "NUL in text");
          }
          out.append((byte) Character.toUpperCase(b));
        }
        return out.freeze(UPPER);
      }
    }
  }

  /** Frames its input behind a header, without copying it. */
  public static final class Framing implements BufferTranscoder {
    @Override
    public BufferKind from() {
      return TEXT;
    }

    @Override
    public BufferKind to() {
      return UPPER;
    }

    @Override
    public ZeroCopyBuffer transcode(
        ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator) {
      try (ZeroCopyBuffer header = Buffers.wrap("HDR:".getBytes(StandardCharsets.US_ASCII))) {
        return Buffers.composite(UPPER, List.of(header, input));
      }
    }
  }

  @Nested
  class AWellBehavedTranscoder extends TranscoderContract {
    @Override
    protected BufferTranscoder transcoder() {
      return new Uppercase();
    }

    @Override
    protected List<Sample> samples() {
      return text("hello", "x", "a longer line of text to upper-case");
    }

    @Override
    protected List<Sample> malformedSamples() {
      return text("bad\0text");
    }

    @Override
    protected BufferKindRegistry registry() {
      return TranscoderContractTest.registry();
    }
  }

  @Nested
  class AFramingTranscoder extends TranscoderContract {
    @Override
    protected BufferTranscoder transcoder() {
      return new Framing();
    }

    @Override
    protected List<Sample> samples() {
      return text("payload", "another payload");
    }

    @Override
    protected boolean framesWithoutCopy() {
      return true;
    }

    @Override
    protected BufferKindRegistry registry() {
      return TranscoderContractTest.registry();
    }
  }

  /** A contract over {@code t}, samples "hello" and malformed "a\0b", with its pool made. */
  private static TranscoderContract contractOver(BufferTranscoder t, boolean frames) {
    TranscoderContract c =
        new TranscoderContract() {
          @Override
          protected BufferTranscoder transcoder() {
            return t;
          }

          @Override
          protected List<Sample> samples() {
            return text("hello");
          }

          @Override
          protected List<Sample> malformedSamples() {
            return text("a\0b");
          }

          @Override
          protected boolean framesWithoutCopy() {
            return frames;
          }

          @Override
          protected BufferKindRegistry registry() {
            return TranscoderContractTest.registry();
          }
        };
    c.createPool();
    return c;
  }

  /** A transcoder that does {@code body} and otherwise upper-cases. */
  private abstract static class Broken implements BufferTranscoder {
    @Override
    public BufferKind from() {
      return TEXT;
    }

    @Override
    public BufferKind to() {
      return UPPER;
    }
  }

  @Nested
  class TheContractCatches {

    @Test
    void aTranscoderThatClosesItsInput() {
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  ZeroCopyBuffer out = new Uppercase().transcode(in, o, a);
                  in.close();
                  return out;
                }
              },
              false);
      AssertionError e =
          assertThrows(
              AssertionError.class, c::theInputIsBorrowedItsBytesUntouchedStillOpenAndNotKept);
      assertTrue(e.getMessage().contains("closed its input"), e.getMessage());
    }

    @Test
    void aTranscoderThatLeaksItsBuilderOnMalformedInput() {
      List<BufferMut> leaked = new java.util.ArrayList<>();
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  BufferMut out = a.acquire(in.length());
                  leaked.add(out); // for the test to close afterwards
                  for (int i = 0; i < in.length(); i++) {
                    if (in.get(i) == 0) {
                      throw new MalformedContentException(TEXT, i, "NUL"); // out never closed
                    }
                    out.append(in.get(i));
                  }
                  return out.freeze(UPPER);
                }
              },
              false);
      AssertionError e =
          assertThrows(
              AssertionError.class,
              c::malformedInputThrowsMalformedContentExceptionAndLeavesNothingBehind);
      assertTrue(e.getMessage().contains("expected no live bytes"), e.getMessage());
      leaked.forEach(BufferMut::close);
    }

    @Test
    void anUntypedErrorOnMalformedInput() {
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  if (in.get(1) == 0) {
                    throw new IllegalStateException("unexpected NUL");
                  }
                  return new Uppercase().transcode(in, o, a);
                }
              },
              false);
      AssertionError e =
          assertThrows(
              AssertionError.class,
              c::malformedInputThrowsMalformedContentExceptionAndLeavesNothingBehind);
      assertTrue(e.getMessage().contains("instead of MalformedContentException"), e.getMessage());
    }

    @Test
    void aFramingTranscoderThatCopies() {
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  byte[] framed = ("HDR:" + new String(in.toByteArray())).getBytes();
                  return Buffers.copyOf(UPPER, framed);
                }
              },
              true);
      AssertionError e =
          assertThrows(
              AssertionError.class, c::aFramingTranscoderHoldsTheInputsMemoryInsteadOfCopyingIt);
      assertTrue(e.getMessage().contains("it copied"), e.getMessage());
    }

    @Test
    void aTranscoderOfAKindNobodyDeclared() {
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public BufferKind to() {
                  return BufferKind.of("contract-undeclared");
                }

                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  return in.retag(to());
                }
              },
              false);
      AssertionError e = assertThrows(AssertionError.class, c::theKindsItDeclaresAreKnown);
      assertTrue(e.getMessage().contains("contract-undeclared"), e.getMessage());
    }

    @Test
    void aTranscoderNotRegisteredAsAService() {
      TranscoderContract c =
          contractOver(
              new Broken() {
                @Override
                public ZeroCopyBuffer transcode(
                    ZeroCopyBuffer in, TranscodeOptions o, BufferAllocator a) {
                  return new Uppercase().transcode(in, o, a);
                }
              },
              false);
      AssertionError e = assertThrows(AssertionError.class, c::transcoderIsRegisteredAsAService);
      assertTrue(e.getMessage().contains("@AutoService"), e.getMessage());
    }
  }
}
