/**
 * axon-buffer inside Netty: views as {@code ByteBuf}s and back without a copy ({@link
 * io.axon.buffer.netty.ByteBufViews}), streaming multipart uploads ({@link
 * io.axon.buffer.netty.MultipartUploadHandler}), WebSocket binary messages ({@link
 * io.axon.buffer.netty.WebSocketMessageHandler}) and the pool's figures as Netty's allocator
 * metrics ({@link io.axon.buffer.netty.PoolAllocatorMetric}). Built against Netty 4.2 and tested
 * against 4.2 and 4.1.
 */
module io.axon.buffer.netty {
  requires transitive io.axon.buffer.api;
  requires transitive io.axon.buffer.core;
  requires transitive io.axon.buffer.ingest;
  requires transitive io.netty.buffer;
  requires transitive io.netty.common;
  requires transitive io.netty.transport;
  requires transitive io.netty.codec.http;
  requires io.netty.codec;

  exports io.axon.buffer.netty;
}
