package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocationException;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartBody;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.PooledReader;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Direct memory exhausted, for real: this class runs in a JVM of its own with {@code
 * -XX:MaxDirectMemorySize} small (the {@code low-direct-memory} surefire execution of this module's
 * pom). Each refusal must be a typed error naming the size, leave the pool's accounting whole (live
 * = what is held, per tenant too; allocated = live + retained), give everything of the failed
 * operation back, and the pool must serve the next request once memory is free again.
 */
class DirectMemoryExhaustionTest {

  static final long MAX_DIRECT = Long.getLong("axon.test.maxDirectMemory", 24L << 20);
  static final BufferPoolMXBean DIRECT =
      ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
          .filter(b -> b.getName().equals("direct"))
          .findFirst()
          .orElseThrow();

  private SlabBufferPool pool;
  private final List<ByteBuffer> fillers = new ArrayList<>();

  @BeforeEach
  void newPool() {
    assertTrue(isThisJvmLimited(), "run by the low-direct-memory execution only");
    pool = SlabBufferPool.builder().name("exhaustion").leakTracing(LeakTracing.OFF).build();
  }

  @AfterEach
  void release() {
    fillers.clear();
    PoolSnapshot s = pool.snapshot();
    assertEquals(0, s.liveBytes(), s::toString);
    pool.close();
  }

