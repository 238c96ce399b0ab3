package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
   * {@code direct}), then finishes.
   */
  static void feed(MultipartParser parser, byte[] body, int[] cuts, boolean direct) {
    int from = 0;
    for (int i = 0; i <= cuts.length && !parser.isDone(); i++) {
      int to = i < cuts.length ? cuts[i] : body.length;
      ByteBuffer chunk =
          direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
      chunk.put(body, from, to - from).flip();
      parser.feed(chunk);
      if (chunk.hasRemaining()) {
        throw new AssertionError("feed did not consume its chunk");
      }
      from = to;
    }
    parser.finish();
  }

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
