package io.axon.buffer.kinds.media;

import io.axon.buffer.BufferKind;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.testing.KindProviderContract;
import io.axon.buffer.testing.ServiceDeclarationCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The api's reusable provider contract, with every sniffable good corpus file as a sample. */
class MediaKindProviderContractTest extends KindProviderContract {

  @Override
  protected BufferKindProvider provider() {
    return new MediaKindProvider();
  }

  @Override
  protected Map<BufferKind, List<byte[]>> samples() {
    Map<BufferKind, List<byte[]>> samples = new LinkedHashMap<>();
    for (Corpus.Row row : Corpus.all()) {
      String kind = row.suggestedKind();
      if (row.set().equals("good") && !kind.equals("pcm16") && !kind.equals("mulaw8")) {
        samples.computeIfAbsent(BufferKind.of(kind), k -> new ArrayList<>()).add(row.bytes());
      }
    }
    return samples;
  }

  /**
   * META-INF/services (AutoService) and module-info's provides list the provider and five
   * transcoders.
   */
  @Test
  void servicesMatchModuleInfo() {
    ServiceDeclarationCheck.assertConsistent(
        ServiceDeclarationCheck.classesDirOf(MediaKindProvider.class));
  }
}
