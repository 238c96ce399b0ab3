package io.axon.buffer.registrytest;

import io.axon.buffer.KindDescriptor;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.Priority;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Providers used by the registry tests. {@link Good} plays a built-in provider: it declares {@link
 * Priority#BUILT_IN}, which is what makes a provider "ours" (its package decides nothing). Each is
 * registered through a services file that the test writes into a temporary folder, never on the
 * shared test class path.
 */
public final class TestProviders {

  private TestProviders() {}

  /** True if {@code head} starts with the ASCII bytes of {@code magic}. */
  public static boolean startsWith(ByteBuffer head, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (head.remaining() < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (head.get(head.position() + i) != m[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Declares {@code alpha} (signature "ALPHA", certain) and {@code beta} (a weak heuristic), at
   * {@link Priority#BUILT_IN}.
   */
  public static final class Good implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha test content")
              .priority(Priority.BUILT_IN)
              .mediaTypes("application/x-alpha", "application/alpha")
              .extensions("alpha", "al")
              .sniffer(head -> startsWith(head, "ALPHA") ? 100 : 0)
              .inspector(
                  content -> {
                    if (!startsWith(content, "ALPHA")) {
                      throw new MalformedContentException(
                          io.axon.buffer.BufferKind.of("alpha"), 0, "no ALPHA signature");
                    }
                    Map<String, Object> facts = new LinkedHashMap<>();
                    facts.put("length", content.remaining());
                    return facts;
                  })
              .build(),
          KindDescriptor.builder("beta")
              .description("Beta test content")
              .priority(Priority.BUILT_IN)
              .mediaTypes("text/x-beta")
              .extensions("beta", "txt")
              .sniffer(head -> head.hasRemaining() && head.get(head.position()) == 'b' ? 30 : 0)
              .build(),
          KindDescriptor.builder("headless")
              .description("Headerless test content, declared only")
              .priority(Priority.BUILT_IN)
              .extensions("hl", "txt")
              .build());
    }
  }

  /** Its constructor throws. */
  public static final class ThrowingConstructor implements BufferKindProvider {
    public ThrowingConstructor() {
      throw new IllegalStateException("constructor of ThrowingConstructor fails on purpose");
    }

    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of();
    }
  }

  /** Its {@code kinds()} throws. */
  public static final class ThrowingKinds implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      throw new UnsupportedOperationException("kinds() of ThrowingKinds fails on purpose");
    }
  }

  /** Its {@code kinds()} throws while building an invalid descriptor. */
  public static final class InvalidDescriptor implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("gamma").description("Gamma").mediaTypes("not a type").build());
    }
  }

  /** Its {@code kinds()} returns null. */
  public static final class NullKinds implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return null;
    }
  }

  /** Declares one good kind, a null, and the same slug twice. */
  public static final class Sloppy implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      List<KindDescriptor> list = new ArrayList<>();
      list.add(KindDescriptor.builder("delta").description("Delta, first").build());
      list.add(null);
      list.add(KindDescriptor.builder("delta").description("Delta, second").build());
      return list;
    }
  }

  /** Not a provider at all: a services line naming it is a configuration error. */
  public static final class NotAProvider {}

  /** Counts sniffer calls and throws from its sniffer every time. */
  public static final class ThrowingSniffer implements BufferKindProvider {
    public static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("epsilon")
              .description("Epsilon, whose sniffer is broken")
              .sniffer(
                  head -> {
                    CALLS.incrementAndGet();
                    throw new ArrayIndexOutOfBoundsException("sniffer bug on purpose");
                  })
              .build());
    }
  }

  /** Declares {@code alpha} again, at the default priority: loses to {@link Good}'s. */
  public static final class SecondAlpha implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha according to SecondAlpha")
              .mediaTypes("application/x-alpha")
              .build());
    }
  }

  /**
   * Claims {@code alpha} at the default priority from a package under {@code io.axon.buffer.}: the
   * package gives it no precedence over a third party's claim.
   */
  public static final class ImpostorAlpha implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha from a package that looks like ours")
              .mediaTypes("application/x-alpha")
              .build());
    }
  }
}
