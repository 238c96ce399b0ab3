package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds test bodies and feeds them to a parser in planned chunks. */
final class Bodies {

  private Bodies() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** A form field part (CRLF), boundary line included. */
  static String field(String boundary, String name, String value) {
    return "--"
        + boundary
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\"\r\n\r\n"
        + value
        + "\r\n";
  }

  static String close(String boundary) {
    return "--" + boundary + "--\r\n";
  }

  /** Cut positions: every chunk boundary in ascending order, within (0, length). */
  static int[] randomCuts(Random random, int length, int maxChunk) {
    List<Integer> cuts = new ArrayList<>();
    int at = 0;
    while (true) {
      at += 1 + random.nextInt(Math.max(1, maxChunk));
      if (at >= length) {
        break;
      }
      cuts.add(at);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  /**
   * Feeds {@code body} cut at {@code cuts}, each chunk in its own buffer (heap, or direct when
   * {@code direct}), then finishes. A heap chunk is a slice of a larger array (a nonzero array
   * offset), its bytes start at a nonzero position, and the array holds other bytes before and
   * after them: a parser that read the array without the offset, or outside position and limit,
   * would read those.
   */
  static void feed(MultipartParser parser, byte[] body, int[] cuts, boolean direct) {
    int from = 0;
    for (int i = 0; i <= cuts.length && !parser.isDone(); i++) {
      int to = i < cuts.length ? cuts[i] : body.length;
      int n = to - from;
      ByteBuffer chunk;
      if (direct) {
        chunk = ByteBuffer.allocateDirect(n);
        chunk.put(body, from, n).flip();
      } else {
        byte[] backing = new byte[HEAP_OFFSET + HEAP_POSITION + n + HEAP_OFFSET];
        Arrays.fill(backing, (byte) '\r');
        System.arraycopy(body, from, backing, HEAP_OFFSET + HEAP_POSITION, n);
        chunk = ByteBuffer.wrap(backing, HEAP_OFFSET, backing.length - HEAP_OFFSET).slice();
        chunk.limit(HEAP_POSITION + n).position(HEAP_POSITION);
      }
      parser.feed(chunk);
      if (chunk.hasRemaining()) {
        throw new AssertionError("feed did not consume its chunk");
      }
      from = to;
    }
    parser.finish();
  }

  /** Where a heap chunk's slice starts in its array, and where its bytes start in the slice. */
  private static final int HEAP_OFFSET = 5, HEAP_POSITION = 3;

  static Recorder parse(
      BufferAllocator allocator,
      MultipartOptions options,
      String boundary,
      byte[] body,
      int... cuts) {
    Recorder r = new Recorder();
    try {
      feed(new MultipartParser(boundary, allocator, options, r), body, cuts, false);
    } catch (MultipartException e) {
      throw new AssertionError(e);
    }
    return r;
  }
}