  static boolean isThisJvmLimited() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(a -> a.startsWith("-XX:MaxDirectMemorySize="));
  }

  /**
   * Takes direct memory outside the pool until only about {@code leave} bytes remain (between
   * {@code leave} and {@code leave + 4 KiB}): fills it to the last 4 KiB (the JDK collects garbage
   * buffers before it refuses), then gives {@code leave} bytes back.
   */
  void leaveOnly(long leave) {
    for (int step : new int[] {1 << 20, 64 << 10, 4 << 10}) {
      while (true) {
        try {
          fillers.add(ByteBuffer.allocateDirect(step));
        } catch (OutOfMemoryError full) {
          break;
        }
      }
    }
    fillers.sort(java.util.Comparator.comparingInt(ByteBuffer::capacity).reversed());
    long given = 0;
    while (given < leave) {
      given += fillers.remove(fillers.size() - 1).capacity(); // smallest first
    }
    while (given - (4 << 10) >= leave) {
      fillers.add(ByteBuffer.allocateDirect(4 << 10)); // the JDK collects what was given back
      given -= 4 << 10;
    }
  }

  @Test
  void exhaustionIsATypedErrorAndNothingIsHalfAccounted() {
    List<BufferMut> held = new ArrayList<>();
    BufferAllocationException refused = null;
    while (refused == null && held.size() < 1000) {
      try {
        held.add(pool.acquire(1 << 20, "acme"));
      } catch (BufferAllocationException e) {
        refused = e;
      }
    }
    assertNotNull(refused, "24 MiB of direct memory cannot hold 1000 MiB");
    assertEquals(1 << 20, refused.requestedBytes());
    assertTrue(
        refused.getMessage().contains("direct memory")
            && refused.getMessage().contains(String.valueOf(1 << 20)),
        refused.getMessage());
    assertTrue(refused.getCause() instanceof OutOfMemoryError);

    long expected = held.size() * (long) PoolClass.LARGE.slabBytes();
    PoolSnapshot s = pool.snapshot();
    assertEquals(expected, s.liveBytes(), "the refused buffer is not counted as live");
    assertEquals(expected, s.liveBytes("acme"), "nor billed to its tenant");
    assertEquals(held.size(), s.of(PoolClass.LARGE).leasedSlabs());
    assertEquals(
        s.liveBytes() + s.retainedBytes(), s.allocatedBytes(), "allocated = live + retained");

    for (BufferMut m : held) {
      m.close();
    }
    int count = held.size();
    held.clear(); // a closed builder still references its slab's memory: let it go
    s = pool.snapshot();
    assertEquals(0, s.liveBytes());
    assertEquals(0, s.liveBytes("acme"));
    assertEquals(s.retainedBytes(), s.allocatedBytes());
    try (BufferMut again = pool.acquire(1 << 20, "acme")) {
      again.append(new byte[] {1, 2, 3});
      assertEquals(3, again.length(), "served from the slabs the pool kept");
    }
    pool.trim();
    assertEquals(0, pool.snapshot().allocatedBytes());
    List<BufferMut> refill = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        refill.add(pool.acquire(1 << 20, "acme")); // the system gives the trimmed memory back
      }
    } finally {
      refill.forEach(BufferMut::close);
    }
  }

  /**
   * Near exhaustion a small acquisition still succeeds: the pool carves small slabs out of one 64
   * KiB chunk, and when the chunk does not fit it falls back to the one slab asked for. Found here:
   * without the fallback a 100-byte acquisition failed with 12 KiB of direct memory free.
   */
  @Test
  void aSmallAcquisitionSucceedsWhenOnlyAFewSlabsOfMemoryAreLeft() {
    leaveOnly(12 * 1024);
    try (BufferMut m = pool.acquire(100, "acme")) {
      m.append(new byte[100]);
      assertEquals(PoolClass.SMALL, PoolClass.forCapacity(m.capacity()));
    }
    assertEquals(0, pool.snapshot().liveBytes("acme"));
  }

  @Test
  void aMultipartUploadRefusedForMemoryIsA503AndTheNextIsServed() throws Exception {
    byte[] body = body(new byte[3 << 20]);
    leaveOnly(2 << 20);
    BufferAllocationException e =
        assertThrows(
            BufferAllocationException.class,
            () ->
                MultipartParser.parse(
                    new ByteArrayInputStream(body),
                    "b",
                    pool.forTenant("acme"),
                    MultipartOptions.defaults()));
    assertEquals(503, e.httpStatus());
    assertTrue(e.getCause() instanceof OutOfMemoryError, String.valueOf(e.getCause()));
    assertEquals(0, pool.snapshot().liveBytes(), "the failed upload released its parts");
    fillers.clear();
    System.gc();
    try (MultipartBody parsed =
        MultipartParser.parse(
            new ByteArrayInputStream(body),
            "b",
            pool.forTenant("acme"),
            MultipartOptions.defaults())) {
      assertEquals(3 << 20, parsed.parts().get(0).size());
    }
  }

  @Test
  void aChannelReadRefusedForMemoryReleasesWhatItRead() throws Exception {
    byte[] content = new byte[3 << 20];
    leaveOnly(2 << 20);
    assertThrows(
        BufferAllocationException.class,
        () ->
            PooledReader.read(
                Channels.newChannel(new ByteArrayInputStream(content)),
                pool.forTenant("acme"),
                4 << 20));
    assertEquals(0, pool.snapshot().liveBytes());
    fillers.clear();
    System.gc();
    try (ZeroCopyBuffer read =
        PooledReader.read(
            Channels.newChannel(new ByteArrayInputStream(content)),
            pool.forTenant("acme"),
            4 << 20)) {
      assertArrayEquals(content, read.toByteArray());
    }
  }

  @Test
  void aWebSocketMessageRefusedForMemoryIsA1011AndTheAccumulatorRecovers() throws Exception {
    List<ZeroCopyBuffer> messages = new ArrayList<>();
    WebSocketMessageAccumulator acc =
        new WebSocketMessageAccumulator(pool.forTenant("acme"), 8 << 20, messages::add);
    leaveOnly(1 << 20);
    byte[] fragment = new byte[1 << 20];
    BufferAllocationException e =
        assertThrows(
            BufferAllocationException.class,
            () -> {
              acc.accept(false, 0, 2, ByteBuffer.wrap(fragment));
              acc.accept(false, 0, 0, ByteBuffer.wrap(fragment));
              acc.accept(true, 0, 0, ByteBuffer.wrap(fragment));
            });
    assertEquals(1011, e.webSocketCloseCode());
    assertTrue(acc.isFailed(), "the accumulator refuses frames until reset");
    assertEquals(0, pool.snapshot().liveBytes(), "the partial message was released");
    fillers.clear();
    System.gc();
    acc.reset();
    acc.accept(true, 0, 2, ByteBuffer.wrap(new byte[] {7}));
    assertEquals(1, messages.size());
    messages.forEach(ZeroCopyBuffer::close);
    acc.close();
  }

  static byte[] body(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
