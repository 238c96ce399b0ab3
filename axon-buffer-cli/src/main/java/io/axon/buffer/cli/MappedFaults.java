package io.axon.buffer.cli;

/**
 * Tells a fault reading a mapped file from other JVM errors. A mapped file that another process
 * truncates makes a read of the pages past its new end raise {@code SIGBUS}, which HotSpot turns
 * into an {@link InternalError} ("a fault occurred in an unsafe memory access operation", or "in a
 * recent ... in compiled Java code", thrown a little later in the same thread) in whatever code
 * read the mapping. The command catches it around everything that reads one file's mapping and
 * reports that file, instead of letting the error end the run.
 */
final class MappedFaults {

  private MappedFaults() {}

  /** True if {@code e} is the JVM's report of a fault reading mapped memory. */
  static boolean isMappedFileFault(InternalError e) {
    String m = e.getMessage();
    return m != null && m.contains("unsafe memory access operation");
  }
}
