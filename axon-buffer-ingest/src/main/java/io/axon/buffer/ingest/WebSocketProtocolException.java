package io.axon.buffer.ingest;

import io.axon.buffer.IngestException;
import java.util.Objects;

/**
 * A WebSocket peer broke RFC 6455, or a message went over the limit: the connection should be
 * closed with {@link #webSocketCloseCode()} (the fault's {@link WebSocketFault#closeCode()}). By
 * the time it is thrown, every buffer of the failed message and frame has been released. Memory
 * refused is not one of these: the accumulator and the decoder throw the {@link
 * io.axon.buffer.ResourceException} they met as itself.
 */
public final class WebSocketProtocolException extends IngestException {

  private static final long serialVersionUID = 1L;

  private final WebSocketFault fault;

  WebSocketProtocolException(WebSocketFault fault, String detail) {
    super(fault.name() + " (close code " + fault.closeCode() + "): " + detail);
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** What went wrong. */
  public WebSocketFault fault() {
    return fault;
  }

  /** {@return {@code fault().closeCode()}, the close code to send} */
  @Override
  public int webSocketCloseCode() {
    return fault.closeCode();
  }

  /** {@return {@code fault().httpStatus()}: 413, 415 or 400} */
  @Override
  public int httpStatus() {
    return fault.httpStatus();
  }
}
