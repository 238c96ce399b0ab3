package io.axon.buffer;

import java.util.Objects;
import java.util.Optional;

/**
 * Something the {@link BufferKindRegistry} (or {@link Transcoders}) skipped or resolved on its own:
 * a provider that failed to load, an invalid descriptor, two providers declaring the same slug, a
 * sniffer that threw, two transcoders for one pair of kinds. Never fatal: the registry keeps
 * working with everything else.
 *
 * @param type what kind of problem
 * @param source who caused it: a provider class name, a {@code META-INF/services} entry, or a kind
 *     slug
 * @param message what happened and what the registry did about it
 * @param cause the exception, if one was thrown
 */
public record RegistryProblem(Type type, String source, String message, Throwable cause) {

  /** The kinds of problems. */
  public enum Type {
    /** A provider could not be found, instantiated, or its {@code kinds()} threw. Skipped. */
    PROVIDER_FAILED,
    /** A provider returned an invalid or duplicate descriptor. That descriptor is skipped. */
    INVALID_DESCRIPTOR,
    /** A second provider class with the same name as one already loaded. Skipped. */
    DUPLICATE_PROVIDER,
    /** Two contributors declare the same slug; the winner is named in the message. */
    SLUG_CONFLICT,
    /** Two kinds claim the same media type; the winner is named in the message. */
    MEDIA_TYPE_CONFLICT,
    /** Two kinds claim the same extension; the ranking is given in the message. */
    EXTENSION_CONFLICT,
    /** A sniffer threw; it counts as 0. Reported once per kind. */
    SNIFFER_FAILED,
    /**
     * Two transcoders convert between the same pair of kinds ({@link Transcoders}); the winner is
     * named in the message.
     */
    TRANSCODER_CONFLICT,
    /**
     * A contribution took something from a built-in one (declared at exactly {@link
     * io.axon.buffer.spi.Priority#BUILT_IN}): a slug, media type or extension, or a pair of kinds
     * for a transcoder, by a higher priority (or, at the same priority, by its class name);
     * reported instead of the plain conflict type, naming both. Also reported, once per pair, when
     * a sniffer of another priority wins content on which a built-in kind's sniffer scored a
     * signature ({@link KindSniffer#SIGNATURE} or more): a plugin whose sniffer scores on
     * everything shows up here.
     */
    BUILT_IN_OVERRIDDEN
  }

  /**
   * Checks the components.
   *
   * @param type what kind of problem
   * @param source who caused it
   * @param message what happened and what the registry did about it
   * @param cause the exception, or null if none was thrown
   * @throws NullPointerException if {@code type}, {@code source} or {@code message} is null
   */
  public RegistryProblem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** {@return the exception, or empty if none was thrown} */
  public Optional<Throwable> exception() {
    return Optional.ofNullable(cause);
  }

  @Override
  public String toString() {
    return type + " " + source + ": " + message + (cause != null ? " (" + cause + ")" : "");
  }
}
