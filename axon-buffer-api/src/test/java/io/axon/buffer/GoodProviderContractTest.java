package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.registrytest.TestProviders;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.testing.KindProviderContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reusable contract, run against a well-behaved provider, and shown to catch bad ones. */
class GoodProviderContractTest extends KindProviderContract {

  @TempDir static Path services;
  private static java.net.URLClassLoader loader;

  @BeforeAll
  static void registerAsAService() throws Exception {
    loader = BufferKindRegistryTest.servicesLoader(services, TestProviders.Good.class.getName());
  }

  @AfterAll
  static void close() throws Exception {
    loader.close();
  }

  @Override
  protected BufferKindProvider provider() {
    return new TestProviders.Good();
  }

  @Override
  protected ClassLoader serviceClassLoader() {
    return loader;
  }

  @Override
  protected Map<BufferKind, List<byte[]>> samples() {
    return Map.of(
        BufferKind.of("alpha"), List.of("ALPHA content".getBytes(StandardCharsets.US_ASCII)));
  }

  /** A provider whose sniffer reads past the end of short input, as careless sniffers do. */
  public static final class CarelessSniffer implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("careless")
              .description("c")
              .sniffer(head -> head.get(head.position() + 3) == 'x' ? 100 : 0)
              .build());
    }
  }

  /** A provider whose inspector throws an untyped exception on garbage. */
  public static final class CarelessInspector implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("careless2")
              .description("c")
              .inspector(
                  content -> {
                    byte[] header = new byte[8];
                    content.get(header);
                    return Map.of("first", header[0]);
                  })
              .build());
    }
  }

  @Nested
  class TheContractCatches {
    @Test
    void aSnifferThatThrowsOnShortInput() {
      KindProviderContract contract =
          new KindProviderContract() {
            @Override
            protected BufferKindProvider provider() {
              return new CarelessSniffer();
            }
          };
      AssertionError e =
          assertThrows(AssertionError.class, contract::sniffersNeverThrowOnEmptyShortOrRandomInput);
      assertTrue(e.getMessage().contains("careless sniffer threw"), e.getMessage());
    }

    @Test
    void anInspectorThatThrowsUntypedErrors() {
      KindProviderContract contract =
          new KindProviderContract() {
            @Override
            protected BufferKindProvider provider() {
              return new CarelessInspector();
            }
          };
      AssertionError e =
          assertThrows(AssertionError.class, contract::inspectorsFailWithTheTypedErrorOnGarbage);
      assertTrue(e.getMessage().contains("instead of MalformedContentException"), e.getMessage());
    }

    @Test
    void aProviderNotRegisteredAsAService() {
      KindProviderContract contract =
          new KindProviderContract() {
            @Override
            protected BufferKindProvider provider() {
              return new CarelessSniffer();
            }
          };
      AssertionError e =
          assertThrows(AssertionError.class, contract::providerIsRegisteredAsAService);
      assertTrue(e.getMessage().contains("@AutoService"), e.getMessage());
    }
  }
}
