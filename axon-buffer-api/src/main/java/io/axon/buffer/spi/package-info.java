/**
 * What third-party JARs implement to extend axon-buffer: {@link
 * io.axon.buffer.spi.BufferKindProvider} (kinds) and {@link io.axon.buffer.spi.BufferTranscoder}
 * (conversions), both discovered through {@link java.util.ServiceLoader}.
 */
package io.axon.buffer.spi;
