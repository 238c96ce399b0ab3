package io.axon.buffer;

import java.util.Objects;

/**
 * No chain of {@link io.axon.buffer.spi.BufferTranscoder}s leads from one kind to another: {@link
 * Transcoders#transcode} was asked for a conversion nobody on the class path (or module path)
 * provides. The message names both kinds and the conversions that are known.
 *
 * <p>A {@link ContentException} that says "cannot handle this kind" rather than "these bytes are
 * wrong": HTTP hosts answer 415 (Unsupported Media Type), WebSocket hosts close with 1003
 * (unsupported data). Callers that take the target kind from users (a {@code --to} option) catch it
 * and report it as a usage error.
 */
public class NoTranscoderPathException extends ContentException {

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

  /** {@return 415, Unsupported Media Type} */
  @Override
  public int httpStatus() {
    return 415;
  }

  /** {@return 1003, unsupported data} */
  @Override
  public int webSocketCloseCode() {
    return 1003;
  }
}
