package io.axon.buffer.netty;

import io.axon.buffer.AxonBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The short plain-text answers the handler sends on its own: refusals and failures. */
final class HttpAnswers {

  /** The longest message quoted in an answer (messages quote input, which may be long). */
  private static final int MAX_MESSAGE_CHARS = 1000;

  private HttpAnswers() {}

  /** The status for {@code cause}: its own for the library's faults, else 500. */
  static int statusOf(Throwable cause) {
    return cause instanceof AxonBufferException ? ((AxonBufferException) cause).httpStatus() : 500;
  }

  /**
   * {@code status} with a one-line text body naming the fault, {@code Connection: close} and its
   * length: {@code "413 Request Entity Too Large: SizeLimitExceededException: ..."}.
   */
  static FullHttpResponse error(ByteBufAllocator alloc, int status, String fault, String message) {
    HttpResponseStatus s = HttpResponseStatus.valueOf(status);
    String text = s + ": " + fault + ": " + printable(message) + "\n";
    ByteBuf body = alloc.buffer(text.length());
    body.writeCharSequence(text, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, body);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return r;
  }

  /** The answer for {@code cause}: its status, its class and its message. */
  static FullHttpResponse error(ByteBufAllocator alloc, Throwable cause) {
    return error(
        alloc,
        statusOf(cause),
        cause.getClass().getSimpleName(),
        String.valueOf(cause.getMessage()));
  }

  /** {@code s} with control characters replaced and cut to a bounded length. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_MESSAGE_CHARS));
    for (int i = 0; i < s.length() && i < MAX_MESSAGE_CHARS; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (s.length() > MAX_MESSAGE_CHARS) {
      b.append("...");
    }
    return b.toString();
  }
}
