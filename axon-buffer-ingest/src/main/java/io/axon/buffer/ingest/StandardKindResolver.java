package io.axon.buffer.ingest;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link PartKindResolver#standard}: the Content-Type, then the bytes, through a registry.
 * Stateless. Internal.
 */
final class StandardKindResolver implements PartKindResolver {

  private final BufferKindRegistry registry;

  StandardKindResolver(BufferKindRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public BufferKind resolve(PartHeaders part, ByteBuffer head) {
    String filename = part.filename().orElse(null);
    KindDescriptor declared = declared(part.contentType().orElse(null));
    if (head == null) {
      if (declared != null) {
        return declared.kind();
      }
      if (filename != null) {
        List<KindDescriptor> byName = registry.byFileName(filename);
        if (!byName.isEmpty()) {
          return byName.get(0).kind();
        }
      }
      return BufferKind.raw();
    }
    Detection detection = registry.detect(head, filename);
    if (detection.score() >= KindSniffer.SIGNATURE) {
      return detection.kind();
    }
    if (declared != null) {
      Optional<KindSniffer> own = declared.sniffer();
      if (own.isPresent() && head.hasRemaining() && sniff(own.get(), head) == 0) {
        // The declared type's own sniffer rejects the bytes: believe the bytes.
        return detection.kind();
      }
      return declared.kind();
    }
    return detection.kind();
  }

  /** The kind a Content-Type names, null for none or {@code raw}. */
  private KindDescriptor declared(String contentType) {
    if (contentType == null) {
      return null;
    }
    KindDescriptor declared = registry.byMediaType(contentType).orElse(null);
    return declared != null && declared.kind().isRaw() ? null : declared;
  }

  private static int sniff(KindSniffer sniffer, ByteBuffer head) {
    try {
      return sniffer.sniff(head.duplicate());
    } catch (RuntimeException e) {
      return 0; // the registry reports misbehaving sniffers; here it simply says nothing
    }
  }

  @Override
  public String toString() {
    return "PartKindResolver.standard("
        + (registry == BufferKindRegistry.global()
            ? "the global registry"
            : "a registry of its own")
        + ")";
  }
}
