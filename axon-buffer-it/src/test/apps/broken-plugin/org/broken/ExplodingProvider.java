package org.broken;

import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.BufferKindProvider;
import java.util.Collection;
import java.util.List;

/** A provider whose constructor throws, as a plugin with a bad configuration might. */
public final class ExplodingProvider implements BufferKindProvider {

  public ExplodingProvider() {
    throw new IllegalStateException("boom on purpose: the broken plugin's constructor");
  }

  @Override
  public Collection<KindDescriptor> kinds() {
    return List.of(KindDescriptor.builder("broken").description("never registered").build());
  }
}
