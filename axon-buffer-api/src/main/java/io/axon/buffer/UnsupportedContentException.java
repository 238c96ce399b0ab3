package io.axon.buffer;

/**
 * Content is valid for its kind but uses a variant an operation does not handle: a WAV in IMA ADPCM
 * asked for as {@code pcm16}, a 12-bit JPEG asked for pixels. Unlike {@link
 * MalformedContentException} nothing is wrong with the bytes; the message names the variant and
 * what is supported.
 *
 * <p>A {@link ContentException}: HTTP hosts answer 415 (Unsupported Media Type), WebSocket hosts
 * close with 1003 (unsupported data). The bytes came from outside and the caller decides how to
 * report them.
 */
public class UnsupportedContentException extends ContentException {

  private static final long serialVersionUID = 1L;

  private final transient BufferKind kind;

  /**
   * Valid content of a variant this library does not handle.
   *
   * @param kind the kind the content was read as
   * @param message what variant was found and what is supported, e.g. {@code "WAV encoding
   *     ima-adpcm (tag 0x0011) cannot be decoded to pcm16; supported: pcm, float, alaw, mulaw"}
   */
  public UnsupportedContentException(BufferKind kind, String message) {
    super("unsupported " + kind + ": " + message);
    this.kind = kind;
  }

  /** {@return the kind the content was read as} */
  public BufferKind kind() {
    return kind;
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
