package io.axon.buffer.ingest;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import java.nio.ByteBuffer;

/**
 * Decides the {@link BufferKind} of each multipart part from its headers and, when it asks for
 * them, the first bytes of its content. Set with {@link MultipartOptions.Builder#kindResolver}; the
 * default is {@link #standard} over the options' registry.
 *
 * <h2>When it is called</h2>
 *
 * Once per part, on the thread that feeds the parser: {@link #sniffs} as soon as the part's headers
 * are read; then {@link #resolve}, with the head when {@code sniffs} said yes, right before {@link
 * MultipartListener#onPartStart}. The parser never sniffs an encoded part (base64,
 * quoted-printable: the payload is not the content) nor any part when {@link
 * MultipartOptions#sniffBytes()} is 0; {@code resolve} then gets no head and {@code sniffs} is not
 * asked.
 *
 * <h2>Cost</h2>
 *
 * A part whose head is sniffed starts only once {@link MultipartOptions#sniffBytes()} bytes of it
 * (or all of it, if shorter) have arrived, and a head that straddles chunks decides the size of the
 * part's first slab (see {@link MultipartOptions.Builder#sniffBytes}). Say no in {@link #sniffs}
 * for the parts whose kind the headers settle.
 *
 * <p>A resolver must not throw: an exception it throws aborts the parse as a listener's would (the
 * parser releases what it holds and the exception propagates out of {@code feed}). Implementations
 * must be safe to use from several parsers on several threads at once.
 */
@FunctionalInterface
public interface PartKindResolver {

  /**
   * Whether the part's first bytes should be read before its kind is decided. The default says no
   * to a plain form value (no file name, no Content-Type: RFC 7578 §4.4 makes it {@code
   * text/plain}, and sniffing every small field would cost more than parsing it), yes otherwise.
   *
   * @param part the part's headers
   * @return true to get the head in {@link #resolve}
   */
  default boolean sniffs(PartHeaders part) {
    return part.isFile() || part.contentType().isPresent();
  }

  /**
   * The part's kind.
   *
   * @param part the part's headers
   * @param head the first {@link MultipartOptions#sniffBytes()} bytes of the content (fewer if the
   *     part is shorter), read-only, position 0; valid only during this call (it may lie in the
   *     caller's chunk). Null when the part is not sniffed (see {@link #sniffs}).
   * @return the kind; {@link BufferKind#raw()} when nothing is known
   */
  BufferKind resolve(PartHeaders part, ByteBuffer head);

  /**
   * The parser's default: the Content-Type, refined by the bytes, through {@code registry}.
   *
   * <ul>
   *   <li>Not sniffed: the kind the Content-Type names ({@link BufferKindRegistry#byMediaType},
   *       parameters ignored), else the first kind of the file name's extension, else {@code raw}.
   *   <li>Sniffed: a full signature ({@link io.axon.buffer.KindSniffer#SIGNATURE} or more) in the
   *       head wins; else the declared type, unless its own sniffer scores the head 0 (then what
   *       the head and the file name say, as {@link BufferKindRegistry#detect} gives it); with no
   *       declared type, {@code detect}'s answer.
   * </ul>
   *
   * A Content-Type naming {@code raw} (such as {@code application/octet-stream}) counts as none.
   *
   * @param registry the kinds, media types and sniffers to use
   * @return a stateless resolver over {@code registry}
   */
  static PartKindResolver standard(BufferKindRegistry registry) {
    return new StandardKindResolver(registry);
  }
}
