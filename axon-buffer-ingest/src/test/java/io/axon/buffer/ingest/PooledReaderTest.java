package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PooledReaderTest {

  private SlabBufferPool pool;

  @BeforeEach
  void setUp() {
    pool = TestPools.newPool();
  }

  @AfterEach
  void tearDown() {
    TestPools.assertNoLiveBytes(pool, "the test");
    pool.close();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** A channel that hands out at most {@code step} bytes per read, like a socket. */
  private static ReadableByteChannel trickle(byte[] bytes, int step) {
    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(bytes));
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        int limit = dst.limit();
        dst.limit(Math.min(limit, dst.position() + step));
        try {
          return in.read(dst);
        } finally {
          dst.limit(limit);
        }
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void readsAChannelToItsEndAcrossSlabs() throws Exception {
    for (int size : new int[] {0, 1, 4096, 4097, 70_000, 2_000_000}) {
      byte[] content = random(size);
      try (ZeroCopyBuffer b =
          PooledReader.read(trickle(content, 5000), pool.forTenant("r"), 10_000_000)) {
        assertEquals(size, b.length());
        assertArrayEquals(content, b.toByteArray(), "size " + size);
        assertEquals(BufferKind.raw(), b.kind());
        if (size > 0) {
          assertEquals(Optional.of("r"), b.tenant());
        }
      }
    }
  }

  @Test
  void withoutAHintMemoryFollowsTheBytesReadAndTheLimitIsProbedWithoutAnotherPiece()
      throws Exception {
    // 10 bytes under a 10 MB limit hold one 4 KiB piece, not a slab sized by the limit.
    try (ZeroCopyBuffer b = PooledReader.read(trickle(random(10), 3), pool, 10_000_000)) {
      assertEquals(10, b.length());
      assertEquals(4096, pool.snapshot().liveBytes());
    }
    // Content that fills its limit exactly: the end is found by a one-byte probe, no new piece.
    byte[] full = random(4096);
    try (ZeroCopyBuffer b = PooledReader.read(trickle(full, 1000), pool, 4096)) {
      assertArrayEquals(full, b.toByteArray());
      assertEquals(1, b.asReadOnlyByteBuffers().size());
      assertEquals(4096, pool.snapshot().liveBytes());
    }
    TestPools.assertNoLiveBytes(pool, "reads closed");
  }

  @Test
  void aSizeHintPutsTheContentInOnePiece() throws Exception {
    byte[] content = random(300_000);
    try (ZeroCopyBuffer b =
        PooledReader.read(trickle(content, 7000), pool, 1_000_000, content.length)) {
      assertEquals(1, b.asReadOnlyByteBuffers().size());
      assertArrayEquals(content, b.toByteArray());
    }
    byte[] exact = random(65536);
    try (ZeroCopyBuffer b =
        PooledReader.read(trickle(exact, 7000), pool, 1_000_000, exact.length)) {
      assertEquals(1, b.asReadOnlyByteBuffers().size(), "the end is found without another slab");
      assertArrayEquals(exact, b.toByteArray());
    }
    try (ZeroCopyBuffer b = PooledReader.read(trickle(content, 7000), pool, 1_000_000, 1000)) {
      assertArrayEquals(content, b.toByteArray(), "a wrong hint only costs layout");
    }
  }

  @Test
  void contentOverTheLimitIsATypedErrorAndNothingIsKept() {
    byte[] content = random(100_001);
    SizeLimitExceededException e =
        assertThrows(
            SizeLimitExceededException.class,
            () -> PooledReader.read(trickle(content, 3000), pool, 100_000));
    assertEquals(100_000, e.limitBytes());
    assertTrue(e.actualBytes() > 100_000);
    assertEquals("channel", e.what());
    assertEquals(413, e.httpStatus());
    assertEquals(1009, e.webSocketCloseCode());
    assertTrue(e.getMessage().startsWith("SIZE_LIMIT_EXCEEDED"), e.getMessage());
    assertTrue(e.getMessage().contains("more than the limit of 100000"), e.getMessage());
    TestPools.assertNoLiveBytes(pool, "an over-limit read");
    assertThrows(
        SizeLimitExceededException.class,
        () -> PooledReader.read(new ByteArrayInputStream(new byte[1]), pool, 0));
  }

  @Test
  @SuppressWarnings("InputStreamSlowMultibyteRead") // a stream of single bytes is what it tests
  void aFailingChannelReleasesEverything() {
    InputStream failing =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ > 50_000) {
              throw new IOException("disk on fire");
            }
            return 7;
          }
        };
    IOException e =
        assertThrows(IOException.class, () -> PooledReader.read(failing, pool, 1 << 20));
    assertEquals("disk on fire", e.getMessage());
  }

  @Test
  void aTenantHardLimitIsRaisedAndReleased() {
    try (SlabBufferPool limited =
        SlabBufferPool.builder().name("reader-limited").hardLimit("t", 100_000).build()) {
      assertThrows(
          TenantLimitExceededException.class,
          () -> PooledReader.read(trickle(random(500_000), 9000), limited.forTenant("t"), 1 << 20));
      assertEquals(0, limited.snapshot().liveBytes());
    }
  }

  @Test
  void filesAndFileStreamsAreReadByTheirChannel(@TempDir Path dir) throws Exception {
    byte[] content = random(123_457);
    Path file = dir.resolve("f.bin");
    Files.write(file, content);
    try (FileChannel ch = FileChannel.open(file);
        ZeroCopyBuffer b = PooledReader.read(ch, pool, 1 << 20)) {
      assertArrayEquals(content, b.toByteArray());
      assertEquals(1, b.asReadOnlyByteBuffers().size(), "the file size is the hint");
    }
    try (InputStream in = new FileInputStream(file.toFile());
        ZeroCopyBuffer b = PooledReader.read(in, pool, 1 << 20)) {
      assertArrayEquals(content, b.toByteArray());
    }
    assertThrows(
        SizeLimitExceededException.class,
        () -> {
          try (FileChannel ch = FileChannel.open(file)) {
            PooledReader.read(ch, pool, 1000).close();
          }
        });
  }

  @Test
  void theFileChannelOfANamedPipeIsReadWithoutASizeOrPosition(@TempDir Path dir) throws Exception {
    // A pipe's FileChannel (stdin as a FileInputStream, a named pipe) throws "Illegal seek" from
    // position(): it is read as a stream of unknown size.
    Path fifo = dir.resolve("p");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo");
    byte[] content = random(70_000);
    java.util.concurrent.CompletableFuture<Path> writer =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.write(fifo, content);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            task -> new Thread(task, "pipe writer").start()); // never wait for a pool's thread
    try (InputStream in = new FileInputStream(fifo.toFile());
        ZeroCopyBuffer b = PooledReader.read(in, pool, 1 << 20)) {
      assertArrayEquals(content, b.toByteArray());
    }
    writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }
}
