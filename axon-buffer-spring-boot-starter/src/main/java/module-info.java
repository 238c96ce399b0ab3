/**
 * The Spring Boot starter of axon-buffer: auto-configuration of the pool, the pooled multipart
 * reader, the upload filter and the pool's meters ({@link
 * io.axon.buffer.spring.boot.AxonBufferAutoConfiguration}).
 */
// Spring Boot ships automatic modules (spring.boot, spring.boot.autoconfigure,
// spring.boot.http.codec, ...). Boot's own modules are read statically: the application brings its
// Boot (4.0, or 3.5 where spring.boot.http.codec does not exist). Spring reflects on the
// configuration classes: the package is open to it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.axon.buffer.spring.boot {
  requires transitive io.axon.buffer.spring;
  requires transitive io.axon.buffer.micrometer;
  requires static spring.boot;
  requires static spring.boot.autoconfigure;
  requires static spring.boot.http.codec;
  requires static spring.context;
  requires static spring.beans;
  requires static spring.webflux;

  exports io.axon.buffer.spring.boot;

  opens io.axon.buffer.spring.boot to
      spring.core,
      spring.beans,
      spring.context;
}
