package com.example.thirdparty;

import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.Priority;
import java.util.Collection;
import java.util.List;

/** Third-party providers (at the default priority unless said) used by the conflict tests. */
public final class ThirdPartyProviders {

  private ThirdPartyProviders() {}

  /**
   * Claims {@code alpha}, its media type and extension, at the default priority: loses to a
   * built-in.
   */
  public static final class AlphaClone implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha according to a third party")
              .mediaTypes("application/x-alpha")
              .extensions("alpha")
              .sniffer(head -> 100)
              .build(),
          KindDescriptor.builder("alfa")
              .description("Another kind that claims alpha's media type and extension")
              .mediaTypes("application/x-alpha")
              .extensions("alpha")
              .build());
    }
  }

  /** Claims {@code alpha} above {@link Priority#BUILT_IN}: replaces the built-in on purpose. */
  public static final class AlphaOverride implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha, overridden on purpose")
              .mediaTypes("application/x-alpha")
              .priority(Priority.BUILT_IN + 1)
              .build());
    }
  }

  /**
   * A hostile (or careless) plugin: kind {@code aardvark}, whose slug sorts before every other,
   * with a sniffer that scores {@value io.axon.buffer.KindSniffer#CERTAIN} on everything, at the
   * default priority.
   */
  public static final class ScoresOnEverything implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("aardvark")
              .description("Claims every byte it is shown")
              .sniffer(head -> 100)
              .build());
    }
  }

  /**
   * Takes built-in {@code alpha}'s media type and extension by declaring more than {@link
   * Priority#BUILT_IN}.
   */
  public static final class AlphaSquatter implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("squat")
              .description("Wants alpha's files")
              .mediaTypes("application/x-alpha")
              .extensions("al")
              .priority(Priority.BUILT_IN + 1)
              .build());
    }
  }
}
