/**
 * The axon-buffer API: kinds and their registry, buffer and pool interfaces, and the SPI that
 * plugins implement. No run-time dependencies: a kind plugin needs this module and nothing else.
 */
module io.axon.buffer.api {
  exports io.axon.buffer;
  exports io.axon.buffer.spi;

  uses io.axon.buffer.spi.BufferKindProvider;
  uses io.axon.buffer.spi.BufferTranscoder;
}
