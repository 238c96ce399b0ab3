package io.axon.buffer;

import java.nio.ByteBuffer;

/**
 * Recognises a kind from the first bytes of some content.
 *
 * <p>{@link #sniff} returns a score: {@code 0} means "not this kind", {@value #CERTAIN} means a
 * full signature match. Scores in between are honest guesses: a partial signature or a text
 * heuristic (JSON, CSV) should stay well below {@value #CERTAIN} so that a real signature always
 * wins. The {@link BufferKindRegistry} runs every sniffer and keeps the highest score.
 *
 * <p>Contract, checked for every provider by the {@code KindProviderContract} test:
 *
 * <ul>
 *   <li>{@code head} is read-only and holds the first bytes of the content, from its position to
 *       its limit; the registry passes at least {@value BufferKindRegistry#SNIFF_HEAD_BYTES} bytes
 *       when the content is that long. The sniffer may move its position and limit (it gets its own
 *       duplicate) but must not keep a reference to it after returning.
 *   <li>A sniffer never throws, whatever the input (empty, short, garbage): it returns 0. One that
 *       throws anyway (an exception or an error other than the JVM's own, such as out of memory) is
 *       counted as 0 and reported once in {@link BufferKindRegistry#problems()}.
 *   <li>It is fast (it runs for every detection) and allocation-free where it can be: it reads, it
 *       does not copy.
 * </ul>
 *
 * <p>Headerless kinds ({@code raw}, {@code pcm16}, {@code mulaw8}) have no sniffer: their kind is
 * declared by whoever knows it, never guessed from bytes.
 */
@FunctionalInterface
public interface KindSniffer {

  /** The score of a full signature match. */
  int CERTAIN = 100;

  /**
   * Scores at or above this rest on a signature (magic bytes, a parsed header); heuristics (text
   * that looks like JSON or CSV) stay below it. A file name may choose among answers below this
   * score, never change one at or above it.
   */
  int SIGNATURE = 50;

  /**
   * Scores how likely {@code head} is the start of content of this kind.
   *
   * @param head the first bytes of the content, read-only, from position to limit
   * @return 0 (not this kind) to {@value #CERTAIN} (certain); values outside are clamped
   */
  int sniff(ByteBuffer head);
}
