package io.axon.buffer.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Writes {@code serve}'s answers (JSON, or a given text type) in one write, and bounds how long a
 * client may take to read one: past {@code writeTimeout} the request is failed, which aborts the
 * write and closes the connection (HTTP/1.1) or resets the stream (HTTP/2). Jetty's idle timeout
 * already cuts a write that makes no progress at all; this bound also cuts one that trickles.
 *
 * <p>An answer with {@code close} carries {@code Connection: close}; once it is written the
 * exchange ends and Jetty closes the connection, through {@link LingeringClose} so that a client
 * still sending its body reads the answer rather than a reset.
 *
 * <p>Threading: stateless apart from its settings; safe from any thread.
 */
final class Replies {

  private final Scheduler scheduler;
  private final long writeTimeoutMillis;

  Replies(Scheduler scheduler, Duration writeTimeout) {
    this.scheduler = scheduler;
    this.writeTimeoutMillis = writeTimeout.toMillis();
  }

  /** An error object: {@code {"error": type, "message": message}}, more keys may be added. */
  static Map<String, Object> error(String type, String message) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("error", type);
    o.put("message", message);
    return o;
  }

  /** Answers {@code status} with {@code body} as JSON; {@code close} ends the connection after. */
  void json(
      Request request,
      Response response,
      Callback callback,
      int status,
      Object body,
      boolean close) {
    byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    send(request, response, callback, status, "application/json", bytes, close);
  }

  /** Answers {@code status} with {@code bytes} as {@code contentType}. */
  void send(
      Request request,
      Response response,
      Callback callback,
      int status,
      String contentType,
      byte[] bytes,
      boolean close) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if (close) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    Scheduler.Task deadline =
        scheduler.schedule(
            () ->
                request.fail(
                    new TimeoutException(
                        "response not read within "
                            + writeTimeoutMillis
                            + " ms (--write-timeout)")),
            writeTimeoutMillis,
            TimeUnit.MILLISECONDS);
    response.write(
        true,
        ByteBuffer.wrap(bytes),
        Callback.from(
            () -> {
              deadline.cancel();
              callback.succeeded();
            },
            x -> {
              deadline.cancel();
              callback.failed(x);
            }));
  }
}
