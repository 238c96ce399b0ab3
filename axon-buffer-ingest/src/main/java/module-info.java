/**
 * Ingest: bytes from the network or the disk land once in pooled memory and leave as zero-copy
 * views. Streaming multipart/form-data ({@link io.axon.buffer.ingest.MultipartParser}), WebSocket
 * binary messages ({@link io.axon.buffer.ingest.WebSocketMessageAccumulator}, {@link
 * io.axon.buffer.ingest.WebSocketFrameDecoder}), channels and streams ({@link
 * io.axon.buffer.ingest.PooledReader}) and files ({@link io.axon.buffer.ingest.MappedFiles}).
 */
module io.axon.buffer.ingest {
  requires transitive io.axon.buffer.api;
  requires io.axon.buffer.core;
  // PartInfo.mediaType() returns Guava's MediaType.
  requires transitive com.google.common;

  exports io.axon.buffer.ingest;
}
