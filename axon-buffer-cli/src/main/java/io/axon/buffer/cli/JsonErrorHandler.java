package io.axon.buffer.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty itself gives (a malformed request line or chunk size, a smuggling attempt, a
 * head over {@code --max-request-header}, ...) in the same JSON shape as serve's own errors: {@code
 * {"error": "BadRequest", "status": 400, "message": ...}}. The message is Jetty's reason for a
 * client error (fixed text, never the request's bytes); a server error says only its status. No
 * stack trace, no cause, no server path ever reaches the client.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
  }

  static String body(int status, String message) {
    String reason = HttpStatus.getMessage(status);
    String type = reason == null ? "Error" : reason.replaceAll("[^A-Za-z]", "");
    String text =
        status >= 500 || message == null || message.isBlank()
            ? (reason == null ? "error " + status : reason)
            : message;
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("error", type);
    o.put("status", status);
    o.put("message", text);
    return Json.write(o) + "\n";
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    byte[] bytes = body(code, message).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
