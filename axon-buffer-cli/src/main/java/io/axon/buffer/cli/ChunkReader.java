package io.axon.buffer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts an input stream into chunks of {@code N} bytes (the last one shorter), for {@code multipart
 * --chunk N}, with memory that follows the input rather than {@code N}.
 *
 * <p>The chunk array starts at the input's size when it is known (a regular file: its size + 1, so
 * that the end is seen without growing), else at 64 KiB, and doubles only while a chunk is still
 * being filled, up to {@code N}: a 100-byte body read with {@code --chunk 2000000000} holds 101
 * bytes, not 2 GB. {@code N} is capped at {@value #MAX_CHUNK} bytes (16 MiB): a larger chunk would
 * only cost memory, the parser sees the same bytes either way.
 *
 * <p>Not thread-safe; the returned buffer is valid until the next call.
 */
final class ChunkReader {

  /** The largest chunk: 16 MiB. */
  static final int MAX_CHUNK = 16 << 20;

  /** The first array when the input's size is not known. */
  private static final int UNKNOWN_SIZE_START = 64 << 10;

  private final InputStream in;
  private final int chunk;
  private byte[] buf;

  /**
   * @param chunk the chunk size asked for, at least 1 (capped at {@link #MAX_CHUNK})
   * @param knownSize the input's size if known (a hint: a file may grow), else -1
   */
  ChunkReader(InputStream in, int chunk, long knownSize) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
    }
    this.in = in;
    this.chunk = Math.min(chunk, MAX_CHUNK);
    long start = knownSize >= 0 ? knownSize + 1 : UNKNOWN_SIZE_START;
    this.buf = new byte[(int) Math.min(this.chunk, start)];
  }

  /** The chunk size in use. */
  int chunk() {
    return chunk;
  }

  /** The length of the array held now (for tests). */
  int capacity() {
    return buf.length;
  }

  /** The next chunk: {@link #chunk()} bytes, fewer at the end of the input, none after it. */
  ByteBuffer next() throws IOException {
    int n = 0;
    while (n < chunk) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(chunk, 2L * buf.length));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return ByteBuffer.wrap(buf, 0, n);
  }
}
