package io.axon.buffer.cli;

import io.axon.buffer.cli.stream.StreamEndpoint;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /stream} in front of {@link IngestHandler}: a WebSocket upgrade becomes a call of the
 * {@link StreamEndpoint}; a plain request to {@code /stream} gets {@code 426 Upgrade Required} (or
 * {@code 405} for another method) as a JSON error; every other path goes on to the ingest routes.
 *
 * <p>Threading: non-blocking, on Jetty's I/O threads (the upgrade is a handshake, no body).
 */
final class StreamRoute extends Handler.Wrapper {

  private final StreamEndpoint stream;
  private final Replies replies;

  StreamRoute(StreamEndpoint stream, IngestHandler ingest) {
    super(ingest);
    this.stream = stream;
    this.replies = ingest.replies();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!"/stream".equals(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    if (!request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      replies.json(
          request,
          response,
          callback,
          405,
          Replies.error("MethodNotAllowed", request.getMethod() + " /stream: use GET"),
          false);
      return true;
    }
    if (!stream.upgrade(request, response, callback)) {
      response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
      replies.json(
          request,
          response,
          callback,
          426,
          Replies.error(
              "UpgradeRequired", "GET /stream is a WebSocket endpoint: send Upgrade: websocket"),
          false);
    }
    return true;
  }
}
