package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindInspector;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.spi.BufferKindProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BufferKindProvider} must keep, ours or a third party's. Extend it in
 * your provider's tests:
 *
 * <pre>{@code
 * class DicomProviderContractTest extends KindProviderContract {
 *   protected BufferKindProvider provider() { return new DicomKindProvider(); }
 *   protected Map<BufferKind, List<byte[]>> samples() { return Map.of(DICOM, List.of(bytesOf("ct.dcm"))); }
 * }
 * }</pre>
 *
 * <p>It checks that the provider is registered as a service and can be instantiated the way {@link
 * ServiceLoader} does it; that its descriptors are valid and distinct; that every sniffer returns
 * 0..100 and never throws on empty, short, truncated or random input and never writes to its input;
 * that every inspector throws {@link MalformedContentException} (and nothing else) on garbage; and,
 * given samples, that sniffers recognise and inspectors accept them.
 *
 * <p>Get it from {@code io.axon.buffer:axon-buffer-testing} (scope {@code test}), with a JUnit
 * Jupiter engine on the test class path.
 */
public abstract class KindProviderContract {

  /** The provider under test (a new instance each call is fine). */
  protected abstract BufferKindProvider provider();

  /**
   * Valid content for the provider's kinds, keyed by kind: sniffers must recognise it (highest
   * score among the provider's sniffers) and inspectors must accept it. Default: none.
   */
  protected Map<BufferKind, List<byte[]>> samples() {
    return Map.of();
  }

  /**
   * The class loader whose {@code META-INF/services} must list the provider. Default: the provider
   * class's own loader.
   */
  protected ClassLoader serviceClassLoader() {
    return provider().getClass().getClassLoader();
  }

  /** Seeds of the random inputs; fixed so that a failure reproduces. */
  protected long[] randomSeeds() {
    return new long[] {1, 2, 3, 42, 0xA5A5, 20261126};
  }

  private List<KindDescriptor> descriptors() {
    Collection<KindDescriptor> kinds = provider().kinds();
    assertNotNull(kinds, "kinds() returned null");
    return new ArrayList<>(kinds);
  }

  @Test
  public void providerIsAPublicClassWithAPublicNoArgConstructor() throws Exception {
    Class<?> type = provider().getClass();
    assertTrue(Modifier.isPublic(type.getModifiers()), type + " must be public");
    assertFalse(Modifier.isAbstract(type.getModifiers()), type + " must not be abstract");
    Constructor<?> constructor = type.getConstructor();
    assertTrue(Modifier.isPublic(constructor.getModifiers()), type + "() must be public");
    assertNotNull(constructor.newInstance());
  }

  @Test
  public void providerIsRegisteredAsAService() {
    Class<?> type = provider().getClass();
    boolean found = false;
    for (BufferKindProvider p :
        ServiceLoader.load(BufferKindProvider.class, serviceClassLoader())) {
      found |= p.getClass() == type;
    }
    assertTrue(
        found,
        type.getName()
            + " is not listed in META-INF/services/"
            + BufferKindProvider.class.getName()
            + " (annotate it with @AutoService("
            + "BufferKindProvider.class))");
  }

  @Test
  public void descriptorsAreValidAndDistinct() {
    List<KindDescriptor> descriptors = descriptors();
    assertFalse(descriptors.isEmpty(), "the provider declares no kind");
    Set<BufferKind> kinds = new HashSet<>();
    for (KindDescriptor d : descriptors) {
      assertNotNull(d, "kinds() contains null");
      assertTrue(kinds.add(d.kind()), "kind " + d.kind() + " is declared twice");
      assertFalse(d.description().isBlank(), d.kind() + " has a blank description");
      for (String type : d.mediaTypes()) {
        assertEquals(type.toLowerCase(java.util.Locale.ROOT), type);
      }
    }
  }

  @Test
  public void sniffersNeverThrowOnEmptyShortOrRandomInput() {
    for (KindDescriptor d : descriptors()) {
      if (d.sniffer().isEmpty()) {
        continue;
      }
      KindSniffer sniffer = d.sniffer().get();
      for (byte[] input : hostileInputs()) {
        int score = sniff(d.kind(), sniffer, input);
        assertTrue(
            score >= 0 && score <= KindSniffer.CERTAIN,
            d.kind() + " sniffer returned " + score + " (outside 0..100) for " + describe(input));
      }
    }
  }

  @Test
  public void sniffersSeeAReadOnlyHeadAndLeaveItsBytesAlone() {
    for (KindDescriptor d : descriptors()) {
      if (d.sniffer().isEmpty()) {
        continue;
      }
      for (byte[] input : sampleInputs()) {
        byte[] copy = input.clone();
        sniff(d.kind(), d.sniffer().get(), input);
        assertTrue(Arrays.equals(copy, input), d.kind() + " sniffer changed its input");
      }
    }
  }

