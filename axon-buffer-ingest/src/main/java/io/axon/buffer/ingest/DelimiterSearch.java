package io.axon.buffer.ingest;

import io.axon.buffer.core.internal.Swar;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Finds a multipart delimiter ({@code CR LF - - boundary}, or {@code LF - - boundary} in lenient
 * mode) in a chunk. Internal.
 *
 * <h2>Algorithm</h2>
 *
 * The pattern's first byte (CR, or LF) occurs nowhere else in it, since a boundary may not contain
 * CR or LF. So:
 *
 * <ol>
 *   <li>candidates are the positions of that first byte, found eight bytes at a time ({@link
 *       Swar#indexOf}: one {@code long} read, a few arithmetic operations, no branch per byte);
 *   <li>at a candidate, the window's last byte is checked first; the next candidate is searched
 *       from the larger of Horspool's shift on that byte and Sunday's shift on the byte just past
 *       the window;
 *   <li>otherwise the window is verified forward; when it fails at offset {@code q}, no occurrence
 *       can start inside the bytes just matched (they hold no CR), so the search goes on from at
 *       least {@code q} further;
 *   <li>when the byte just past a window is CR, the next window starts there: text made of such
 *       windows (CR LF runs, lines like the delimiter) is stepped a window at a time in a loop of
 *       its own, which reads the window's last byte, verifies the window if that byte matches, and
 *       reads the byte past it (about 40% less time than going through the whole search step per
 *       window, measured on lines like the delimiter but for one byte).
 * </ol>
 *
 * <p>Binary content is not scanned but probed (patterns of {@value #PROBE_MIN} bytes or more, as
 * clients' boundaries are): every occurrence starting in {@code [s, s + m - 1)} holds the pair of
 * bytes at {@code s + m - 2}, at one of the pattern's {@code m - 1} pairs, so a pair absent from
 * the pattern (one bit of an 8 KiB table) rules out {@code m - 1} starts for a two-byte read.
 * Probes go four at a time with one branch; random bytes pass almost every group (a 44-byte pattern
 * has about 20 pairs of 65,536), so a 1 MiB file part is read about 2.3 times in 100 bytes instead
 * of every byte, about 3x faster than the word scan. A group that finds a pair the pattern may hold
 * hands over to the scan above, which then runs at least one group further, twice as far (up to
 * {@value #MAX_BACKOFF} bytes) each time probing stops again at once: text dense in the pattern's
 * pairs (dashes, CR LF, lines like the delimiter) is scanned as before, with one probe group per 4
 * KiB. After a search that found the delimiter near its start (a body of small fields), the next
 * one scans first.
 *
 * <p>A long run of one byte (the dashes of a hostile part, {@code =} padding, zeros) holds no
 * candidate: when the word scan finds none within the next {@value #RUN_MIN}{@code * 2} bytes and a
 * run of {@value #RUN_MIN} or more starts there, the run is jumped over by comparing its next
 * stretch with the part already known ({@link Arrays#mismatch}, vectorized by the JIT: about 4x the
 * word scan on a 1 MiB part of dashes), then the word scan goes on (heap chunks).
 *
 * <p>Cost, in bytes read, for a range of {@code n} bytes: at most {@value #READS_PER_BYTE}{@code n}
 * ({@link #reads()} counts them, on heap and direct chunks; {@code DelimiterSearchTest} checks the
 * bound on adversarial text, fixed and random, and over whole parses in chunks of every size): the
 * word scan reads each byte once (its ranges never overlap: each starts past the last candidate), a
 * run skip twice (the run's bytes are compared with earlier ones of the same run, and the word scan
 * never reads them), a probe two per {@code m - 1} bytes it rules out (and, when it stops, eight
 * that the scan reads again, at most once per group's length scanned), a verification reads each
 * byte at most once more (a failed one is never looked back into), and each candidate reads two
 * bytes more (the window's last, the one past it) while moving the search at least one byte.
 * Content without CR (all dashes, runs of {@code =}) is scanned at word speed, or as runs; CR LF
 * runs are stepped over by the shift (the window's last byte is then CR or LF, which sit at the
 * pattern's start); lines that look like the delimiter but for their last byte cost one read each.
 *
 * <p>Near the chunk's end, where the pattern does not fit, a candidate is checked for a partial
 * match running to the end, which the caller carries into the next chunk: a delimiter split
 * anywhere is found without rescanning.
 *
 * <p>Direct chunks take the same steps through {@link ByteBuffer#getLong(int)} and {@link
 * ByteBuffer#get(int)}.
 */
final class DelimiterSearch {

  /** The most bytes read per byte of the searched range (see the class comment). */
  static final int READS_PER_BYTE = 4;

  private final byte[] pattern;
  private final int m;

  /** Horspool's shift: {@code m - 1 -} the last index of the byte in {@code pattern[0, m - 1)}. */
  private final int[] skip = new int[256];

  /** Sunday's shift on the byte past the window (direct chunks). */
  private final int[] next = new int[256];

  /**
   * The probes' filter: bit {@code x} is set for each pair of adjacent pattern bytes read as a
   * little-endian {@code short} {@code x} (8 KiB); built by the first probe, so that a body of
   * small parts, or a pattern shorter than {@value #PROBE_MIN} bytes, never pays for it.
   */
  private long[] filter;

  /**
   * Whether the last search ended near where it started (small parts, or the last bytes of a
   * chunk): the next one then scans its first {@link #near} bytes before it probes, where a probe
   * would likely find the delimiter's pairs and only add its reads.
   */
  private boolean nearStart = true;

  /** The pattern's bytes from 1 on, eight at a time, as little-endian words (verification). */
  private final long[] words;

  /** What "near" means for {@link #nearStart}: two probe groups. */
  private final int near;

  /** Bytes read by the last {@link #find} (for the linearity tests). */
  private long reads;

  /** Bytes read by every {@link #find} of this search (for the linearity tests). */
  private long totalReads;

  /**
   * @param pattern the delimiter; its first byte must occur nowhere else in it
   */
  DelimiterSearch(byte[] pattern) {
    this.pattern = pattern;
    this.m = pattern.length;
    if (m < 2) {
      throw new IllegalArgumentException("pattern of " + m + " bytes");
    }
    for (int i = 1; i < m; i++) {
      if (pattern[i] == pattern[0]) {
        throw new IllegalArgumentException("the first byte of the pattern repeats at " + i);
      }
    }
    Arrays.fill(skip, m);
    for (int i = 0; i < m - 1; i++) {
      skip[pattern[i] & 0xff] = m - 1 - i;
    }
    Arrays.fill(next, m + 1);
    for (int i = 0; i < m; i++) {
      next[pattern[i] & 0xff] = m - i;
    }
    this.near = 8 * (m - 1);
    this.words = new long[(m - 2) / 8];
    for (int k = 0; k < words.length; k++) {
      words[k] = Swar.readLongLE(pattern, 1 + 8 * k);
    }
  }

  /** Builds {@link #filter}. */
  private long[] filter() {
    long[] f = new long[(1 << 16) / 64];
    for (int i = 0; i < m - 1; i++) {
      int x = (pattern[i] & 0xff) | (pattern[i + 1] & 0xff) << 8;
      f[x >>> 6] |= 1L << x;
    }
    return filter = f;
  }

  /** Read as {@code char}: unsigned, so the JIT makes one zero-extending load of it. */
  private static final VarHandle CHARS_LE =
      MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);

  /** The pair {@code a[q], a[q + 1]} as a little-endian 16-bit value. */
  private static int pair(byte[] a, int q) {
    return (char) CHARS_LE.get(a, q);
  }

  /** The pair at {@code q} of a direct chunk as a little-endian 16-bit value. */
  private static int pair(ByteBuffer b, int q, boolean bigEndian) {
    char v = b.getChar(q);
    return bigEndian ? Character.reverseBytes(v) : v;
  }

  /** Bit 0: whether the pair {@code x}'s bit is set in {@code f}. */
  private static long bit(long[] f, int x) {
    return f[x >>> 6] >>> x;
  }

  /** The shortest pattern probed for: shorter ones skip too little per probe to pay. */
  private static final int PROBE_MIN = 16;

  /** Bytes read per probe group: four pairs. */
  private static final int PROBE_READS = 8;

  /**
   * The longest stretch the candidate scan keeps after a probe group that found a possible pair at
   * once: text dense in the pattern's pairs (lines of dashes, lines like the delimiter) is then
   * scanned, with one probe group per this many bytes.
   */
  private static final int MAX_BACKOFF = 4096;

  /**
   * The first index in {@code [from, to)} where the whole pattern starts, or else where a prefix of
   * it starts and runs to {@code to}; -1 if there is neither.
   */
  int find(ByteBuffer buf, int from, int to) {
    int at;
    if (buf.hasArray()) {
      int base = buf.arrayOffset();
      at = find(buf.array(), from + base, to + base);
      at = at < 0 ? -1 : at - base;
    } else {
      at = findDirect(buf, from, to);
    }
    nearStart = (at >= 0 ? at : to) - from < near; // found, or gave up, within a short range
    return at;
  }

  /** Bytes read by the last search, of a heap or a direct chunk. */
  long reads() {
    return reads;
  }

  /** Bytes read by every search so far (a parser's whole body). */
  long totalReads() {
    return totalReads;
  }

  private int find(byte[] a, int from, int to) {
    final byte[] p = pattern;
    final int m = this.m;
    final byte lastByte = p[m - 1];
    final int[] skip = this.skip;
    final int last = to - m;
    final byte first = p[0];
    final int probeLast = probeLast(to);
    final int group = 4 * (m - 1);
    int resume = nearStart ? from + near : from; // where probing may start (again)
    int backoff = 0;
    long work = 0;
    int s = from;
    try {
      while (true) {
        if (s >= resume && s <= probeLast) {
          int g = probe(a, s, probeLast);
          boolean hit = g <= probeLast;
          work += 2L * ((g - s) / (m - 1)) + (hit ? PROBE_READS : 0);
          if (hit) {
            backoff = g == s ? Math.min(2 * backoff + group, MAX_BACKOFF) : 0;
            resume = g + group + backoff;
          }
          s = g;
        }
        if (s > last || a[s] != first) {
          int scanFrom = s;
          int end = scanEnd(s, probeLast, resume, to);
          int near = Math.min(end, s + RUN_MIN * 2);
          s = Swar.indexOf(a, scanFrom, near, first);
          if (s < 0 && near < end) {
            // Nothing near: a long run of one byte (dashes) is jumped over in bulk.
            int runEnd = skipRun(a, near, to, first);
            work += near - scanFrom + 2L * (runEnd - near); // the run is compared with itself
            scanFrom = runEnd;
            s = Swar.indexOf(a, scanFrom, end, first);
          }
          if (s < 0) {
            work += Math.max(0, end - scanFrom);
            int stop = Math.max(end, scanFrom);
            if (stop >= to) {
              return -1;
            }
            s = stop; // back to probing
            continue;
          }
          work += s - scanFrom + 1;
        }
        if (s > last) {
          // The pattern does not fit: a partial match must run to the end.
          int q = 1;
          while (s + q < to && a[s + q] == p[q]) {
            q++;
          }
          work += q;
          if (s + q == to) {
            return s;
          }
          s += q;
          continue;
        }
        // Windows on CR, stepped m bytes at a time while the byte past each is CR too.
        int start = s;
        byte c;
        int q;
        while (true) {
          c = a[s + m - 1];
          q = 0;
          if (c == lastByte) {
            q = matchLength(a, s);
            if (q == m - 1) {
              work += s - start + m;
              return s;
            }
          }
          if (s + m >= to || a[s + m] != first) {
            break;
          }
          s += m; // Sunday's shift on CR, the largest of the three (see shift)
          if (s > last) {
            break;
          }
        }
        work += s - start; // each window stepped over read at most its m bytes
        if (s <= last) {
          work += q + 2;
          s += s + m < to ? shift(c, a[s + m], q) : Math.max(skip[c & 0xff], q);
        }
      }
    } finally {
      reads = work;
      totalReads += work;
    }
  }

  /**
   * How far the window at {@code s} moves when it is not the pattern: the largest of three valid
   * shifts, Horspool's on its last byte {@code c}, Sunday's on the byte {@code d} just past it
   * (which steps over CR LF "--" runs in one go), and the {@code q} bytes verified (none of them is
   * CR, so no occurrence starts among them). When {@code d} is CR (the pattern's first byte, which
   * occurs nowhere else in it) Sunday's shift is {@code m}, the largest there is: the callers take
   * that case on a branch instead, so that the processor runs on to the next window without waiting
   * for the loads and lookups (text made of CR LF, or of lines like the delimiter, steps one window
   * at a time).
   */
  private int shift(byte c, byte d, int q) {
    return Math.max(Math.max(skip[c & 0xff], next[d & 0xff]), q);
  }

  /**
   * The last start a probe may rule out from: the pair at {@code s + m - 2} lies in the chunk, and
   * every start it rules out has its whole pattern before {@code to} (partial matches at the end
   * are the scan's); -1 when this search does not probe.
   */
  private int probeLast(int to) {
    return m < PROBE_MIN ? -1 : to - 2 * m + 2;
  }

  /**
   * Where the candidate scan from {@code s} stops to let the probes go on: at {@code resume} (but
   * not before 64 bytes), or at {@code to} once the probes cannot run.
   */
  private static int scanEnd(int s, int probeLast, int resume, int to) {
    return s <= probeLast ? Math.min(to, Math.max(resume, s + RUN_MIN * 2)) : to;
  }

  /**
   * Probes from {@code s} in groups of four pairs {@code m - 1} bytes apart, the first at {@code s
   * + m - 2}: every occurrence starting in {@code [s, s + 4(m - 1))} holds one of them, at one of
   * the pattern's pairs, so a group whose four pairs are all clear in {@link #filter} rules those
   * starts out. Returns the start of the first group with a pair that may be the pattern's, or the
   * first start past {@code limit} (all ruled out before it; the last few starts, where a group
   * does not fit, are probed one pair at a time). {@code limit}: {@link #probeLast}.
   */
  private int probe(byte[] a, int s, int limit) {
    final long[] f = filter != null ? filter : filter();
    final int st = m - 1;
    // A counted loop (no safepoint poll per group) over pairs read as char: about 20% less time on
    // random bytes than a loop stepping s over pairs read as short, measured.
    final int st4 = 4 * st;
    final int groupLast = limit - 3 * st;
    final int groups = s <= groupLast ? (groupLast - s) / st4 + 1 : 0;
    final int q0 = s + m - 2;
    for (int g = 0; g < groups; g++) {
      int q = q0 + g * st4;
      long hits =
          bit(f, pair(a, q))
              | bit(f, pair(a, q + st))
              | bit(f, pair(a, q + 2 * st))
              | bit(f, pair(a, q + 3 * st));
      if ((hits & 1) != 0) {
        return s + g * st4;
      }
    }
    s += groups * st4;
    for (; s <= limit; s += st) {
      if ((bit(f, pair(a, s + m - 2)) & 1) != 0) {
        return s;
      }
    }
    return s;
  }

  /** {@link #probe(byte[], int, int)} over a direct chunk. */
  private int probe(ByteBuffer b, int s, int limit) {
    final long[] f = filter != null ? filter : filter();
    final int st = m - 1;
    final boolean bigEndian = b.order() == ByteOrder.BIG_ENDIAN;
    // Not a counted loop as on the heap: through getChar that form measured slower (getChar itself
    // measured 13% faster than getShort on random bytes).
    for (final int groupLast = limit - 3 * st; s <= groupLast; s += 4 * st) {
      int q = s + m - 2;
      long hits =
          bit(f, pair(b, q, bigEndian))
              | bit(f, pair(b, q + st, bigEndian))
              | bit(f, pair(b, q + 2 * st, bigEndian))
              | bit(f, pair(b, q + 3 * st, bigEndian));
      if ((hits & 1) != 0) {
        return s;
      }
    }
    for (; s <= limit; s += st) {
      if ((bit(f, pair(b, s + m - 2, bigEndian)) & 1) != 0) {
        return s;
      }
    }
    return s;
  }

  /**
   * The end of the run of one byte that starts at {@code s} if it is {@value #RUN_MIN} bytes or
   * longer and not of {@code first}, else {@code s}. Such a run (dashes, {@code =} signs, zeros)
   * holds no occurrence of the pattern's first byte, so the search jumps over it: the run's next
   * stretch is compared with the part already known, twice as long each time (up to {@value
   * #RUN_STEP} bytes), by {@link Arrays#mismatch}, which the JIT turns into vector compares,
   * several times faster than the word scan.
   */
  private static int skipRun(byte[] a, int s, int to, byte first) {
    if (to - s < RUN_MIN || a[s] == first) {
      return s;
    }
    long w = Swar.readLongLE(a, s);
    if (w != Swar.broadcast(a[s])
        || Swar.readLongLE(a, s + 24) != w
        || Swar.readLongLE(a, s + 8) != w
        || Swar.readLongLE(a, s + 16) != w) {
      return s;
    }
    int e = s + RUN_MIN;
    while (true) {
      int n = Math.min(Math.min(e - s, RUN_STEP), to - e);
      if (n <= 0) {
        return e;
      }
      int miss = Arrays.mismatch(a, e, e + n, a, s, s + n);
      if (miss >= 0) {
        return e + miss;
      }
      e += n;
    }
  }

  /** The shortest run {@link #skipRun} jumps over. */
  private static final int RUN_MIN = 32;

  /** The longest stretch {@link #skipRun} compares at once. */
  private static final int RUN_STEP = 4096;

  /**
   * How many bytes of the window at {@code s} match the pattern from its start, verifying bytes 1
   * to {@code m - 2} (the first and last were checked), eight at a time.
   */
  private int matchLength(byte[] a, int s) {
    final long[] w = words;
    int q = 1;
    for (int k = 0; k < w.length; k++, q += 8) {
      long x = Swar.readLongLE(a, s + q) ^ w[k];
      if (x != 0) {
        return q + (Long.numberOfTrailingZeros(x) >>> 3);
      }
    }
    final byte[] p = pattern;
    final int end = m - 1;
    while (q < end && a[s + q] == p[q]) {
      q++;
    }
    return q;
  }

  /** {@link #matchLength(byte[], int)} in a direct chunk read in its byte order. */
  private int matchLength(ByteBuffer b, int s, boolean bigEndian) {
    final long[] w = words;
    int q = 1;
    for (int k = 0; k < w.length; k++, q += 8) {
      long x = b.getLong(s + q);
      x = (bigEndian ? Long.reverseBytes(x) : x) ^ w[k];
      if (x != 0) {
        return q + (Long.numberOfTrailingZeros(x) >>> 3);
      }
    }
    final byte[] p = pattern;
    final int end = m - 1;
    while (q < end && b.get(s + q) == p[q]) {
      q++;
    }
    return q;
  }

  private int findDirect(ByteBuffer b, int from, int to) {
    final byte[] p = pattern;
    final int m = this.m;
    final byte lastByte = p[m - 1];
    final int[] skip = this.skip;
    final int last = to - m;
    final byte first = p[0];
    final int probeLast = probeLast(to);
    final int group = 4 * (m - 1);
    final boolean bigEndian = b.order() == ByteOrder.BIG_ENDIAN;
    int resume = nearStart ? from + near : from;
    int backoff = 0;
    long work = 0;
    int s = from;
    try {
      while (true) {
        if (s >= resume && s <= probeLast) {
          int g = probe(b, s, probeLast);
          boolean hit = g <= probeLast;
          work += 2L * ((g - s) / (m - 1)) + (hit ? PROBE_READS : 0);
          if (hit) {
            backoff = g == s ? Math.min(2 * backoff + group, MAX_BACKOFF) : 0;
            resume = g + group + backoff;
          }
          s = g;
        }
        if (s > last || b.get(s) != first) {
          int scanFrom = s;
          int end = scanEnd(s, probeLast, resume, to);
          s = Swar.indexOf(b, scanFrom, end, first);
          if (s < 0) {
            work += Math.max(0, end - scanFrom);
            if (end >= to) {
              return -1;
            }
            s = end;
            continue;
          }
          work += s - scanFrom + 1;
        }
        if (s > last) {
          int q = 1;
          while (s + q < to && b.get(s + q) == p[q]) {
            q++;
          }
          work += q;
          if (s + q == to) {
            return s;
          }
          s += q;
          continue;
        }
        int start = s;
        byte c;
        int q;
        while (true) {
          c = b.get(s + m - 1);
          q = 0;
          if (c == lastByte) {
            q = matchLength(b, s, bigEndian);
            if (q == m - 1) {
              work += s - start + m;
              return s;
            }
          }
          if (s + m >= to || b.get(s + m) != first) {
            break;
          }
          s += m;
          if (s > last) {
            break;
          }
        }
        work += s - start;
        if (s <= last) {
          work += q + 2;
          s += s + m < to ? shift(c, b.get(s + m), q) : Math.max(skip[c & 0xff], q);
        }
      }
    } finally {
      reads = work;
      totalReads += work;
    }
  }
}
