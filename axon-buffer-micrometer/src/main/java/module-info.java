/**
 * Micrometer metrics for axon-buffer: {@link io.axon.buffer.micrometer.BufferPoolMetrics}, a {@code
 * MeterBinder} for any {@link io.axon.buffer.BufferPool}.
 */
// Micrometer's types (MeterBinder, MeterRegistry) are in this module's API, so its readers read
// Micrometer too; micrometer-core is an automatic module (Automatic-Module-Name: micrometer.core).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.axon.buffer.micrometer {
  requires transitive io.axon.buffer.api;
  requires transitive micrometer.core;

  exports io.axon.buffer.micrometer;
}
