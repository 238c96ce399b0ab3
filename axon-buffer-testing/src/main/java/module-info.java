/**
 * The axon-buffer testing artifact, for tests only (adopters' and the library's own): {@link
 * io.axon.buffer.testing.LeakGuard} and {@link io.axon.buffer.testing.PoolAssertions}, and the
 * contract suites an implementation extends ({@link io.axon.buffer.testing.KindProviderContract},
 * {@link io.axon.buffer.testing.TranscoderContract}, {@link
 * io.axon.buffer.testing.ZeroCopyBufferContract}). {@link io.axon.buffer.testing.JqwikLeakGuard}
 * needs jqwik, which this module requires only statically.
 */
module io.axon.buffer.testing {
  requires transitive io.axon.buffer.api;
  requires transitive io.axon.buffer.core;
  requires transitive org.junit.jupiter.api;
  requires org.opentest4j;
  // JqwikLeakGuard, for modules whose tests use jqwik (registered through
  // META-INF/services/net.jqwik.api.lifecycle.LifecycleHook on the class path; a "provides" here
  // would make jqwik required on the module path).
  requires static net.jqwik.api;

  exports io.axon.buffer.testing;

  // JUnit's extension autodetection finds LeakGuard
  // (junit.jupiter.extensions.autodetection.enabled).
  provides org.junit.jupiter.api.extension.Extension with
      io.axon.buffer.testing.LeakGuard;
}
