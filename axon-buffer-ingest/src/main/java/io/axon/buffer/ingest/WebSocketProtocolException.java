package io.axon.buffer.ingest;

import java.util.Objects;

/**
 * A WebSocket peer broke RFC 6455, or a message went over the limit: the connection should be
 * closed with {@link #closeCode()}. By the time it is thrown, every buffer of the failed message
 * and frame has been released.
 */
public final class WebSocketProtocolException extends IngestException {

  private static final long serialVersionUID = 1L;

  private final WebSocketFault fault;

  WebSocketProtocolException(WebSocketFault fault, String detail) {
    this(fault, detail, null);
  }

  WebSocketProtocolException(WebSocketFault fault, String detail, Throwable cause) {
    super(fault.name() + " (close code " + fault.closeCode() + "): " + detail, cause);
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** What went wrong. */
  public WebSocketFault fault() {
    return fault;
  }

  /** The close code to send: {@code fault().closeCode()}. */
  public int closeCode() {
    return fault.closeCode();
  }
}
