package io.axon.buffer;

import io.axon.buffer.spi.BufferTranscoder;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BufferTranscoder} as {@link Transcoders} holds it: what it declared when it was added
 * (its kinds and priority are read once, then kept) and where its class came from.
 *
 * @param transcoder the transcoder
 * @param from the kind it reads
 * @param to the kind it produces
 * @param priority its declared priority
 * @param origin where its class came from (a JAR path or module name), when known; may be null
 */
public record TranscoderRegistration(
    BufferTranscoder transcoder, BufferKind from, BufferKind to, int priority, String origin) {

  /**
   * Checks the components.
   *
   * @param transcoder the transcoder
   * @param from the kind it reads
   * @param to the kind it produces
   * @param priority its declared priority
   * @param origin where its class came from, or null
   */
  public TranscoderRegistration {
    Objects.requireNonNull(transcoder, "transcoder");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /**
   * The transcoder's class name.
   *
   * @return the class name
   */
  public String className() {
    return transcoder.getClass().getName();
  }

  /**
   * Where the transcoder's class came from, when known.
   *
   * @return the origin, or empty
   */
  public Optional<String> originIfKnown() {
    return Optional.ofNullable(origin);
  }
}
