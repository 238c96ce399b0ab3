package io.axon.buffer;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KindDescriptor} as the {@link BufferKindRegistry} holds it: with the provider that
 * declared it and where that provider was loaded from.
 *
 * @param descriptor the winning descriptor for its slug
 * @param provider the provider's class name; {@value BufferKindRegistry#BUILT_IN} for {@code raw};
 *     {@value BufferKindRegistry#REGISTERED} for a descriptor added with {@link
 *     BufferKindRegistry#register(KindDescriptor)}
 * @param origin where the provider's class came from (a JAR path or module name), when known
 */
public record KindRegistration(KindDescriptor descriptor, String provider, String origin) {

  /**
   * Checks the components.
   *
   * @param descriptor the winning descriptor for its slug
   * @param provider the provider's class name (or a built-in marker)
   * @param origin where the provider's class came from, or null when unknown
   * @throws NullPointerException if {@code descriptor} or {@code provider} is null
   */
  public KindRegistration {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(provider, "provider");
  }

  /** {@return the kind registered} */
  public BufferKind kind() {
    return descriptor.kind();
  }

  /** {@return where the provider's class came from, or empty when unknown} */
  public Optional<String> originIfKnown() {
    return Optional.ofNullable(origin);
  }
}
