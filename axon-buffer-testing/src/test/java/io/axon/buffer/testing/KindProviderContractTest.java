package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.spi.BufferKindProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
class KindProviderContractTest extends KindProviderContract {

  @TempDir static Path services;
  private static URLClassLoader loader;

  @BeforeAll
  static void registerAsAService() throws Exception {
    Path file = services.resolve("META-INF/services/" + BufferKindProvider.class.getName());
    Files.createDirectories(file.getParent());
    Files.writeString(file, Good.class.getName() + "\n", StandardCharsets.UTF_8);
    loader =
        new URLClassLoader(
            new URL[] {services.toUri().toURL()}, KindProviderContractTest.class.getClassLoader());
  }

  @AfterAll
  static void close() throws Exception {
    loader.close();
  }

  @Override
  protected BufferKindProvider provider() {
    return new Good();
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

  /** A provider that keeps the contract: a signature sniffer and an inspector that checks it. */
  public static final class Good implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha test content")
              .mediaTypes("application/x-alpha")
              .extensions("alpha")
              .sniffer(head -> startsWithAlpha(head) ? 100 : 0)
              .inspector(
                  content -> {
                    if (!startsWithAlpha(content)) {
                      throw new MalformedContentException(
                          BufferKind.of("alpha"), 0, "no ALPHA signature");
                    }
                    return Map.of("length", content.remaining());
                  })
              .build());
    }

    private static boolean startsWithAlpha(ByteBuffer b) {
      byte[] sig = "ALPHA".getBytes(StandardCharsets.US_ASCII);
      if (b.remaining() < sig.length) {
        return false;
      }
      for (int i = 0; i < sig.length; i++) {
        if (b.get(b.position() + i) != sig[i]) {
          return false;
        }
      }
      return true;
    }
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
