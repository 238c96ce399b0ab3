/**
 * Ingest: bytes from the network land in pooled memory and files are mapped; both leave as
 * zero-copy views. A multipart payload or a channel's bytes are copied once; WebSocket payloads
 * once or more ({@link io.axon.buffer.ingest.WebSocketFrameDecoder} counts the copies of each
 * path).
 *
 * <ul>
 *   <li>{@link io.axon.buffer.ingest.MultipartParser}: a streaming {@code multipart/form-data} push
 *       parser; parts arrive as {@link io.axon.buffer.ingest.Part}s through a {@link
 *       io.axon.buffer.ingest.MultipartListener}; {@link
 *       io.axon.buffer.ingest.MultipartParser#parse} reads a whole body into a {@link
 *       io.axon.buffer.ingest.MultipartBody}.
 *   <li>{@link io.axon.buffer.ingest.WebSocketMessageAccumulator}: WebSocket binary messages from
 *       frames; {@link io.axon.buffer.ingest.WebSocketFrameDecoder}: frames from wire bytes.
 *   <li>{@link io.axon.buffer.ingest.PooledReader}: a channel or stream into pooled memory, with a
 *       limit; {@link io.axon.buffer.ingest.MappedFiles}: a file mapped into a view.
 * </ul>
 *
 * Every error for bad or oversized input is an {@link io.axon.buffer.IngestException} naming its
 * fault and the offending value ({@link io.axon.buffer.ingest.MultipartException}, {@link
 * io.axon.buffer.ingest.WebSocketProtocolException}, {@link
 * io.axon.buffer.SizeLimitExceededException}); memory refused is the {@link
 * io.axon.buffer.ResourceException} the allocator threw, passed on as itself; {@link
 * java.io.IOException} means a channel, a socket or a file failed. Each is raised (or reported to a
 * listener) after every pooled buffer of the failed operation was released. The api's package
 * documentation has the table of every exception with its HTTP status and WebSocket close code.
 */
package io.axon.buffer.ingest;
