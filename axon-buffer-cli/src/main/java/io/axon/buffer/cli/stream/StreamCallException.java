package io.axon.buffer.cli.stream;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.ContentException;
import io.axon.buffer.ResourceException;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.UnsupportedContentException;
import io.axon.buffer.ingest.WebSocketFault;
import io.axon.buffer.ingest.WebSocketProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A call of {@code GET /stream} cannot go on: the {@link StreamFault} (its close code) and a detail
 * naming the value at fault. {@link #reason()} is the close frame's reason.
 */
public final class StreamCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * The longest close reason RFC 6455 allows (a control frame carries 125 bytes, 2 are the code).
   */
  static final int MAX_REASON_BYTES = 123;

  private final StreamFault fault;
  private final int closeCode;

  /**
   * A fault with its detail.
   *
   * @param fault what went wrong
   * @param detail the value at fault, in words
   */
  public StreamCallException(StreamFault fault, String detail) {
    this(fault, fault.closeCode(), detail, null);
  }

  private StreamCallException(StreamFault fault, int closeCode, String detail, Throwable cause) {
    super(fault + ": " + detail, cause);
    this.fault = Objects.requireNonNull(fault, "fault");
    this.closeCode = closeCode;
  }

  /**
   * The stream fault a library exception met while serving a call stands for, keeping the close
   * code the library's table gives it.
   *
   * @param e what the library threw
   * @return the fault to close the call with
   */
  public static StreamCallException of(AxonBufferException e) {
    StreamFault fault;
    if (e instanceof WebSocketProtocolException) {
      WebSocketFault f = ((WebSocketProtocolException) e).fault();
      fault =
          f == WebSocketFault.MESSAGE_TOO_BIG
              ? StreamFault.MESSAGE_TOO_BIG
              : StreamFault.PROTOCOL_ERROR;
    } else if (e instanceof SizeLimitExceededException) {
      fault = StreamFault.MESSAGE_TOO_BIG;
    } else if (e instanceof ResourceException) {
      fault = e.webSocketCloseCode() == 1008 ? StreamFault.TENANT_LIMIT : StreamFault.SERVER_ERROR;
    } else if (e instanceof UnsupportedContentException) {
      fault = StreamFault.UNSUPPORTED_FORMAT;
    } else if (e instanceof ContentException) {
      fault = StreamFault.MALFORMED_AUDIO;
    } else {
      fault = StreamFault.SERVER_ERROR;
    }
    return new StreamCallException(fault, e.webSocketCloseCode(), e.getMessage(), e);
  }

  /** {@return what went wrong} */
  public StreamFault fault() {
    return fault;
  }

  /** {@return the WebSocket close code to send} */
  public int closeCode() {
    return closeCode;
  }

  /**
   * The close frame's reason: the message, cut to the 123 UTF-8 bytes a close frame carries (at a
   * character boundary).
   *
   * @return the reason
   */
  public String reason() {
    return truncate(getMessage());
  }

  static String truncate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_REASON_BYTES) {
      return s;
    }
    int end = MAX_REASON_BYTES;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // not in the middle of a character
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }
}
