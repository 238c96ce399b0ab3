package io.axon.buffer;

import java.util.Objects;

/**
 * The answer of {@link BufferKindRegistry#detect}: the kind, the sniffer's score and what the
 * answer rests on.
 *
 * @param kind the detected kind ({@link BufferKind#raw()} when nothing matched)
 * @param score the winning sniffer's score, 0 to {@value KindSniffer#CERTAIN}; 0 when the answer
 *     rests on the file name alone or on nothing
 * @param basis what the answer rests on
 */
public record Detection(BufferKind kind, int score, Basis basis) {

  /** What a {@link Detection} rests on. */
  public enum Basis {
    /** The bytes alone (a sniffer's score). */
    CONTENT,
    /** The bytes, with the file name choosing among weak (heuristic) candidates. */
    CONTENT_AND_NAME,
    /** The file name alone: a headerless kind ({@code .ul}, …) and no sniffer matched. */
    NAME,
    /** Nothing matched: {@code raw}. */
    NOTHING
  }

  /**
   * Checks the components.
   *
   * @param kind the detected kind
   * @param score the winning sniffer's score, 0 to {@value KindSniffer#CERTAIN}
   * @param basis what the answer rests on
   * @throws NullPointerException if {@code kind} or {@code basis} is null
   * @throws IllegalArgumentException if {@code score} is outside 0 to {@value KindSniffer#CERTAIN}
   */
  public Detection {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(basis, "basis");
    if (score < 0 || score > KindSniffer.CERTAIN) {
      throw new IllegalArgumentException("score must be 0..100, was " + score);
    }
  }

  /** {@return true if a full signature matched ({@link KindSniffer#CERTAIN})} */
  public boolean isCertain() {
    return score == KindSniffer.CERTAIN;
  }
}
