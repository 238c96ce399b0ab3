package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferMut;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.ResourceException;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.spi.BufferTranscoder;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BufferTranscoder} keeps, ours or a third party's. Extend it in the
 * transcoder's tests, giving valid inputs and, where the format has a structure, malformed ones:
 *
 * <pre>{@code
 * class MulawToPcm16ContractTest extends TranscoderContract {
 *   protected BufferTranscoder transcoder() { return new MulawToPcm16Transcoder(); }
 *   protected List<Sample> samples() { return List.of(Sample.of(new byte[] {0, 1, (byte) 0xff})); }
 * }
 * }</pre>
 *
 * <p>It checks that the transcoder is a public class registered as a service; that the kinds it
 * declares are known to the registry (a transcoder for a kind nobody declared needs a kind provider
 * beside it); that each sample gives a new open view of {@link BufferTranscoder#to()}; that the
 * input is borrowed (same bytes, still open, no reference kept once the output is closed); that no
 * pooled memory is left behind on success, on malformed input or when the allocator refuses; that
 * malformed input throws {@link MalformedContentException}; and, for a transcoder that only frames
 * its input ({@link #framesWithoutCopy()}, as pcm16 → wav adds a header), that the output holds the
 * input's memory instead of a copy of it.
 *
 * <p>Each test uses a pool of its own ({@link SlabBufferPool}, billed to tenant {@value #TENANT}),
 * checked to be empty afterwards.
 */
public abstract class TranscoderContract {

  /** The tenant the contract's allocations are billed to. */
  protected static final String TENANT = "transcoder-contract";

  private SlabBufferPool pool;

  /** One input of the transcoder: its bytes and the options it needs. */
  public static final class Sample {
    private final byte[] content;
    private final TranscodeOptions options;

    private Sample(byte[] content, TranscodeOptions options) {
      this.content = content.clone();
      this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * A sample read with no options.
     *
     * @param content the input bytes
     * @return the sample
     */
    public static Sample of(byte[] content) {
      return new Sample(content, TranscodeOptions.none());
    }

    /**
     * A sample read with {@code options}.
     *
     * @param content the input bytes
     * @param options what the content does not carry (rate, channels)
     * @return the sample
     */
    public static Sample of(byte[] content, TranscodeOptions options) {
      return new Sample(content, options);
    }

    @Override
    public String toString() {
      return content.length + "-byte sample, " + options;
    }
  }

  /**
   * The transcoder under test (a new instance each call is fine).
   *
   * @return the transcoder
   */
  protected abstract BufferTranscoder transcoder();

  /**
   * Valid inputs of {@link BufferTranscoder#from()}.
   *
   * @return at least one sample
   */
  protected abstract List<Sample> samples();

  /**
   * Inputs the transcoder must refuse with {@link MalformedContentException}. Default: none (for
   * formats where any bytes are content, such as mu-law).
   *
   * @return the malformed inputs
   */
  protected List<Sample> malformedSamples() {
    return List.of();
  }

  /**
   * True for a transcoder that only frames its input (adds a header, or reinterprets the bytes):
   * its output must hold the input's memory, not a copy. Default false.
   *
   * @return whether the payload must not be copied
   */
  protected boolean framesWithoutCopy() {
    return false;
  }

  /**
   * The registry that must know the transcoder's kinds. Default: {@link
   * BufferKindRegistry#global()}.
   *
   * @return the registry
   */
  protected BufferKindRegistry registry() {
    return BufferKindRegistry.global();
  }

  /**
   * The class loader whose {@code META-INF/services} must list the transcoder. Default: the
   * transcoder class's own loader.
   *
   * @return the loader
   */
  protected ClassLoader serviceClassLoader() {
    return transcoder().getClass().getClassLoader();
  }

  /** A fresh pool for each test. */
  @BeforeEach
  protected final void createPool() {
    pool = SlabBufferPool.builder().name("transcoder-contract").build();
  }

  /** The test's pool must hold nothing once its views are closed. */
  @AfterEach
  protected final void poolIsEmpty() {
    try {
      PoolAssertions.assertNoLiveBytes(pool);
    } finally {
      pool.close();
    }
  }

  private ZeroCopyBuffer input(Sample s) {
    try (BufferMut m = pool.acquire(s.content.length, TENANT)) {
      return m.append(s.content).freeze(transcoder().from());
    }
  }

  private List<Sample> checkedSamples() {
    List<Sample> samples = samples();
    assertNotNull(samples, "samples() returned null");
    assertFalse(samples.isEmpty(), "give the contract at least one valid sample");
    return samples;
  }

  @Test
  public void transcoderIsAPublicClassWithAPublicNoArgConstructor() throws Exception {
    Class<?> type = transcoder().getClass();
    assertTrue(Modifier.isPublic(type.getModifiers()), type + " must be public");
    assertTrue(
        type.getEnclosingClass() == null || Modifier.isStatic(type.getModifiers()),
        type + " must be top-level or static");
    assertTrue(
        Modifier.isPublic(type.getConstructor().getModifiers()),
        type + " needs a public no-argument constructor");
  }

  @Test
  public void transcoderIsRegisteredAsAService() {
    Class<?> type = transcoder().getClass();
    boolean found =
        ServiceLoader.load(BufferTranscoder.class, serviceClassLoader()).stream()
            .anyMatch(p -> p.type().equals(type));
    assertTrue(
        found,
        type.getName()
            + " is not listed in META-INF/services/"
            + BufferTranscoder.class.getName()
            + ": annotate it with @AutoService(BufferTranscoder.class) and add `provides` to"
            + " module-info.java");
  }

  @Test
  public void theKindsItDeclaresAreKnown() {
    BufferTranscoder t = transcoder();
    for (BufferKind kind : Arrays.asList(t.from(), t.to())) {
      assertNotNull(kind, t + " declares a null kind");
      assertTrue(
          registry().descriptor(kind).isPresent(),
          t.getClass().getName()
              + " converts "
              + kind
              + ", which no kind provider declares: ship a BufferKindProvider for it beside the"
              + " transcoder");
    }
  }

  @Test
  public void theOutputIsANewOpenViewOfTheDeclaredKind() {
    BufferTranscoder t = transcoder();
    for (Sample s : checkedSamples()) {
      try (ZeroCopyBuffer in = input(s);
          ZeroCopyBuffer out = t.transcode(in, s.options, pool.forTenant(TENANT))) {
        assertNotNull(out, "transcode returned null for " + s);
        assertNotSame(in, out, "the output must be a view of its own");
        assertFalse(out.isClosed());
        assertEquals(t.to(), out.kind(), "output kind for " + s);
        out.toByteArray(); // readable
      }
    }
  }

  @Test
  public void theInputIsBorrowedItsBytesUntouchedStillOpenAndNotKept() {
    BufferTranscoder t = transcoder();
    for (Sample s : checkedSamples()) {
      try (ZeroCopyBuffer in = input(s)) {
        ZeroCopyBuffer out = t.transcode(in, s.options, pool.forTenant(TENANT));
        out.close();
        assertFalse(in.isClosed(), "the transcoder closed its input (" + s + ")");
        assertArrayEquals(s.content, in.toByteArray(), "the transcoder changed its input");
        assertEquals(1, in.sharers(), "a reference to the input was kept past the output");
      }
    }
  }

  @Test
  public void malformedInputThrowsMalformedContentExceptionAndLeavesNothingBehind() {
    BufferTranscoder t = transcoder();
    for (Sample s : malformedSamples()) {
      try (ZeroCopyBuffer in = input(s)) {
        try {
          ZeroCopyBuffer out = t.transcode(in, s.options, pool.forTenant(TENANT));
          out.close();
          fail(t.getClass().getName() + " accepted malformed input: " + s);
        } catch (MalformedContentException expected) {
          assertEquals(1, in.sharers(), "a failed transcode kept a reference to its input");
        } catch (RuntimeException e) {
          throw new AssertionError(
              t.getClass().getName()
                  + " threw "
                  + e.getClass().getName()
                  + " instead of MalformedContentException on "
                  + s,
              e);
        }
        assertFalse(in.isClosed());
      }
      PoolAssertions.assertNoLiveBytes(pool);
    }
  }

  @Test
  public void aRefusingAllocatorLeavesNothingBehind() {
    BufferTranscoder t = transcoder();
    for (Sample s : checkedSamples()) {
      for (long limit : new long[] {0, 4096, 64 * 1024}) {
        try (SlabBufferPool capped = SlabBufferPool.builder().hardLimit(TENANT, limit).build();
            ZeroCopyBuffer in = input(s)) {
          try {
            t.transcode(in, s.options, capped.forTenant(TENANT)).close();
          } catch (ResourceException refused) {
            // what a transcoder that needs memory says; its partial output must be released
          }
          PoolAssertions.assertNoLiveBytes(capped);
          assertEquals(1, in.sharers(), "a reference to the input was kept");
        }
      }
    }
  }

  @Test
  public void aFramingTranscoderHoldsTheInputsMemoryInsteadOfCopyingIt() {
    assumeTrue(framesWithoutCopy(), "the rule applies to framing transcoders only");
    BufferTranscoder t = transcoder();
    for (Sample s : checkedSamples()) {
      try (ZeroCopyBuffer in = input(s);
          ZeroCopyBuffer out = t.transcode(in, s.options, pool.forTenant(TENANT))) {
        assertTrue(
            in.sharers() > 1, "the output holds no reference to the input's memory: it copied");
        byte[] all = out.toByteArray();
        assertArrayEquals(
            s.content,
            Arrays.copyOfRange(all, all.length - s.content.length, all.length),
            "the output ends with the input's bytes");
      }
    }
  }
}
