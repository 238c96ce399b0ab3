/**
 * Kinds ({@link io.axon.buffer.BufferKind}, {@link io.axon.buffer.KindDescriptor}, {@link
 * io.axon.buffer.BufferKindRegistry}), buffers ({@link io.axon.buffer.ZeroCopyBuffer}, {@link
 * io.axon.buffer.BufferMut}) and pools ({@link io.axon.buffer.BufferPool}, {@link
 * io.axon.buffer.PoolSnapshot}). The implementations live in {@code axon-buffer-core}.
 */
package io.axon.buffer;
