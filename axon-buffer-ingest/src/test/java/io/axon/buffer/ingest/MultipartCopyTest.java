package io.axon.buffer.ingest;

import static io.axon.buffer.ingest.Bodies.ascii;
import static io.axon.buffer.ingest.Bodies.close;
import static io.axon.buffer.ingest.Bodies.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferMut;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.ForwardingBufferMut;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multipart parser copies a part's bytes once, from the chunk into pooled memory, and its kind
 * sniffers read the part's head in place, even when the head straddles chunks (issue 5: "no stage
 * copies a payload a second time").
 *
 * <p>How that is proven, deterministically:
 *
 * <ul>
 *   <li><b>One copy into the pool</b>: the allocator is wrapped so that every byte appended to a
 *       pooled builder is counted; for each part the count equals the part's size (no byte lands in
 *       pooled memory twice, none is grown by copying).
 *   <li><b>No copy aside for the sniffers</b>: the body is fed in heap chunks of 8 KiB while the
 *       pool's memory is direct, and a recording sniffer checks what it is handed. A head that
 *       straddles chunks reaches it as a direct buffer holding exactly the part's first {@code
 *       sniffBytes} bytes: it is the part's pooled memory, not a heap copy and not the chunk.
 *   <li><b>No heap array of the head's size</b>: the heap the parsing thread allocates while
 *       parsing a 1 MiB part fed in 8 KiB chunks with a 256 KiB {@code sniffBytes} (counted by the
 *       JVM's per-thread allocation counter, the last of three identical parses) stays far below
 *       the head's size. A parser that copies the head aside allocates more than 256 KiB (the
 *       parser before this test existed: 288 KB); this one about 20 KB of small objects (header
 *       strings, part info, a buffer view per chunk), and the bound, a quarter of the head, leaves
 *       room for any JIT or class-loading noise. The head is made that large only to make the
 *       difference unmistakable; the registry shows sniffers at most 8 KiB of it.
 * </ul>
 */
class MultipartCopyTest {

  private static final String B = "copy-boundary-7f3a";
  private static final int CHUNK = 8192;
  private static final int MIB = 1 << 20;

