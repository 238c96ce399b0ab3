/**
 * An application on the module path, as an adopter writes one: it requires the api, core and
 * ingest, and uses the kind SPI; it does not require any provider module. The providers (media,
 * the DICOM plugin) are resolved because they {@code provide} a service that a resolved module
 * {@code uses}.
 */
module org.example.app {
  requires io.axon.buffer.api;
  requires io.axon.buffer.core;
  requires io.axon.buffer.ingest;

  uses io.axon.buffer.spi.BufferKindProvider;
}
