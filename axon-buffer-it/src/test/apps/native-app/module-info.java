/**
 * An application that hands pooled memory to native code (zlib, through the JDK's Linker), as an
 * adopter on JDK 22+ writes one: it requires core (and through it the api) and nothing else. On the
 * module path it runs with {@code --enable-native-access=org.example.nativeapp}: the Linker calls
 * are its own; axon-buffer-core calls no restricted method and needs no such grant.
 */
module org.example.nativeapp {
  requires io.axon.buffer.core;
}