  private SlabBufferPool pool;
  private final List<Part> parts = new ArrayList<>();

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
    assertTrue(pool.isDirect(), "the proof relies on pooled memory being direct, chunks heap");
  }

  @AfterEach
  void noLeaks() {
    for (Part p : parts) {
      p.close();
    }
    TestPools.assertNoLiveBytes(pool, "the test, parts closed");
    pool.close();
  }

  // ------------------------------------------------------------------------------- tests

  @Test
  void aHeadSplitAcrossChunksIsSniffedInThePartsPooledMemory() {
    byte[] file = random(MIB, 1);
    byte[] body = body(file, "big.probe");
    // The first chunk ends 1000 bytes into the content, then 8 KiB chunks: the 8 KiB head
    // straddles the first two.
    int first = contentStart(body) + 1000;

    Probe probe = new Probe();
    MultipartOptions options = MultipartOptions.builder().registry(probe.registry()).build();
    Counting counting = new Counting(pool.forTenant("acme"));
    List<Part> got = parse(options, counting, body, first, CHUNK);

    assertEquals(1, got.size());
    Part part = got.get(0);
    assertEquals("probe", part.kind().slug());
    assertArrayEquals(part.payload().sha256(), sha256(file));
    assertEquals(
        file.length,
        counting.appended.get(),
        "bytes appended to pooled memory: each payload byte exactly once");
    assertEquals(1, probe.heads.size(), "sniffed once");
    Seen seen = probe.heads.get(0);
    assertEquals(MultipartOptions.DEFAULT_SNIFF_BYTES, seen.length);
    assertTrue(
        seen.direct,
        "the head was read in pooled (direct) memory, not in a heap copy or"
            + " in the (heap) chunk");
    assertArrayEquals(Arrays.copyOf(file, seen.length), seen.bytes);
  }

  @Test
  void aHeadInOneChunkIsSniffedInTheChunk() {
    byte[] file = random(MIB, 2);
    byte[] body = body(file, "big.probe");
    Probe probe = new Probe();
    MultipartOptions options = MultipartOptions.builder().registry(probe.registry()).build();
    Counting counting = new Counting(pool.forTenant("acme"));
    // One chunk: the head is in it.
    List<Part> got = parse(options, counting, body, body.length, body.length);
    assertEquals(file.length, counting.appended.get());
    Seen seen = probe.heads.get(0);
    assertEquals(MultipartOptions.DEFAULT_SNIFF_BYTES, seen.length);
    assertFalse(seen.direct, "read in the (heap) chunk");
    assertArrayEquals(Arrays.copyOf(file, seen.length), seen.bytes);
    assertEquals("probe", got.get(0).kind().slug());
  }

  @Test
  void everyCutOfASmallBodySniffsTheRightHeadInPlace() {
    // Parts shorter than, equal to and longer than the head, in chunks of every size.
    Probe probe = new Probe();
    MultipartOptions options =
        MultipartOptions.builder().registry(probe.registry()).sniffBytes(16).build();
    byte[] a = ascii("PROBE");
    byte[] b = ascii("PROBE-0123456789a");
    byte[] c = ascii("PROBE-0123456789abcdefghij");
    byte[] body =
        ascii(
            filePart("a", "PROBE")
                + filePart("b", "PROBE-0123456789a")
                + filePart("c", "PROBE-0123456789abcdefghij")
                + close(B));
    for (int chunk = 1; chunk <= body.length; chunk++) {
      probe.heads.clear();
      Counting counting = new Counting(pool.forTenant("acme"));
      List<Part> got = parse(options, counting, body, chunk, chunk);
      assertEquals(
          List.of("probe", "probe", "probe"),
          got.stream().map(p -> p.kind().slug()).toList(),
          "chunk " + chunk);
      assertEquals(a.length + b.length + c.length, counting.appended.get(), "chunk " + chunk);
      assertArrayEquals(a, probe.heads.get(0).bytes, "chunk " + chunk);
      assertArrayEquals(Arrays.copyOf(b, 16), probe.heads.get(1).bytes, "chunk " + chunk);
      assertArrayEquals(Arrays.copyOf(c, 16), probe.heads.get(2).bytes, "chunk " + chunk);
      for (Part p : got) {
        p.close();
      }
      parts.clear();
    }
  }

  @Test
  void aPartWhoseHeadStraddlesChunksGetsAFirstSlabForTheHeadOthersASlabOfTheirSize() {
    byte[] small = ascii("PROBE and a few bytes");
    byte[] body = body(small, "small.probe");
    int contentStart = contentStart(body);
    Probe probe = new Probe();
    MultipartOptions defaults = MultipartOptions.builder().registry(probe.registry()).build();

    // Within one chunk: sniffed there, stored in a slab of its size.
    List<Part> got = parse(defaults, pool.forTenant("acme"), body, body.length, body.length);
    assertEquals(PoolClass.SMALL.slabBytes(), pool.snapshot().liveBytes("acme"));
    assertFalse(probe.heads.get(0).direct, "read in the (heap) chunk");
    assertArrayEquals(small, got.get(0).payload().toByteArray());
    closeParts();

    // Cut 3 bytes in: its first slab must hold the 8 KiB head, so it is MEDIUM even for 21
    // bytes (the cost MultipartOptions.Builder.sniffBytes documents) while the part is read; read
    // in place there. Then the part, less than half that slab, is copied into one of its size
    // (with the core's allocator, packed with other small parts: see MultipartParserTest).
    probe.heads.clear();
    Counting counting = new Counting(pool.forTenant("acme"));
    got = parse(defaults, counting, body, contentStart + 3, CHUNK);
    assertEquals(PoolClass.SMALL.slabBytes(), pool.snapshot().liveBytes("acme"));
    assertEquals(2 * small.length, counting.appended.get(), "into the head's slab, then its own");
    assertEquals("probe", got.get(0).kind().slug());
    assertArrayEquals(small, probe.heads.get(0).bytes);
    assertTrue(probe.heads.get(0).direct);
    closeParts();

    // With a 4 KiB head the same cut costs nothing more: a first slab is a 4 KiB one at least.
    probe.heads.clear();
    parse(
        MultipartOptions.builder().registry(probe.registry()).sniffBytes(4096).build(),
        pool.forTenant("acme"),
        body,
        contentStart + 3,
        CHUNK);
    assertEquals(PoolClass.SMALL.slabBytes(), pool.snapshot().liveBytes("acme"));
    assertArrayEquals(small, probe.heads.get(0).bytes);
    assertTrue(probe.heads.get(0).direct);
    closeParts();
  }

  @Test
  void parsingAPartWithASplitHeadAllocatesNoHeapArrayOfTheHeadsSize() throws MultipartException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean,
        "needs the JVM's per-thread allocation counter");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);

    int sniffBytes = 256 * 1024;
    byte[] file = random(MIB, 4);
    byte[] body = body(file, "big.bin");
    // Chunks made before measuring: the test's own buffers are not the parser's allocation.
    List<ByteBuffer> chunks = new ArrayList<>();
    for (int from = 0; from < body.length; from += CHUNK) {
      chunks.add(ByteBuffer.wrap(body, from, Math.min(CHUNK, body.length - from)));
    }
    // The real registry, with no sniffer: what is measured is the parser, not the sniffers.
    MultipartOptions options =
        MultipartOptions.builder()
            .registry(BufferKindRegistry.empty())
            .sniffBytes(sniffBytes)
            .build();
    BufferAllocator alloc = pool.forTenant("acme");
    long allocated = 0;
    for (int round = 0; round < 3; round++) {
      Sink sink = new Sink();
      long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      MultipartParser parser = new MultipartParser(B, alloc, options, sink);
      for (ByteBuffer c : chunks) {
        parser.feed(c.duplicate());
      }
      parser.finish();
      allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      assertNull(sink.error);
      assertEquals(file.length, sink.part.size());
      sink.part.close();
    }
    assertTrue(
        allocated < sniffBytes / 4,
        "parsing a 1 MiB part whose "
            + sniffBytes
            + "-byte head straddles chunks allocated "
            + allocated
            + " heap bytes");
  }

  // ------------------------------------------------------------------------------- helpers

  /** {@code n} random bytes after "PROBE" (which the probe sniffer recognises). */
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    System.arraycopy(ascii("PROBE"), 0, b, 0, 5);
    return b;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A body of one file part holding {@code content}, as curl sends it. */
  private static byte[] body(byte[] content, String filename) {
    return concat(
        ascii(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"),
        content,
        ascii("\r\n" + close(B)));
  }

  private static String filePart(String name, String content) {
    return "--"
        + B
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\"; filename=\""
        + name
        + "\"\r\n\r\n"
        + content
        + "\r\n";
  }

  private static int contentStart(byte[] body) {
    for (int i = 3; i < body.length; i++) {
      if (body[i - 3] == '\r' && body[i - 2] == '\n' && body[i - 1] == '\r' && body[i] == '\n') {
        return i + 1;
      }
    }
    throw new AssertionError("no header end");
  }

  /**
   * Parses {@code body} fed in heap chunks: {@code first} bytes, then {@code chunk} bytes each;
   * keeps the parts for closing.
   */
  private List<Part> parse(
      MultipartOptions options, BufferAllocator alloc, byte[] body, int first, int chunk) {
    List<Integer> cuts = new ArrayList<>();
    for (int at = first; at < body.length; at += chunk) {
      cuts.add(at);
    }
    Recorder r =
        Bodies.parse(alloc, options, B, body, cuts.stream().mapToInt(Integer::intValue).toArray());
    parts.addAll(r.parts);
    assertNull(r.error, () -> "error: " + r.error);
    assertEquals(1, r.terminals);
    return r.parts;
  }

  private void closeParts() {
    for (Part p : parts) {
      p.close();
    }
    parts.clear();
  }

  /** What a sniffer was handed. */
  private record Seen(int length, boolean direct, byte[] bytes) {}

  /** A registry with one kind, {@code probe}, whose sniffer records every head it sees. */
  private static final class Probe {
    final List<Seen> heads = new ArrayList<>();

    BufferKindRegistry registry() {
      BufferKindRegistry r = BufferKindRegistry.empty();
      r.register(
          KindDescriptor.builder("probe")
              .description("Test content that starts with PROBE")
              .extensions("probe")
              .sniffer(this::sniff)
              .build());
      return r;
    }

    private int sniff(ByteBuffer head) {
      byte[] bytes = new byte[head.remaining()];
      head.duplicate().get(bytes);
      heads.add(new Seen(bytes.length, head.isDirect(), bytes));
      return bytes.length >= 5
              && new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("PROBE")
          ? KindSniffer.CERTAIN
          : 0;
    }
  }

  /** Keeps the one part of a body. */
  private static final class Sink implements MultipartListener {
    Part part;
    AxonBufferException error;

    @Override
    public void onPart(Part p) {
      part = p;
    }

    @Override
    public void onComplete(MultipartSummary s) {}

    @Override
    public void onError(AxonBufferException e) {
      error = e;
    }
  }

  /** An allocator whose builders count every byte appended to them. */
  private static final class Counting implements BufferAllocator {
    final BufferAllocator real;
    final AtomicLong appended = new AtomicLong();

    Counting(BufferAllocator real) {
      this.real = real;
    }

    @Override
    public BufferMut acquire(int capacityHint) {
      return new CountingMut(real.acquire(capacityHint), appended);
    }

    @Override
    public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {

      return real.adopt(kind, pieces, release);
    }

    @Override
    public Optional<String> tenant() {
      return real.tenant();
    }
  }

  /** A builder that counts the bytes appended through it. */
  private static final class CountingMut extends ForwardingBufferMut {
    private final AtomicLong appended;

    CountingMut(BufferMut real, AtomicLong appended) {
      super(real);
      this.appended = appended;
    }

    @Override
    public BufferMut append(byte b) {
      super.append(b);
      appended.incrementAndGet();
      return this;
    }

    @Override
    public BufferMut append(byte[] src) {
      super.append(src);
      appended.addAndGet(src.length);
      return this;
    }

    @Override
    public BufferMut append(byte[] src, int offset, int length) {
      super.append(src, offset, length);
      appended.addAndGet(length);
      return this;
    }

    @Override
    public BufferMut append(ByteBuffer src) {
      int n = src.remaining();
      super.append(src);
      appended.addAndGet(n);
      return this;
    }

    @Override
    public BufferMut append(ZeroCopyBuffer src) {
      super.append(src);
      appended.addAndGet(src.length());
      return this;
    }

    @Override
    public int readFrom(ReadableByteChannel channel) throws IOException {
      int n = super.readFrom(channel);
      appended.addAndGet(Math.max(0, n));
      return n;
    }
  }
}
