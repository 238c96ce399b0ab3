package io.axon.buffer.spi;

import io.axon.buffer.KindDescriptor;
import java.util.Collection;

/**
 * Contributes kinds to the {@link io.axon.buffer.BufferKindRegistry}. This is how a JAR adds a
 * kind: implement this interface with a public no-argument constructor, annotate the class with
 * {@code @AutoService(BufferKindProvider.class)} (which writes {@code META-INF/services} for the
 * class path) and declare {@code provides io.axon.buffer.spi.BufferKindProvider with ...} in {@code
 * module-info.java} (for the module path).
 *
 * <p>The registry calls {@link #kinds()} once per provider class. A provider that fails (its
 * constructor or {@code kinds()} throws, or a descriptor is invalid) is skipped and reported in
 * {@link io.axon.buffer.BufferKindRegistry#problems()}; the other providers still load.
 *
 * <p>A plugin needs {@code axon-buffer-api} and nothing else. Run the reusable {@code
 * KindProviderContract} (in axon-buffer-testing) against your provider.
 */
public interface BufferKindProvider {

  /**
   * The kinds this provider declares. Called once; may build the descriptors eagerly.
   *
   * @return the descriptors of the kinds declared
   */
  Collection<KindDescriptor> kinds();
}
