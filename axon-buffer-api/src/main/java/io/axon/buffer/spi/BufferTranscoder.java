package io.axon.buffer.spi;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.ZeroCopyBuffer;

/**
 * Converts content of one kind to another ({@code mulaw8 → pcm16}, {@code pcm16 → wav}, …).
 * Discovered through {@link java.util.ServiceLoader} like {@link BufferKindProvider}: a public
 * no-argument constructor, {@code @AutoService(BufferTranscoder.class)}, and {@code provides} in
 * {@code module-info.java}. The {@code Transcoders} facade chains them.
 *
 * <p>Ownership: the input is borrowed (the transcoder neither closes it nor keeps it past the call,
 * except through views it returns); the result is a new view the caller must close. A transcoder
 * that only reinterprets or frames the bytes should not copy them: it returns a slice, a retagged
 * view, or a composite view (header + original bytes), each holding its own reference. New memory
 * comes from {@code allocator}, so the caller decides which tenant pays.
 *
 * <p>A transcoder whose {@link #from()} equals its {@link #to()} is a <em>rate step</em>: it
 * converts content of its kind from the sample rate {@link TranscodeOptions#rate()} (or the one the
 * content's header gives) to {@link TranscodeOptions#targetRate()}, and returns a new view of the
 * input when the two are equal. {@code Transcoders} puts one in a chain only when the options ask
 * for a target rate.
 *
 * <p>Bad input throws {@link io.axon.buffer.MalformedContentException}; missing or invalid options
 * throw {@link IllegalArgumentException} naming the option. On failure every buffer the transcoder
 * acquired is released.
 *
 * <h2>A kind nobody declared</h2>
 *
 * {@link #from()} and {@link #to()} may name any slug ({@link BufferKind#of} accepts one no
 * provider declared), and {@code Transcoders} chains such a transcoder all the same: it works on
 * slugs. But a kind is only detected, listed ({@code axon-buffer kinds}), found by media type or
 * extension, and accepted by {@code axon-buffer transcode --from/--to} once a {@link
 * BufferKindProvider} declares it. So a plugin that brings a new kind ships both in one JAR: the
 * transcoder, and a provider whose {@link io.axon.buffer.KindDescriptor} declares the kind (slug
 * and description at least; media types, extensions and a sniffer if the kind should be
 * recognised), each registered as its own service ({@code @AutoService(BufferTranscoder.class)},
 * {@code @AutoService(BufferKindProvider.class)}, and two {@code provides} lines). {@code
 * axon-buffer transcoders} lists the loaded transcoders and marks the kinds nobody declared.
 */
public interface BufferTranscoder {

  /**
   * The kind this transcoder reads.
   *
   * @return the source kind
   */
  BufferKind from();

  /**
   * The kind this transcoder produces.
   *
   * @return the target kind
   */
  BufferKind to();

  /**
   * Decides between two transcoders for one pair of kinds: the higher wins, the conflict is
   * reported. A plugin keeps the default ({@link Priority#DEFAULT}), below the library's own
   * transcoders ({@link Priority#BUILT_IN}); it declares more than {@link Priority#BUILT_IN} only
   * to replace a built-in one on purpose (which is reported too).
   *
   * @return the priority; called once, when the transcoder is added
   */
  default int priority() {
    return Priority.DEFAULT;
  }

  /**
   * Converts {@code input} (of kind {@link #from()}) to a new view of kind {@link #to()}.
   *
   * @param input borrowed, not closed
   * @param options rate, channels, … where the content does not carry them
   * @param allocator where new memory comes from
   * @return a new view the caller owns
   */
  ZeroCopyBuffer transcode(
      ZeroCopyBuffer input, TranscodeOptions options, BufferAllocator allocator);
}
