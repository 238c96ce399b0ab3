/**
 * axon-buffer in Spring WebFlux: multipart uploads read into pooled, tenant-billed memory ({@link
 * io.axon.buffer.spring.PooledMultipartReader}), parts that are views ({@link
 * io.axon.buffer.spring.PooledPart}), refusal of an over-limit tenant before the body ({@link
 * io.axon.buffer.spring.PooledUploadWebFilter}).
 */
// Spring Framework 7, Reactor and Netty ship as automatic modules with stable names
// (Automatic-Module-Name: spring.core, spring.web, reactor.core, io.netty.buffer); their types are
// in this module's API, so its readers read them too.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.axon.buffer.spring {
  requires transitive io.axon.buffer.api;
  requires transitive io.axon.buffer.core;
  requires transitive io.axon.buffer.ingest;
  requires io.axon.buffer.netty;
  requires io.netty.buffer;
  requires io.netty.common;
  requires transitive spring.core;
  requires transitive spring.web;
  requires transitive reactor.core;
  requires transitive org.reactivestreams;

  exports io.axon.buffer.spring;
}
