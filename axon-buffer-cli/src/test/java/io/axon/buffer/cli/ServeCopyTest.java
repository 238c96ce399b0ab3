package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.testing.ForwardingBufferMut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One copy per body byte: from the buffer Jetty read the socket into, straight into the tenant's
 * pooled memory. The pool is wrapped so that every byte appended into pooled memory is counted and
 * the source of every append is recorded: the count equals the parts' bytes (no byte is stored
 * twice, no part grows by copying), and every source is a direct buffer, Jetty's own input buffer
 * (serve stages nothing in a heap array; the pool's memory being direct as well, a staging copy
 * would have to be a heap array or a second pooled append, and both would show). Over HTTP/1.1 and
 * over HTTP/2 (the JDK client, upgraded with h2c).
 */
class ServeCopyTest {

  private static final String BOUNDARY = "copy-7e21";

  private SlabBufferPool real;
  private CountingPool pool;
  private IngestServer server;

  @BeforeEach
  void start() throws IOException {
    real = SlabBufferPool.builder().name("serve-copy").build();
    pool = new CountingPool(real);
    server =
        IngestServer.start(
            0, pool, MultipartOptions.defaults(), null, ServeLimits.defaults().withThreads(2));
  }

  @AfterEach
  void stop() {
    server.close();
    assertEquals(0, real.snapshot().liveBytes(), "every request's memory went back to the pool");
    real.close();
  }

  static byte[] body(byte[]... contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < contents.length; i++) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"p"
                  + i
                  + "\"; filename=\"p"
                  + i
                  + ".bin\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(contents[i]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private void uploadAndCount(HttpClient http) throws Exception {
    byte[] big = new byte[3 << 20];
    byte[] small = new byte[100_000];
    new Random(7).nextBytes(big);
    new Random(8).nextBytes(small);
    pool.appended.set(0);
    pool.heapSources.set(0);
    pool.heapBytes.set(0);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                .header("X-Tenant", "acme")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(big, small)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    List<?> parts = (List<?>) JsonReader.object(r.body()).get("parts");
    assertEquals((long) big.length, ((Map<?, ?>) parts.get(0)).get("size"));
    assertEquals((long) small.length, ((Map<?, ?>) parts.get(1)).get("size"));
    assertEquals(
        big.length + small.length,
        pool.appended.get(),
        "bytes appended into pooled memory: each part byte exactly once");
    // The parser appends from its own small carry when a chunk ends inside what might have been a
    // delimiter (a few bytes each time); a staging copy of the body would be megabytes.
    assertTrue(
        pool.heapBytes.get() <= 4096,
        pool.heapBytes.get() + " bytes appended from heap buffers in " + pool.heapSources.get());
    assertTrue(pool.directSources.get() > 0, "appends came from Jetty's direct input buffers");
  }

  @Test
  void eachBodyByteIsCopiedOnceFromJettysBufferIntoTheTenantsPooledMemoryOverHttp11()
      throws Exception {
    uploadAndCount(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
  }

  @Test
  void eachBodyByteIsCopiedOnceOverH2c() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    // A request without a body upgrades the connection (Upgrade: h2c); the upload then runs on it.
    HttpResponse<String> kinds =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/kinds"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, kinds.version());
    uploadAndCount(http);
  }

  /** A pool whose allocators count what is appended into their builders. */
  static final class CountingPool implements BufferPool {
    final BufferPool real;
    final AtomicLong appended = new AtomicLong();
    final AtomicLong heapSources = new AtomicLong();
    final AtomicLong heapBytes = new AtomicLong();
    final AtomicLong directSources = new AtomicLong();

    CountingPool(BufferPool real) {
      this.real = real;
    }

    @Override
    public BufferMut acquire(int capacityHint) {
      return new CountingMut(real.acquire(capacityHint), this);
    }

    @Override
    public BufferMut acquire(int capacityHint, String tenant) {
      return new CountingMut(real.acquire(capacityHint, tenant), this);
    }

    @Override
    public BufferAllocator forTenant(String tenant) {
      BufferAllocator allocator = real.forTenant(tenant);
      CountingPool counts = this;
      return new BufferAllocator() {
        @Override
        public BufferMut acquire(int capacityHint) {
          return new CountingMut(allocator.acquire(capacityHint), counts);
        }

        @Override
        public Optional<String> tenant() {
          return allocator.tenant();
        }

        @Override
        public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {
          return allocator.adopt(kind, pieces, release);
        }
      };
    }

    @Override
    public Optional<String> tenant() {
      return real.tenant();
    }

    @Override
    public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {
      return real.adopt(kind, pieces, release);
    }

    @Override
    public boolean isDirect() {
      return real.isDirect();
    }

    @Override
    public PoolSnapshot snapshot() {
      return real.snapshot();
    }

    @Override
    public long trim() {
      return real.trim();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  /** A builder that counts the bytes appended through it and where they came from. */
  private static final class CountingMut extends ForwardingBufferMut {
    private final CountingPool counts;

    CountingMut(BufferMut real, CountingPool counts) {
      super(real);
      this.counts = counts;
    }

    @Override
    public BufferMut append(byte b) {
      super.append(b);
      counts.appended.incrementAndGet();
      counts.heapSources.incrementAndGet();
      counts.heapBytes.incrementAndGet();
      return this;
    }

    @Override
    public BufferMut append(byte[] src) {
      return append(src, 0, src.length);
    }

    @Override
    public BufferMut append(byte[] src, int offset, int length) {
      super.append(src, offset, length);
      counts.appended.addAndGet(length);
      counts.heapSources.incrementAndGet();
      counts.heapBytes.addAndGet(length);
      return this;
    }

    @Override
    public BufferMut append(ByteBuffer src) {
      int n = src.remaining();
      (src.isDirect() ? counts.directSources : counts.heapSources).incrementAndGet();
      if (!src.isDirect()) {
        counts.heapBytes.addAndGet(n);
      }
      super.append(src);
      counts.appended.addAndGet(n);
      return this;
    }

    @Override
    public BufferMut append(ZeroCopyBuffer src) {
      super.append(src);
      counts.appended.addAndGet(src.length());
      return this;
    }

    @Override
    public int readFrom(ReadableByteChannel channel) throws IOException {
      int n = super.readFrom(channel);
      counts.appended.addAndGet(Math.max(0, n));
      return n;
    }
  }
}
