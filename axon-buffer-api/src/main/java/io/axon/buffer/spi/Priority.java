package io.axon.buffer.spi;

/**
 * The priorities that decide between contributions claiming the same thing: two kinds declaring one
 * slug, media type or extension ({@link io.axon.buffer.KindDescriptor#priority()}), two transcoders
 * converting one pair of kinds ({@link BufferTranscoder#priority()}), and, among equal detection
 * scores, two sniffers. The higher priority wins; every conflict is reported in the registry's
 * {@code problems()}, never thrown.
 *
 * <p>"Ours before theirs" is this number, declared, not a guess from a package name (which any JAR
 * can claim): the library's own kinds ({@code raw} and the media module's) and transcoders declare
 * {@link #BUILT_IN}; a plugin leaves the {@link #DEFAULT}, so it adds what is new and loses every
 * conflict with a built-in. A plugin that means to replace a built-in kind or transcoder declares
 * more than {@link #BUILT_IN}; it then wins, and the registry reports that it took over from a
 * built-in ({@code RegistryProblem.Type.BUILT_IN_OVERRIDDEN}), so the takeover is never silent.
 *
 * <p>Constants only; nothing to instantiate.
 */
public final class Priority {

  /** What a contribution declares unless it says otherwise: below every built-in. */
  public static final int DEFAULT = 0;

  /** What the library's own kinds and transcoders declare. */
  public static final int BUILT_IN = 100;

  private Priority() {}
}
