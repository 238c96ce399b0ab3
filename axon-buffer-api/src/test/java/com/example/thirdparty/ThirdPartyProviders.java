package com.example.thirdparty;

import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.BufferKindProvider;
import java.util.Collection;
import java.util.List;

/** Third-party providers (outside {@code io.axon.buffer.}) used by the conflict tests. */
public final class ThirdPartyProviders {

  private ThirdPartyProviders() {}

  /** Claims {@code alpha}, its media type and extension, at default priority: loses to ours. */
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

  /** Claims {@code alpha} at priority 5: beats ours. */
  public static final class AlphaOverride implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("alpha")
              .description("Alpha, overridden on purpose")
              .mediaTypes("application/x-alpha")
              .priority(5)
              .build());
    }
  }
}
