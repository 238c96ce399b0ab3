package io.axon.buffer.ingest;

import java.nio.ByteBuffer;

/**
 * Finds a multipart delimiter ({@code CR LF - - boundary}, or {@code LF - - boundary} in lenient
 * mode) in a chunk. Internal.
 *
 * <h2>Algorithm</h2>
 *
 * Horspool's bad-character shift on the window's last byte, with a forward verification that uses
 * one fact about the pattern: its first byte (CR, or LF) occurs nowhere else in it (a boundary
 * may not contain CR or LF). So when a verification fails at offset {@code q}, no occurrence can
 * start inside the bytes just matched, and the window moves by at least {@code q}. Each byte is
 * then read a bounded number of times (at most three: as a window's last byte, in a verification,
 * and in the tail scan), so the search is linear in the worst case, and sublinear on ordinary
 * content: on random bytes, all dashes or CR LF runs it reads about one byte in {@code m - 2}.
 *
 * <p>The tail of a chunk, where the pattern would not fit, is scanned byte by byte for the start
 * of a partial match running to the chunk's end; the caller carries that partial match into the
 * next chunk, so a delimiter split anywhere is found without rescanning.
 */
final class DelimiterSearch {

  private final byte[] pattern;
  private final int m;
  private final int[] skip = new int[256];

  /** @param pattern the delimiter; its first byte must occur nowhere else in it */
  DelimiterSearch(byte[] pattern) {
    this.pattern = pattern;
    this.m = pattern.length;
    for (int i = 1; i < m; i++) {
      if (pattern[i] == pattern[0]) {
        throw new IllegalArgumentException("the first byte of the pattern repeats at " + i);
      }
    }
    java.util.Arrays.fill(skip, m);
    for (int i = 0; i < m - 1; i++) {
      skip[pattern[i] & 0xff] = m - 1 - i;
    }
  }

  /**
   * The first index in {@code [from, to)} where the whole pattern starts, or else where a prefix
   * of it starts and runs to {@code to}; -1 if there is neither.
   */
  int find(ByteBuffer buf, int from, int to) {
    if (buf.hasArray()) {
      int base = buf.arrayOffset();
      int at = find(buf.array(), from + base, to + base);
      return at < 0 ? -1 : at - base;
    }
    return findDirect(buf, from, to);
  }

  private int find(byte[] a, int from, int to) {
    final byte[] p = pattern;
    final int m = this.m;
    final byte first = p[0];
    final byte lastByte = p[m - 1];
    final int[] skip = this.skip;
    int s = from;
    final int last = to - m;
    while (s <= last) {
      byte c = a[s + m - 1];
      if (c != lastByte) {
        s += skip[c & 0xff];
      } else if (a[s] != first) {
        s += Math.max(1, skip[c & 0xff]);
      } else {
        int q = 1;
        while (q < m - 1 && a[s + q] == p[q]) {
          q++;
        }
        if (q == m - 1) {
          return s;
        }
        s += Math.max(q, skip[c & 0xff]);
      }
    }
    for (; s < to; s++) {
      if (a[s] == first) {
        int q = 1;
        while (s + q < to && a[s + q] == p[q]) {
          q++;
        }
        if (s + q == to) {
          return s;
        }
        s += q - 1;
      }
    }
    return -1;
  }

  private int findDirect(ByteBuffer b, int from, int to) {
    final byte[] p = pattern;
    final int m = this.m;
    final byte first = p[0];
    final byte lastByte = p[m - 1];
    final int[] skip = this.skip;
    int s = from;
    final int last = to - m;
    while (s <= last) {
      byte c = b.get(s + m - 1);
      if (c != lastByte) {
        s += skip[c & 0xff];
      } else if (b.get(s) != first) {
        s += Math.max(1, skip[c & 0xff]);
      } else {
        int q = 1;
        while (q < m - 1 && b.get(s + q) == p[q]) {
          q++;
        }
        if (q == m - 1) {
          return s;
        }
        s += Math.max(q, skip[c & 0xff]);
      }
    }
    for (; s < to; s++) {
      if (b.get(s) == first) {
        int q = 1;
        while (s + q < to && b.get(s + q) == p[q]) {
          q++;
        }
        if (s + q == to) {
          return s;
        }
        s += q - 1;
      }
    }
    return -1;
  }
}
