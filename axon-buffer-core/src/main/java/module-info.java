/**
 * The axon-buffer core: {@link io.axon.buffer.core.SlabBufferPool}, the ByteBuffer-backed {@link
 * io.axon.buffer.ZeroCopyBuffer} views and {@link io.axon.buffer.BufferMut} builders it hands out,
 * and {@link io.axon.buffer.core.Buffers}, the factories of unpooled and composite views.
 */
module io.axon.buffer.core {
  requires transitive io.axon.buffer.api;

  exports io.axon.buffer.core;
  // In-place writes into pooled memory (for axon-buffer's own converters) and the SWAR byte
  // searches (for its own scanners): not public API.
  exports io.axon.buffer.core.internal to
      io.axon.buffer.kinds.media,
      io.axon.buffer.ingest;
}
