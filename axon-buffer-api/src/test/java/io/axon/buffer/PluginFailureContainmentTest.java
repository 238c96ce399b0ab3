package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A plugin that fails inside its sniffer or inspector, whatever it throws, is contained: found by
 * the reliability work, where a sniffer throwing a plain {@link Error} (or a {@link
 * ServiceConfigurationError} from a plugin's own service lookup) escaped the registry and took
 * every upload of {@code axon-buffer serve} down with it. Only the JVM's own failures pass.
 */
class PluginFailureContainmentTest {

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static BufferKindRegistry registryWithSniffer(KindSniffer sniffer) {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(
        KindDescriptor.builder("good")
            .description("g")
            .sniffer(h -> h.remaining() > 0 && h.get(h.position()) == 'G' ? 100 : 0)
            .build());
    r.register(KindDescriptor.builder("faulty").description("f").sniffer(sniffer).build());
    return r;
  }

  private static List<RegistryProblem> snifferFailures(BufferKindRegistry r) {
    return r.problems().stream()
        .filter(p -> p.type() == RegistryProblem.Type.SNIFFER_FAILED)
        .collect(Collectors.toList());
  }

  @Test
  void aSnifferThrowingAnyErrorCountsAsZeroAndIsReported() {
    List<Error> errors =
        List.of(
            new Error("plugin bug"),
            new ServiceConfigurationError("plugin's own ServiceLoader failed"),
            new StackOverflowError(),
            new ExceptionInInitializerError("static init"));
    for (Error error : errors) {
      BufferKindRegistry r =
          registryWithSniffer(
              h -> {
                throw error;
              });
      for (int i = 0; i < 3; i++) {
        Detection d = r.detect(ascii("GOOD"));
        assertEquals(BufferKind.of("good"), d.kind(), error.toString());
      }
      List<RegistryProblem> failed = snifferFailures(r);
      assertEquals(1, failed.size(), failed.toString());
      assertSame(error, failed.get(0).exception().orElseThrow());
      assertTrue(failed.get(0).message().contains("faulty"), failed.get(0).message());
    }
  }

  @Test
  void theJvmsOwnFailuresAreNotSwallowed() {
    OutOfMemoryError oom = new OutOfMemoryError("real trouble");
    BufferKindRegistry r =
        registryWithSniffer(
            h -> {
              throw oom;
            });
    assertSame(oom, assertThrows(OutOfMemoryError.class, () -> r.detect(ascii("GOOD"))));
  }

  @Test
  void anInspectorThrowingAnErrorIsReportedAsMalformedContentNamingItsProvider() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(
        KindDescriptor.builder("faulty")
            .description("f")
            .inspector(
                c -> {
                  throw new Error("inspector bug");
                })
            .build());
    MalformedContentException e =
        assertThrows(
            MalformedContentException.class, () -> r.inspect(BufferKind.of("faulty"), ascii("x")));
    assertTrue(e.getMessage().contains("inspector bug"), e.getMessage());
    assertTrue(e.getCause() instanceof Error);
  }
}
