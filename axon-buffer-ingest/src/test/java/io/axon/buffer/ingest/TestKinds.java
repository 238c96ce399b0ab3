package io.axon.buffer.ingest;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;

/** A registry with two made-up kinds, so that kind tests do not depend on the media module. */
final class TestKinds {

  private TestKinds() {}

  static BufferKindRegistry registry() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(
        KindDescriptor.builder("testimg")
            .description("A test image: starts with TIMG")
            .mediaTypes("image/x-testimg")
            .extensions("timg")
            .sniffer(
                head ->
                    head.remaining() >= 4
                            && head.get(head.position()) == 'T'
                            && head.get(head.position() + 1) == 'I'
                            && head.get(head.position() + 2) == 'M'
                            && head.get(head.position() + 3) == 'G'
                        ? KindSniffer.CERTAIN
                        : 0)
            .build());
    r.register(
        KindDescriptor.builder("headerless")
            .description("A test kind with no signature")
            .mediaTypes("text/x-headerless")
            .extensions("hdl")
            .build());
    return r;
  }
}
