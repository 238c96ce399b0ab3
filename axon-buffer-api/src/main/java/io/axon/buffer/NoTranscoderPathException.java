package io.axon.buffer;

import java.util.Objects;

/**
 * No chain of {@link io.axon.buffer.spi.BufferTranscoder}s leads from one kind to another: {@link
 * Transcoders#transcode} was asked for a conversion nobody on the class path (or module path)
 * provides. The message names both kinds and the conversions that are known.
 *
 * <p>Unchecked: the request, not the content, is at fault; callers that take the target kind from
 * users (a {@code --to} option) catch it and report it as a usage error.
 */
public class NoTranscoderPathException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient BufferKind from;
  private final transient BufferKind to;

  /**
   * No chain of transcoders leads from {@code from} to {@code to}.
   *
   * @param from the kind of the content
   * @param to the kind asked for
   * @param known a description of the conversions that are known, for the message
   */
  public NoTranscoderPathException(BufferKind from, BufferKind to, String known) {
    super(
        "no transcoder chain from "
            + Objects.requireNonNull(from, "from")
            + " to "
            + Objects.requireNonNull(to, "to")
            + "; known conversions: "
            + known);
    this.from = from;
    this.to = to;
  }

  /** {@return the kind of the content} */
  public BufferKind from() {
    return from;
  }

  /** {@return the kind asked for} */
  public BufferKind to() {
    return to;
  }
}
