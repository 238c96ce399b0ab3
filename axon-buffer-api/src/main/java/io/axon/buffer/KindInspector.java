package io.axon.buffer;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Reads facts out of content of one kind: a JPEG's width, height and coding process, a WAV's rate,
 * channels and duration.
 *
 * <p>{@link #inspect} returns an ordered map of plain values ({@link String}, {@link Long} or
 * {@link Integer}, {@link Double}, {@link Boolean}), keys in camelCase, in the order a reader would
 * list them. Keys are stable: tools and scripts print them.
 *
 * <p>On bytes that are not valid content of its kind (empty, truncated in any segment, wrong
 * lengths, garbage) it throws {@link MalformedContentException} naming the fault and the offset;
 * never an {@link IndexOutOfBoundsException} or other unchecked surprise, never an endless loop,
 * never an allocation sized by a length field it has not checked against the bytes present.
 *
 * <p>The content buffer is read-only, from position to limit; the inspector may move its position
 * (it gets its own duplicate) and must not keep a reference to it after returning.
 */
@FunctionalInterface
public interface KindInspector {

  /**
   * Reads the facts of {@code content}.
   *
   * @param content the whole content, read-only, from position to limit
   * @return the facts, in a stable order; never null
   * @throws MalformedContentException if the bytes are not valid content of this kind
   */
  Map<String, Object> inspect(ByteBuffer content);
}
