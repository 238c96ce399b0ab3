package org.example.nativeapp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SegmentedBuilder;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hands pooled views and a builder's tail to the system's zlib through the JDK's Linker, and prints
 * what happened as tab-separated lines (the test that runs it checks them):
 *
 * <ul>
 *   <li>{@code jdk}, {@code modules} (this class's module, core's module, or "unnamed");
 *   <li>{@code skip} and nothing more when {@code libz.so.1} cannot be loaded;
 *   <li>{@code offers}: what {@code canUnwrap} answers for the segment types;
 *   <li>{@code crc32}: zlib's crc32 over a one-piece view, over a composite's pieces and over a
 *       builder's appended bytes, beside {@code java.util.zip.CRC32} of the same bytes;
 *   <li>{@code sameMemory}: addresses showing the segments are the views' memory, not copies;
 *   <li>{@code readOnly}: whether a view's segment is read-only, and what a Java write does;
 *   <li>{@code uncompress}, {@code inflate}: zlib writing straight into a builder's tail, and
 *       whether the frozen view equals the original;
 *   <li>{@code heap}: a heap pool's segment, refused by a plain downcall, taken by a critical one;
 *   <li>{@code closed}: a closed view's unwrap;
 *   <li>{@code pool}: live bytes left in each pool (0: every view went back).
 * </ul>
 */
public final class NativeApp {

  private NativeApp() {}

  private static void row(Object... fields) {
    StringBuilder line = new StringBuilder();
    for (Object f : fields) {
      if (line.length() > 0) {
        line.append('\t');
      }
      line.append(f);
    }
    System.out.println(line);
  }

  private static String hex(long crc) {
    return Long.toHexString(crc);
  }

