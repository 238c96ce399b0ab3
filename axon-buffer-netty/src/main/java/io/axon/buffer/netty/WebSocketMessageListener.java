package io.axon.buffer.netty;

import io.axon.buffer.ZeroCopyBuffer;
import io.netty.channel.ChannelHandlerContext;

/**
 * Receives the binary messages a {@link WebSocketMessageHandler} assembles, on the channel's event
 * loop, in the order they arrived.
 */
@FunctionalInterface
public interface WebSocketMessageListener {

  /**
   * A complete binary message. The listener owns {@code message} and must close it; it runs on the
   * event loop, so work that takes time belongs on another thread (hand it {@code message}, or a
   * {@code share()} of it).
   *
   * @param ctx the handler's context (its channel, to answer on)
   * @param message the message, tagged with the configured kind, billed to the connection's tenant
   */
  void onMessage(ChannelHandlerContext ctx, ZeroCopyBuffer message);
}
