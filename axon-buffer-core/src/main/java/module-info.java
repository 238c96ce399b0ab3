/**
 * The axon-buffer core: {@link io.axon.buffer.core.SlabBufferPool}, the ByteBuffer-backed {@link
 * io.axon.buffer.ZeroCopyBuffer} views and {@link io.axon.buffer.BufferMut} builders it hands out,
 * and {@link io.axon.buffer.core.Buffers}, the factories of unpooled and composite views.
 */
module io.axon.buffer.core {
  requires transitive io.axon.buffer.api;
  requires static com.google.errorprone.annotations;

  exports io.axon.buffer.core;
  // For axon-buffer's own modules only, not public API: in-place writes into pooled memory (its
  // converters), the SWAR byte searches (its scanners) and the process-wide leak hooks
  // (LeakDetection, for the testing artifact's LeakGuard).
  exports io.axon.buffer.core.internal to
      io.axon.buffer.kinds.media,
      io.axon.buffer.ingest,
      io.axon.buffer.testing;
}