  /** Deterministic content, half of it compressible text, half noise. */
  static byte[] content(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] text = "the quick brown fox jumps over the lazy dog; ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (i / 4096) % 2 == 0 ? text[i % text.length] : (byte) random.nextInt(256);
    }
    return out;
  }

  static long javaCrc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater();
    deflater.setInput(bytes);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  static ZeroCopyBuffer pooled(SlabBufferPool pool, byte[] bytes) {
    try (BufferMut m = pool.acquire(bytes.length, "native-app")) {
      return m.append(bytes).freeze();
    }
  }

  public static void main(String[] args) throws Throwable {
    row("jdk", Runtime.version().feature());
    row(
        "modules",
        name(NativeApp.class.getModule()),
        name(SlabBufferPool.class.getModule()));
    Zlib zlib;
    try {
      zlib = Zlib.load();
    } catch (IllegalArgumentException e) {
      row("skip", "libz.so.1 could not be loaded: " + e.getMessage());
      return;
    }
    try (zlib;
        SlabBufferPool pool = SlabBufferPool.builder().name("native-app").build();
        SlabBufferPool heap = SlabBufferPool.builder().name("native-app-heap").direct(false).build()) {
      offers(pool);
      crc32(zlib, pool);
      sameMemory(pool);
      readOnly(pool);
      uncompress(zlib, pool);
      inflate(zlib, pool);
      heapPool(zlib, heap);
      closed(pool);
      row("pool", pool.snapshot().liveBytes(), heap.snapshot().liveBytes());
    }
  }

  private static String name(Module m) {
    return m.isNamed() ? m.getName() : "unnamed";
  }

  private static void offers(SlabBufferPool pool) {
    try (ZeroCopyBuffer a = pooled(pool, content(100, 1));
        ZeroCopyBuffer b = pooled(pool, content(100, 2));
        ZeroCopyBuffer composite = Buffers.composite(BufferKind.raw(), List.of(a, b))) {
      String refusal;
      try {
        composite.unwrap(MemorySegment.class);
        refusal = "none";
      } catch (UnsupportedOperationException e) {
        refusal = e.getMessage();
      }
      row(
          "offers",
          a.canUnwrap(MemorySegment.class),
          a.canUnwrap(MemorySegment[].class),
          composite.canUnwrap(MemorySegment.class),
          composite.canUnwrap(MemorySegment[].class),
          refusal);
    }
  }

  private static void crc32(Zlib zlib, SlabBufferPool pool) throws Throwable {
    byte[] bytes = content(1 << 20, 3);
    try (ZeroCopyBuffer view = pooled(pool, bytes)) {
      MemorySegment segment = view.unwrap(MemorySegment.class);
      row(
          "crc32",
          "one-piece",
          view.length(),
          1,
          hex(zlib.crc32(0, segment)),
          hex(javaCrc(bytes)));
    }
    // A payload that arrived in chunks: a SegmentedBuilder's pieces, frozen into one composite.
    byte[] big = content(3 * (1 << 20) + 12345, 4);
    ZeroCopyBuffer composite;
    try (SegmentedBuilder b = new SegmentedBuilder(pool.forTenant("native-app"))) {
      for (int at = 0; at < big.length; at += 65536) {
        b.append(big, at, Math.min(65536, big.length - at));
      }
      composite = b.freeze();
    }
    try (composite) {
      MemorySegment[] pieces = composite.unwrap(MemorySegment[].class);
      long crc = 0;
      for (MemorySegment piece : pieces) {
        crc = zlib.crc32(crc, piece);
      }
      row("crc32", "composite", composite.length(), pieces.length, hex(crc), hex(javaCrc(big)));
    }
    // A BufferMut's bytes appended so far, before it is frozen.
    byte[] some = content(5000, 12);
    try (BufferMut m = pool.acquire(8192, "native-app")) {
      m.append(some);
      MemorySegment appended = m.unwrap(MemorySegment.class);
      row(
          "crc32",
          "builder",
          appended.byteSize(),
          appended.isReadOnly(),
          hex(zlib.crc32(0, appended)),
          hex(javaCrc(some)));
    }
  }

  private static void sameMemory(SlabBufferPool pool) {
    try (ZeroCopyBuffer a = pooled(pool, content(4096, 5));
        ZeroCopyBuffer b = pooled(pool, content(4096, 6));
        ZeroCopyBuffer slice = a.slice(10, 20);
        ZeroCopyBuffer shared = a.share();
        ZeroCopyBuffer composite = Buffers.composite(BufferKind.raw(), List.of(a, b))) {
      MemorySegment whole = a.unwrap(MemorySegment.class);
      MemorySegment[] parts = composite.unwrap(MemorySegment[].class);
      row(
          "sameMemory",
          whole.isNative(),
          slice.unwrap(MemorySegment.class).address() - whole.address(),
          shared.unwrap(MemorySegment.class).address() == whole.address(),
          parts[0].address() == whole.address()
              && parts[1].address() == b.unwrap(MemorySegment.class).address());
    }
  }

  private static void readOnly(SlabBufferPool pool) {
    try (ZeroCopyBuffer v = pooled(pool, content(64, 7))) {
      MemorySegment segment = v.unwrap(MemorySegment.class);
      String write;
      try {
        segment.set(JAVA_BYTE, 0, (byte) 1);
        write = "written";
      } catch (RuntimeException e) {
        write = e.getClass().getName();
      }
      row("readOnly", segment.isReadOnly(), write, v.get(0) == content(64, 7)[0]);
    }
  }

  /** One {@code uncompress} call writing the whole payload into one tail. */
  private static void uncompress(Zlib zlib, SlabBufferPool pool) throws Throwable {
    byte[] original = content(600_000, 8);
    try (ZeroCopyBuffer compressed = pooled(pool, deflate(original));
        Arena arena = Arena.ofConfined();
        SegmentedBuilder out = new SegmentedBuilder(pool.forTenant("native-app"))) {
      MemorySegment tail = out.writableTail(original.length, MemorySegment.class);
      MemorySegment destLen = arena.allocate(JAVA_LONG);
      destLen.set(JAVA_LONG, 0, tail.byteSize());
      MemorySegment source = compressed.unwrap(MemorySegment.class);
      int rc = (int) zlib.uncompress.invokeExact(tail, destLen, source, source.byteSize());
      long written = destLen.get(JAVA_LONG, 0);
      out.commit(Math.toIntExact(written));
      try (ZeroCopyBuffer view = out.freeze()) {
        row(
            "uncompress",
            rc,
            written,
            view.unwrap(MemorySegment[].class).length,
            Arrays.equals(view.toByteArray(), original),
            view.unwrap(MemorySegment.class).address() == tail.address());
      }
    }
  }

  /** Streaming {@code inflate}: each round fills the builder's tail, the builder commits it. */
  private static void inflate(Zlib zlib, SlabBufferPool pool) throws Throwable {
    byte[] original = content(3 * (1 << 20) + 777, 9);
    try (ZeroCopyBuffer compressed = pooled(pool, deflate(original));
        Arena arena = Arena.ofConfined();
        SegmentedBuilder out = new SegmentedBuilder(pool.forTenant("native-app"))) {
      MemorySegment input = compressed.unwrap(MemorySegment.class);
      MemorySegment strm = zlib.inflateInit(arena);
      int rc;
      int rounds = 0;
      try {
        strm.set(ADDRESS, Zlib.NEXT_IN, input);
        strm.set(JAVA_INT, Zlib.AVAIL_IN, Math.toIntExact(input.byteSize()));
        do {
          MemorySegment tail = out.writableTail(1, MemorySegment.class);
          int room = Math.toIntExact(tail.byteSize());
          strm.set(ADDRESS, Zlib.NEXT_OUT, tail);
          strm.set(JAVA_INT, Zlib.AVAIL_OUT, room);
          rc = (int) zlib.inflate.invokeExact(strm, Zlib.Z_NO_FLUSH);
          if (rc != Zlib.Z_OK && rc != Zlib.Z_STREAM_END) {
            throw new IllegalStateException("inflate returned " + rc);
          }
          out.commit(room - strm.get(JAVA_INT, Zlib.AVAIL_OUT));
          rounds++;
        } while (rc != Zlib.Z_STREAM_END);
      } finally {
        int end = (int) zlib.inflateEnd.invokeExact(strm);
        if (end != Zlib.Z_OK) {
          throw new IllegalStateException("inflateEnd returned " + end);
        }
      }
      try (ZeroCopyBuffer view = out.freeze()) {
        row(
            "inflate",
            rc,
            view.length(),
            view.unwrap(MemorySegment[].class).length,
            rounds,
            Arrays.equals(view.toByteArray(), original));
      }
    }
  }

  private static void heapPool(Zlib zlib, SlabBufferPool heap) throws Throwable {
    byte[] bytes = content(10_000, 10);
    try (ZeroCopyBuffer view = pooled(heap, bytes)) {
      MemorySegment segment = view.unwrap(MemorySegment.class);
      String plain;
      try {
        plain = hex(zlib.crc32(0, segment));
      } catch (IllegalArgumentException e) {
        plain = e.getClass().getName() + ": " + e.getMessage();
      }
      long critical =
          (long) zlib.crc32Critical.invokeExact(0L, segment, Math.toIntExact(segment.byteSize()));
      row("heap", segment.isNative(), plain, hex(critical), hex(javaCrc(bytes)));
    }
  }

  private static void closed(SlabBufferPool pool) {
    ZeroCopyBuffer v = pooled(pool, content(16, 11));
    v.close();
    String unwrap;
    try {
      v.unwrap(MemorySegment.class);
      unwrap = "unwrapped";
    } catch (RuntimeException e) {
      unwrap = e.getClass().getName();
    }
    row("closed", unwrap, v.canUnwrap(MemorySegment.class));
  }
}
