package org.example.nativeapp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The system's zlib ({@code libz.so.1}) through the JDK's {@link Linker}, as an adopter binds it:
 * {@code crc32}, {@code uncompress} and streaming {@code inflate}. Linux x86_64 / aarch64 layout of
 * {@code z_stream} (LP64: {@code uLong} is 64 bits).
 */
final class Zlib implements AutoCloseable {

  static final int Z_OK = 0;
  static final int Z_STREAM_END = 1;
  static final int Z_NO_FLUSH = 0;

  /** {@code z_stream} on LP64. */
  static final StructLayout Z_STREAM =
      MemoryLayout.structLayout(
          ADDRESS.withName("next_in"),
          JAVA_INT.withName("avail_in"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("total_in"),
          ADDRESS.withName("next_out"),
          JAVA_INT.withName("avail_out"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("total_out"),
          ADDRESS.withName("msg"),
          ADDRESS.withName("state"),
          ADDRESS.withName("zalloc"),
          ADDRESS.withName("zfree"),
          ADDRESS.withName("opaque"),
          JAVA_INT.withName("data_type"),
          MemoryLayout.paddingLayout(4),
          JAVA_LONG.withName("adler"),
          JAVA_LONG.withName("reserved"));

  static final long NEXT_IN = offset("next_in");
  static final long AVAIL_IN = offset("avail_in");
  static final long NEXT_OUT = offset("next_out");
  static final long AVAIL_OUT = offset("avail_out");

  private static long offset(String field) {
    return Z_STREAM.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }

  private final Arena arena;
  final MethodHandle crc32;
  final MethodHandle crc32Critical;
  final MethodHandle uncompress;
  final MethodHandle inflateInit;
  final MethodHandle inflate;
  final MethodHandle inflateEnd;
  final MemorySegment version;

  private Zlib(Arena arena) throws Throwable {
    this.arena = arena;
    SymbolLookup lib = SymbolLookup.libraryLookup("libz.so.1", arena);
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor crc = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT);
    crc32 = linker.downcallHandle(find(lib, "crc32"), crc);
    crc32Critical =
        linker.downcallHandle(find(lib, "crc32"), crc, Linker.Option.critical(true));
    uncompress =
        linker.downcallHandle(
            find(lib, "uncompress"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    inflateInit =
        linker.downcallHandle(
            find(lib, "inflateInit_"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    inflate =
        linker.downcallHandle(
            find(lib, "inflate"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    inflateEnd =
        linker.downcallHandle(
            find(lib, "inflateEnd"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    MethodHandle zlibVersion =
        linker.downcallHandle(find(lib, "zlibVersion"), FunctionDescriptor.of(ADDRESS));
    version = (MemorySegment) zlibVersion.invokeExact();
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name).orElseThrow(() -> new IllegalArgumentException("no " + name + " in zlib"));
  }

  /**
   * Binds the system's zlib until {@link #close}, or throws {@link IllegalArgumentException} if
   * {@code libz.so.1} is not there.
   */
  static Zlib load() throws Throwable {
    Arena arena = Arena.ofShared();
    try {
      return new Zlib(arena);
    } catch (Throwable t) {
      arena.close();
      throw t;
    }
  }

  /** zlib's crc32 of {@code bytes}, continuing {@code crc}. */
  long crc32(long crc, MemorySegment bytes) throws Throwable {
    return (long) crc32.invokeExact(crc, bytes, Math.toIntExact(bytes.byteSize()));
  }

  /** A fresh {@code z_stream}, set up for {@code inflate}; end it with {@link #inflateEnd}. */
  MemorySegment inflateInit(Arena streamArena) throws Throwable {
    MemorySegment strm = streamArena.allocate(Z_STREAM);
    int rc = (int) inflateInit.invokeExact(strm, version, (int) Z_STREAM.byteSize());
    if (rc != Z_OK) {
      throw new IllegalStateException("inflateInit_ returned " + rc);
    }
    return strm;
  }

  @Override
  public void close() {
    arena.close();
  }
}
