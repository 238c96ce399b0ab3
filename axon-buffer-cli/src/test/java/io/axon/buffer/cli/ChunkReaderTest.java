package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code multipart --chunk N}: chunks of exactly N bytes, memory that follows the input. */
class ChunkReaderTest {

  private static byte[] body(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** A stream that hands out at most 7 bytes per read, as a pipe may. */
  private static InputStream trickling(byte[] b) {
    return new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        return super.read(buf, off, Math.min(len, 7));
      }
    };
  }

  private static List<byte[]> all(ChunkReader r) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    for (ByteBuffer c = r.next(); c.hasRemaining(); c = r.next()) {
      byte[] copy = new byte[c.remaining()];
      c.get(copy);
      chunks.add(copy);
    }
    return chunks;
  }

  @Test
  void chunksAreExactlyNBytesTheLastOneShorterWhateverTheReadsReturn() throws IOException {
    byte[] body = body(1000);
    List<byte[]> chunks = all(new ChunkReader(trickling(body), 64, -1));
    assertEquals(16, chunks.size());
    for (int i = 0; i < 15; i++) {
      assertEquals(64, chunks.get(i).length);
    }
    assertEquals(1000 - 15 * 64, chunks.get(15).length);
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    chunks.forEach(joined::writeBytes);
    assertArrayEquals(body, joined.toByteArray());
  }

  @Test
  void aHugeChunkOnASmallFileHoldsTheFileNotTheChunk() throws IOException {
    byte[] body = body(100);
    ChunkReader r = new ChunkReader(new ByteArrayInputStream(body), Integer.MAX_VALUE, 100);
    assertEquals(101, r.capacity(), "the file's size and one byte to see its end");
    List<byte[]> chunks = all(r);
    assertEquals(1, chunks.size());
    assertArrayEquals(body, chunks.get(0));
    assertEquals(101, r.capacity(), "no growth to find the end");
  }

  @Test
  void onAStreamOfUnknownSizeMemoryGrowsWithTheBytesRead() throws IOException {
    byte[] body = body(300_000);
    ChunkReader r = new ChunkReader(trickling(body), Integer.MAX_VALUE, -1);
    assertEquals(64 * 1024, r.capacity(), "starts small");
    List<byte[]> chunks = all(r);
    assertEquals(1, chunks.size(), "one chunk: the body is smaller than N");
    assertArrayEquals(body, chunks.get(0));
    assertTrue(r.capacity() <= 2 * body.length, "grew to " + r.capacity() + ", by doubling");
  }

  @Test
  void theChunkIsCappedAtSixteenMebibytes() {
    ChunkReader r = new ChunkReader(new ByteArrayInputStream(new byte[0]), Integer.MAX_VALUE, -1);
    assertEquals(ChunkReader.MAX_CHUNK, r.chunk());
    assertEquals(16 << 20, ChunkReader.MAX_CHUNK);
  }
}
