/**
 * A deliberately broken kind plugin: its provider's constructor throws. On the class path its
 * services file also names a class that does not exist. (On the module path only {@code provides}
 * counts, and javac would not let it name a missing class.)
 */
module org.example.broken {
  requires io.axon.buffer.api;

  provides io.axon.buffer.spi.BufferKindProvider with org.broken.ExplodingProvider;
}