  @Test
  public void inspectorsFailWithTheTypedErrorOnGarbage() {
    for (KindDescriptor d : descriptors()) {
      if (d.inspector().isEmpty()) {
        continue;
      }
      KindInspector inspector = d.inspector().get();
      int rejected = 0;
      List<byte[]> inputs = garbageInputs();
      for (byte[] input : inputs) {
        try {
          Map<String, Object> facts = inspector.inspect(ByteBuffer.wrap(input).asReadOnlyBuffer());
          assertNotNull(facts, d.kind() + " inspector returned null for " + describe(input));
        } catch (MalformedContentException expected) {
          rejected++;
          assertNotNull(expected.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
          throw new AssertionError(
              d.kind()
                  + " inspector threw "
                  + e
                  + " instead of "
                  + "MalformedContentException for "
                  + describe(input),
              e);
        }
      }
      assertTrue(rejected > 0, d.kind() + " inspector accepted every garbage input");
    }
  }

  @Test
  public void inspectorsNeverThrowUntypedErrorsOnTruncatedSamples() {
    for (Map.Entry<BufferKind, List<byte[]>> e : samples().entrySet()) {
      KindDescriptor d = descriptorOf(e.getKey());
      if (d.inspector().isEmpty()) {
        continue;
      }
      for (byte[] sample : e.getValue()) {
        for (int cut : cuts(sample.length)) {
          byte[] prefix = Arrays.copyOf(sample, cut);
          try {
            d.inspector().get().inspect(ByteBuffer.wrap(prefix).asReadOnlyBuffer());
          } catch (MalformedContentException expected) {
            // the typed error is the only acceptable failure
          } catch (RuntimeException | StackOverflowError other) {
            throw new AssertionError(
                d.kind()
                    + " inspector threw "
                    + other
                    + " on a sample cut at "
                    + cut
                    + " of "
                    + sample.length
                    + " bytes",
                other);
          }
        }
      }
    }
  }

  @Test
  public void sniffersRecogniseTheirSamplesAndInspectorsAcceptThem() {
    List<KindDescriptor> descriptors = descriptors();
    for (Map.Entry<BufferKind, List<byte[]>> e : samples().entrySet()) {
      KindDescriptor own = descriptorOf(e.getKey());
      for (byte[] sample : e.getValue()) {
        if (own.sniffer().isPresent()) {
          int ownScore = sniff(own.kind(), own.sniffer().get(), sample);
          assertTrue(ownScore > 0, own.kind() + " sniffer does not recognise its sample");
          for (KindDescriptor other : descriptors) {
            if (!other.kind().equals(own.kind()) && other.sniffer().isPresent()) {
              int otherScore = sniff(other.kind(), other.sniffer().get(), sample);
              assertTrue(
                  otherScore < ownScore
                      || (otherScore == ownScore && own.kind().compareTo(other.kind()) < 0),
                  other.kind()
                      + " scores "
                      + otherScore
                      + " on a "
                      + own.kind()
                      + " sample, not below its own "
                      + ownScore);
            }
          }
        }
        if (own.inspector().isPresent()) {
          Map<String, Object> facts =
              own.inspector().get().inspect(ByteBuffer.wrap(sample).asReadOnlyBuffer());
          assertNotNull(facts);
          for (Map.Entry<String, Object> fact : facts.entrySet()) {
            Object v = fact.getValue();
            assertTrue(
                v instanceof String || v instanceof Number || v instanceof Boolean,
                own.kind() + " fact " + fact.getKey() + " is not a plain value: " + v);
          }
        }
      }
    }
  }

  private KindDescriptor descriptorOf(BufferKind kind) {
    for (KindDescriptor d : descriptors()) {
      if (d.kind().equals(kind)) {
        return d;
      }
    }
    throw new AssertionError(
        "samples() names kind " + kind + ", which the provider does not declare");
  }

  private static int sniff(BufferKind kind, KindSniffer sniffer, byte[] input) {
    try {
      return sniffer.sniff(ByteBuffer.wrap(input).asReadOnlyBuffer());
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(kind + " sniffer threw " + e + " for " + describe(input), e);
    }
  }

  private List<byte[]> sampleInputs() {
    List<byte[]> out = new ArrayList<>();
    samples().values().forEach(out::addAll);
    return out;
  }

  /** Empty, every length up to 64 of fixed patterns, random blocks, and every sample cut short. */
  private List<byte[]> hostileInputs() {
    List<byte[]> out = garbageInputs();
    for (byte[] sample : sampleInputs()) {
      for (int cut : cuts(sample.length)) {
        out.add(Arrays.copyOf(sample, cut));
      }
    }
    return out;
  }

  private List<byte[]> garbageInputs() {
    List<byte[]> out = new ArrayList<>();
    out.add(new byte[0]);
    for (int n = 1; n <= 64; n++) {
      byte[] zeros = new byte[n];
      byte[] ones = new byte[n];
      Arrays.fill(ones, (byte) 0xFF);
      out.add(zeros);
      out.add(ones);
    }
    for (long seed : randomSeeds()) {
      Random random = new Random(seed);
      for (int size : new int[] {1, 3, 7, 12, 16, 33, 100, 512, 4096, 16384}) {
        byte[] block = new byte[size];
        random.nextBytes(block);
        out.add(block);
      }
    }
    return out;
  }

  private static int[] cuts(int length) {
    Set<Integer> cuts = new java.util.TreeSet<>();
    for (int i = 0; i <= Math.min(length, 80); i++) {
      cuts.add(i);
    }
    for (int i = 80; i < length; i += Math.max(1, length / 64)) {
      cuts.add(i);
    }
    cuts.add(Math.max(0, length - 1));
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String describe(byte[] input) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(16, input.length); i++) {
      hex.append(String.format("%02x", input[i] & 0xFF));
    }
    return input.length + " bytes [" + hex + (input.length > 16 ? "…" : "") + "]";
  }
}
