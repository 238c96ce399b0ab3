package io.axon.buffer.cli;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One call to {@code GET /stream} through the JDK's {@link WebSocket} client: sends frames one
 * after another (each waits for the previous), collects the echoed binary messages, and reports the
 * server's close frame.
 */
final class StreamClient implements WebSocket.Listener {

  /** The server's close frame. */
  record Closed(int code, String reason) {}

  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final WebSocket ws;
  private CompletableFuture<WebSocket> last;
  private int messages;

  private StreamClient(HttpClient http, URI uri, String tenant) {
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
    if (tenant != null) {
      b.header("X-Tenant", tenant);
    }
    this.ws = b.buildAsync(uri, this).join();
    this.last = CompletableFuture.completedFuture(ws);
  }

  static StreamClient open(HttpClient http, int port, String query, String tenant) {
    return new StreamClient(
        http,
        URI.create("ws://127.0.0.1:" + port + "/stream" + (query.isEmpty() ? "" : "?" + query)),
        tenant);
  }

  synchronized StreamClient binary(byte[] bytes, boolean last) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    this.last = this.last.thenCompose(w -> w.sendBinary(b, last));
    return this;
  }

  synchronized StreamClient text(String text, boolean last) {
    this.last = this.last.thenCompose(w -> w.sendText(text, last));
    return this;
  }

  /** Sends a close frame (1000) after what was queued. */
  synchronized StreamClient close() {
    this.last = this.last.thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    return this;
  }

  /** Waits for what was queued to be sent; a failed send (the server closed) is ignored. */
  void flush() {
    try {
      last.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the server may close the call while frames are still queued: its close frame tells why
    }
  }

  /** The server's close frame (or {@code 1006} if the connection dropped without one). */
  Closed awaitClose() {
    try {
      return closed.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the call within 60 s", e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  synchronized byte[] received() {
    return received.toByteArray();
  }

  synchronized int messages() {
    return messages;
  }

  void abort() {
    ws.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    synchronized (this) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      received.writeBytes(b);
      if (last) {
        messages++;
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Closed(1006, String.valueOf(error)));
  }
}
