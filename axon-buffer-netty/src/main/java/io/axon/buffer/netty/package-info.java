/**
 * Netty bridges for axon-buffer: pooled, tenant-billed bytes inside a Netty pipeline.
 *
 * <ul>
 *   <li>{@link io.axon.buffer.netty.ByteBufViews}: a view as a read-only {@code ByteBuf} that owns
 *       it (no copy; a composite view is written with one gathering write), and a {@code ByteBuf}'s
 *       bytes as a view (one copy, billed to a tenant).
 *   <li>{@link io.axon.buffer.netty.MultipartUploadHandler}: {@code multipart/form-data} bodies
 *       streamed through the library's parser after {@code HttpServerCodec}, refused before the
 *       body when the tenant cannot pay, read no faster than the parts' consumer.
 *   <li>{@link io.axon.buffer.netty.WebSocketMessageHandler}: binary messages assembled from
 *       Netty's frames into pooled views.
 *   <li>{@link io.axon.buffer.netty.PoolAllocatorMetric}: the pool's figures as Netty's {@code
 *       ByteBufAllocatorMetric}.
 * </ul>
 *
 * <p>Netty versions: compiled against 4.2 (the line Reactor Netty 1.3 and Spring Boot 4 ship),
 * using only API that 4.1 has too; the module's tests run against both 4.2.18.Final and
 * 4.1.140.Final.
 */
package io.axon.buffer.netty;
