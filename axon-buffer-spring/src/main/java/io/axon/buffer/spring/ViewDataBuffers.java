package io.axon.buffer.spring;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.netty.ByteBufViews;
import io.netty.buffer.ByteBufAllocator;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * A view as a Spring {@link DataBuffer} without a copy: a {@code NettyDataBuffer} (a {@link
 * org.springframework.core.io.buffer.PooledDataBuffer}) over {@link ByteBufViews#toByteBuf}'s
 * read-only {@code ByteBuf}, which owns one reference of the view: the last {@code release()}
 * closes it.
 *
 * <p>Why Netty's: Spring's Reactor Netty response writes a {@code NettyDataBuffer}'s {@code
 * ByteBuf} as it is (gathering the view's pieces, no copy) and lets Netty release it; any other
 * {@code DataBuffer} is copied into a heap buffer there and never released. Jetty's and the other
 * hosts release every {@code DataBuffer} they write, so one type serves them all. Internal.
 */
final class ViewDataBuffers {

  private static final NettyDataBufferFactory FACTORY =
      new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

  private ViewDataBuffers() {}

  /**
   * {@code view} (whose reference the result takes over, even if this throws) as a pooled {@code
   * DataBuffer}.
   */
  static DataBuffer wrap(ZeroCopyBuffer view) {
    return FACTORY.wrap(ByteBufViews.toByteBuf(view));
  }
}
