package io.axon.buffer.bench;

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
 * The native functions the FFM benchmarks call, bound once per JVM through the JDK's {@link
 * Linker}: the system's zlib ({@code libz.so.1}: {@code crc32}, streaming {@code inflate}) and, as
 * a second native peer for the checksum, libdeflate ({@code libdeflate.so.0}: {@code
 * libdeflate_crc32}, which uses the CPU's carry-less multiply as the JDK's CRC32 intrinsic does).
 * Linux LP64 layout of {@code z_stream}. A missing zlib fails the class's initialisation (every FFM
 * benchmark's setup); a missing libdeflate only the libdeflate benchmark's.
 */
@SuppressWarnings("restricted") // linking native functions is this class's job
final class NativeLibs {

  static final int Z_OK = 0;
  static final int Z_STREAM_END = 1;
  static final int Z_NO_FLUSH = 0;

  /** {@code z_stream} on LP64 ({@code uLong} is 64 bits). */
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

  private static final FunctionDescriptor CRC =
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT);

  /** {@code uLong crc32(uLong crc, const Bytef *buf, uInt len)}. */
  static final MethodHandle CRC32;

  /** The same, linked critical with heap access: takes a heap segment (an array) in place. */
  static final MethodHandle CRC32_HEAP;

  /**
   * {@code uint32_t libdeflate_crc32(uint32_t crc, const void *buf, size_t len)}, or null when
   * libdeflate is not installed.
   */
  static final MethodHandle LIBDEFLATE_CRC32;

  /** {@code int inflateInit_(z_streamp strm, const char *version, int stream_size)}. */
  static final MethodHandle INFLATE_INIT;

  /** {@code int inflate(z_streamp strm, int flush)}. */
  static final MethodHandle INFLATE;

  /** {@code int inflateReset(z_streamp strm)}. */
  static final MethodHandle INFLATE_RESET;

  /** {@code int inflateEnd(z_streamp strm)}. */
  static final MethodHandle INFLATE_END;

  /** {@code const char *zlibVersion(void)}. */
  static final MemorySegment ZLIB_VERSION;

  static {
    Linker linker = Linker.nativeLinker();
    // Loaded for the life of the JVM (the global arena): the handles are static.
    SymbolLookup zlib = SymbolLookup.libraryLookup("libz.so.1", Arena.global());
    CRC32 = linker.downcallHandle(find(zlib, "crc32"), CRC);
    CRC32_HEAP = linker.downcallHandle(find(zlib, "crc32"), CRC, Linker.Option.critical(true));
    INFLATE_INIT =
        linker.downcallHandle(
            find(zlib, "inflateInit_"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    INFLATE =
        linker.downcallHandle(
            find(zlib, "inflate"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    INFLATE_RESET =
        linker.downcallHandle(find(zlib, "inflateReset"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    INFLATE_END =
        linker.downcallHandle(find(zlib, "inflateEnd"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    try {
      ZLIB_VERSION =
          (MemorySegment)
              linker
                  .downcallHandle(find(zlib, "zlibVersion"), FunctionDescriptor.of(ADDRESS))
                  .invokeExact();
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
    MethodHandle libdeflateCrc32;
    try {
      SymbolLookup libdeflate = SymbolLookup.libraryLookup("libdeflate.so.0", Arena.global());
      libdeflateCrc32 =
          linker.downcallHandle(
              find(libdeflate, "libdeflate_crc32"),
              FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    } catch (IllegalArgumentException absent) {
      libdeflateCrc32 = null;
    }
    LIBDEFLATE_CRC32 = libdeflateCrc32;
  }

  private NativeLibs() {}

  private static long offset(String field) {
    return Z_STREAM.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name).orElseThrow(() -> new IllegalArgumentException("no symbol " + name));
  }

  /** A fresh inflate stream in {@code arena}. */
  static MemorySegment inflateInit(Arena arena) throws Throwable {
    MemorySegment strm = arena.allocate(Z_STREAM);
    int rc = (int) INFLATE_INIT.invokeExact(strm, ZLIB_VERSION, (int) Z_STREAM.byteSize());
    if (rc != Z_OK) {
      throw new IllegalStateException("inflateInit_ returned " + rc);
    }
    return strm;
  }
}
