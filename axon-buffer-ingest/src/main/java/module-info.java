/**
 * Ingest: bytes from the network land in pooled memory and leave as zero-copy views. Streaming
 * multipart/form-data ({@link io.axon.buffer.ingest.MultipartParser}: each payload byte copied
 * once), WebSocket binary messages ({@link io.axon.buffer.ingest.WebSocketMessageAccumulator},
 * {@link io.axon.buffer.ingest.WebSocketFrameDecoder}, which counts the copies of each path),
 * channels and streams ({@link io.axon.buffer.ingest.PooledReader}: one copy from a channel) and
 * files ({@link io.axon.buffer.ingest.MappedFiles}: mapped, no copy).
 */
module io.axon.buffer.ingest {
  requires transitive io.axon.buffer.api;
  requires io.axon.buffer.core;

  exports io.axon.buffer.ingest;
}
