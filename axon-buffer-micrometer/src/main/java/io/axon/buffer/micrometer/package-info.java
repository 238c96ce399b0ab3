/**
 * Micrometer metrics for axon-buffer pools: {@link io.axon.buffer.micrometer.BufferPoolMetrics}
 * binds any {@link io.axon.buffer.BufferPool} to a {@code MeterRegistry}, with per-class and
 * bounded per-tenant series.
 */
package io.axon.buffer.micrometer;
