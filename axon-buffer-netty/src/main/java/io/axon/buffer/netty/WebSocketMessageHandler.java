package io.axon.buffer.netty;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.WebSocketFrame;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Assembles WebSocket binary messages from the frames Netty decodes and hands them to a {@link
 * WebSocketMessageListener} as views in pooled memory, billed to the connection's tenant. It sits
 * after Netty's {@link WebSocketServerProtocolHandler} (which does the handshake, decodes and
 * unmasks frames, answers pings and close frames); it takes {@link BinaryWebSocketFrame}s and the
 * {@link ContinuationWebSocketFrame}s of binary messages and feeds them to axon-buffer's {@link
 * WebSocketMessageAccumulator} (not to axon-buffer's own frame decoder: Netty has decoded them).
 * Text frames, their continuations and control frames pass on down the pipeline untouched.
 *
 * <pre>{@code
 * ch.pipeline()
 *     .addLast(new HttpServerCodec())
 *     .addLast(new HttpObjectAggregator(65536))
 *     .addLast(new WebSocketServerProtocolHandler("/audio", null, false, 1 << 20))
 *     .addLast(new WebSocketMessageHandler(config, (ctx, message) -> { ...; message.close(); }));
 * }</pre>
 *
 * <h2>Tenant</h2>
 *
 * Resolved once per connection from the upgrade request's headers, when Netty reports the handshake
 * complete ({@link WebSocketServerProtocolHandler.HandshakeComplete}); a connection with no tenant,
 * or whose tenant the pool would refuse even one slab now ({@link SlabBufferPool#wouldAdmit}), is
 * closed with 1008 right after the handshake. Netty answers the upgrade before this handler hears
 * of it, so the refusal is a close frame, not an HTTP 429.
 *
 * <h2>Copies</h2>
 *
 * Netty's decoder copies each frame's payload out of the socket buffer into a buffer of its own (to
 * unmask it). That buffer is adopted as a view without a copy ({@link ByteBufViews#adopt}: billed
 * to the tenant as borrowed bytes, released to Netty when the view is closed), so a message of one
 * frame reaches the listener with no copy of ours. A fragmented message is assembled by the
 * accumulator: each fragment copied once into pooled memory billed to the tenant, the fragment's
 * Netty buffer released right after (see {@link WebSocketMessageAccumulator}).
 *
 * <h2>Errors</h2>
 *
 * A protocol fault the accumulator finds, a message over the limit, or memory refused (the tenant's
 * hard limit, the system) closes the connection with the exception's {@link
 * AxonBufferException#webSocketCloseCode()} and its message as the reason; the partial message is
 * released. A connection that closes mid-message releases it too.
 *
 * <p>One handler per channel (not {@link ChannelHandler.Sharable}); everything runs on the
 * channel's event loop.
 */
public final class WebSocketMessageHandler extends ChannelInboundHandlerAdapter {

  /** The most bytes of a close frame's reason (RFC 6455 §5.5: 125 bytes of payload, 2 for code). */
  private static final int MAX_REASON_BYTES = 123;

  private final WebSocketMessageConfig config;
  private final WebSocketMessageListener listener;

  private ChannelHandlerContext ctx;
  private WebSocketMessageAccumulator accumulator;
  private BufferAllocator allocator;
  private String tenant;

  /** A text message is open: its continuations pass on. */
  private boolean inText;

  /** Closing after an error: further frames are dropped. */
  private boolean closing;

  /**
   * A handler for one channel.
   *
   * @param config the settings (shared between channels)
   * @param listener receives the messages
   */
  public WebSocketMessageHandler(WebSocketMessageConfig config, WebSocketMessageListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** {@return the connection's tenant, or null before it is known} */
  public String tenant() {
    return tenant;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && accumulator == null) {
      open(((WebSocketServerProtocolHandler.HandshakeComplete) evt).requestHeaders());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame) {
      inText = !((TextWebSocketFrame) msg).isFinalFragment();
      ctx.fireChannelRead(msg);
    } else if (msg instanceof ContinuationWebSocketFrame && inText) {
      inText = !((ContinuationWebSocketFrame) msg).isFinalFragment();
      ctx.fireChannelRead(msg);
    } else if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
      binary((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  /** Removed from the pipeline (or the channel deregistered): a partial message is released. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    if (accumulator != null) {
      accumulator.close();
    }
  }

  /** Resolves the tenant and opens the accumulator; closes with 1008 if the tenant is refused. */
  private void open(HttpHeaders upgradeHeaders) {
    String t;
    try {
      t = config.tenantOf(upgradeHeaders);
      if (t == null) {
        closeWith(1008, "the upgrade request names no tenant");
        return;
      }
      SlabBufferPool.checkTenantName(t);
    } catch (RuntimeException e) {
      closeWith(1008, "invalid tenant: " + e.getMessage());
      return;
    }
    if (!config.pool().wouldAdmit(t, PoolClass.SMALL.slabBytes())) {
      closeWith(1008, "tenant \"" + t + "\" is refused memory now");
      return;
    }
    tenant = t;
    allocator = config.pool().forTenant(t);
    accumulator =
        new WebSocketMessageAccumulator(
            allocator,
            config.maxMessageBytes(),
            config.messageKind(),
            message -> listener.onMessage(this.ctx, message));
  }

  private void binary(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
    try {
      if (closing) {
        return;
      }
      if (accumulator == null) {
        open(EmptyHttpHeaders.INSTANCE);
        if (accumulator == null) {
          return;
        }
      }
      int opcode =
          frame instanceof BinaryWebSocketFrame
              ? WebSocketFrame.BINARY
              : WebSocketFrame.CONTINUATION;
      ByteBuf content = frame.content().retain();
      ZeroCopyBuffer payload;
      try {
        payload = ByteBufViews.adopt(content, allocator, config.messageKind());
      } catch (RuntimeException | Error e) {
        content.release();
        throw e;
      }
      accumulator.accept(new WebSocketFrame(frame.isFinalFragment(), frame.rsv(), opcode, payload));
    } catch (AxonBufferException e) {
      closeWith(e.webSocketCloseCode(), e.getMessage());
    } finally {
      frame.release();
    }
  }

  /** Sends a close frame with {@code code} and {@code reason} (cut to fit), then closes. */
  private void closeWith(int code, String reason) {
    closing = true;
    if (accumulator != null) {
      accumulator.close();
    }
    ctx.writeAndFlush(new CloseWebSocketFrame(code, fit(reason)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** {@code reason} cut to at most {@value #MAX_REASON_BYTES} bytes of UTF-8, whole characters. */
  static String fit(String reason) {
    String r = String.valueOf(reason);
    if (r.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
      return r;
    }
    int end = Math.min(r.length(), MAX_REASON_BYTES - 3);
    while (r.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
      end = Character.isLowSurrogate(r.charAt(end - 1)) ? end - 2 : end - 1;
    }
    return r.substring(0, end) + "...";
  }
}
