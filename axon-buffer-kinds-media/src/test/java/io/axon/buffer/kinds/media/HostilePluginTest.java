package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.spi.BufferKindProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The seeded kinds beside a hostile plugin, on the real corpus files: a kind whose slug sorts first
 * and whose sniffer scores {@value KindSniffer#CERTAIN} on everything, and which claims JPEG's
 * media type and extension at the default priority.
 */
class HostilePluginTest {

  /** The hostile provider. */
  public static final class Everything implements BufferKindProvider {
    @Override
    public Collection<KindDescriptor> kinds() {
      return List.of(
          KindDescriptor.builder("aaa-everything")
              .description("Scores 100 on every byte")
              .mediaTypes("image/jpeg")
              .extensions("jpg")
              .sniffer(head -> KindSniffer.CERTAIN)
              .build());
    }
  }

  @Test
  void everyFullSignatureOfTheCorpusStaysBuiltInAndTheClaimsStayJpegs() {
    BufferKindRegistry alone = BufferKindRegistry.empty();
    alone.register(new MediaKindProvider());
    BufferKindRegistry hostile = BufferKindRegistry.empty();
    hostile.register(new MediaKindProvider());
    hostile.register(new Everything());

    List<String> failures = new ArrayList<>();
    int certain = 0;
    for (Corpus.Row row : Corpus.all()) {
      Detection builtIn = alone.detect(ByteBuffer.wrap(row.bytes()).asReadOnlyBuffer(), null);
      Detection withPlugin = hostile.detect(ByteBuffer.wrap(row.bytes()).asReadOnlyBuffer(), null);
      if (builtIn.isCertain()) {
        certain++;
        if (!withPlugin.equals(builtIn)) {
          failures.add(row + ": " + builtIn + " alone, " + withPlugin + " beside the plugin");
        }
      } else {
        // Below a full signature the plugin's 100 wins on score, as any higher score does.
        assertEquals(BufferKind.of("aaa-everything"), withPlugin.kind(), row.toString());
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(certain >= 15, "the corpus has full signatures of most kinds: " + certain);

    assertEquals(MediaKinds.JPEG, hostile.byMediaType("image/jpeg").orElseThrow().kind());
    assertEquals(MediaKinds.JPEG, hostile.byExtension("jpg").get(0).kind());
    List<RegistryProblem.Type> types =
        hostile.problems().stream().map(RegistryProblem::type).collect(Collectors.toList());
    assertTrue(types.contains(RegistryProblem.Type.MEDIA_TYPE_CONFLICT), types.toString());
    assertTrue(types.contains(RegistryProblem.Type.EXTENSION_CONFLICT), types.toString());
  }

  @Test
  void aPluginThatOutbidsABuiltInSignatureIsReportedOnce() {
    BufferKindRegistry hostile = BufferKindRegistry.empty();
    hostile.register(new MediaKindProvider());
    hostile.register(new Everything());
    // A PDF header cut before its version digits: pdf scores a partial signature, below 100.
    byte[] partial = "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    BufferKindRegistry alone = BufferKindRegistry.empty();
    alone.register(new MediaKindProvider());
    Detection builtIn = alone.detect(ByteBuffer.wrap(partial));
    assertEquals(MediaKinds.PDF, builtIn.kind());
    assertTrue(
        builtIn.score() >= KindSniffer.SIGNATURE && builtIn.score() < KindSniffer.CERTAIN,
        builtIn.toString());
    for (int i = 0; i < 3; i++) {
      assertEquals(
          BufferKind.of("aaa-everything"),
          hostile.detect(ByteBuffer.wrap(partial).asReadOnlyBuffer()).kind());
    }
    List<RegistryProblem> taken =
        hostile.problems().stream()
            .filter(p -> p.type() == RegistryProblem.Type.BUILT_IN_OVERRIDDEN)
            .collect(Collectors.toList());
    assertEquals(1, taken.size(), taken.toString());
    assertTrue(taken.get(0).message().contains("\"pdf\""), taken.get(0).message());
  }
}
