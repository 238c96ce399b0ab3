package io.axon.buffer;

/**
 * Content is not what it claims to be, or cannot be had as what was asked for: the bytes are
 * malformed for their kind ({@link MalformedContentException}), use a variant an operation does not
 * handle ({@link UnsupportedContentException}), or no transcoder chain leads to the kind asked for
 * ({@link NoTranscoderPathException}). Every subtype carries the kind(s) it concerns.
 *
 * <p>By default an HTTP host answers 400 (Bad Request) and a WebSocket host closes with 1007
 * (inconsistent data); subtypes that mean "cannot handle this kind" rather than "these bytes are
 * wrong" answer 415 and 1003 (see the table in the package documentation).
 */
public abstract class ContentException extends AxonBufferException {

  private static final long serialVersionUID = 1L;

  /**
   * A content fault with its description.
   *
   * @param message what is wrong, naming the kind and the values involved
   */
  protected ContentException(String message) {
    super(message);
  }

  /**
   * A content fault with its description and the failure that revealed it.
   *
   * @param message what is wrong, naming the kind and the values involved
   * @param cause the underlying failure, or null
   */
  protected ContentException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@return 400, Bad Request, unless a subtype says otherwise} */
  @Override
  public int httpStatus() {
    return 400;
  }

  /** {@return 1007, inconsistent data, unless a subtype says otherwise} */
  @Override
  public int webSocketCloseCode() {
    return 1007;
  }
}
