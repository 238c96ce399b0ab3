package io.axon.buffer.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One multipart request being received by a {@link MultipartUploadHandler}: what its head said and
 * how far its body got. Read it on the channel's event loop (where the listener is called); the
 * counters are not published to other threads.
 */
public final class Upload {

  private final Channel channel;
  private final HttpRequest request;
  private final String tenant;
  private final String boundary;
  private long bodyBytes;
  private int parts;

  Upload(Channel channel, HttpRequest request, String tenant, String boundary) {
    this.channel = channel;
    this.request = request;
    this.tenant = tenant;
    this.boundary = boundary;
  }

  /** {@return the connection the request came on} */
  public Channel channel() {
    return channel;
  }

  /**
   * The request's head (method, URI, headers), as the codec decoded it; the handler has removed
   * {@code Expect: 100-continue} once it answered it.
   *
   * @return the request's head
   */
  public HttpRequest request() {
    return request;
  }

  /** {@return the tenant billed for the parts} */
  public String tenant() {
    return tenant;
  }

  /** {@return the multipart boundary of the body} */
  public String boundary() {
    return boundary;
  }

  /** {@return the body bytes received so far} */
  public long bodyBytes() {
    return bodyBytes;
  }

  /** {@return the parts handed to the listener so far} */
  public int parts() {
    return parts;
  }

  void received(long bytes) {
    bodyBytes += bytes;
  }

  void partDelivered() {
    parts++;
  }

  @Override
  public String toString() {
    return request.method()
        + " "
        + request.uri()
        + " tenant="
        + tenant
        + " parts="
        + parts
        + " bodyBytes="
        + bodyBytes;
  }
}
