package io.axon.buffer.kinds.media;

import java.nio.ByteBuffer;

/**
 * A JSON heuristic: validates the head as JSON text (RFC 8259) with a small state machine, without
 * allocating, and scores what it saw. JSON has no signature, so every score stays below {@link
 * io.axon.buffer.KindSniffer#SIGNATURE}:
 *
 * <ul>
 *   <li>45: an object or array, complete, followed only by white space;
 *   <li>40: a valid object or array cut by the end of the head, at least 64 bytes of it;
 *   <li>25: a shorter valid prefix of an object or array, or a complete one followed by another
 *       value (JSON Lines, concatenated JSON);
 *   <li>10: a lone scalar ({@code "text"}, {@code 42}, {@code true}) that is the whole head;
 *   <li>0: anything that breaks the grammar.
 * </ul>
 *
 * The grammar is checked over the first {@value #WINDOW} bytes at most (enough evidence, bounded
 * cost: a few microseconds at worst); a value still open there counts as a valid prefix. Nesting
 * deeper than 128 levels stops the check likewise.
 */
final class JsonSniffer {

  private JsonSniffer() {}

  private static final int MAX_DEPTH = 128;

  /** How many bytes of the head the grammar check reads at most. */
  static final int WINDOW = 1024;

  // outcomes of the validator
  private static final int ERROR = 0;
  private static final int COMPLETE = 1;
  private static final int PREFIX = 2;
  private static final int TRAILING = 3;

  static int sniff(ByteBuffer head) {
    int p = head.position();
    int end = head.limit();
    p = Bytes.skipUtf8Bom(head, p, end);
    p = skipWhiteSpace(head, p, end);
    if (p >= end) {
      return 0;
    }
    int first = head.get(p);
    boolean container = first == '{' || first == '[';
    int window = end - p > WINDOW ? p + WINDOW : end;
    long result = validate(head, p, window);
    int outcome = (int) (result >>> 32);
    int consumed = (int) result - p;
    if (outcome == COMPLETE && window < end) {
      int q = skipWhiteSpace(head, window, end);
      if (q < end) {
        outcome = head.get(q) == '{' || head.get(q) == '[' ? TRAILING : ERROR;
      }
    }
    if (!container) {
      return outcome == COMPLETE ? 10 : 0;
    }
    switch (outcome) {
      case COMPLETE:
        return 45;
      case PREFIX:
        return consumed >= 64 ? 40 : 25;
      case TRAILING:
        return 25;
      default:
        return 0;
    }
  }

  private static boolean isWhiteSpace(int b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private static int skipWhiteSpace(ByteBuffer b, int p, int end) {
    while (p < end && isWhiteSpace(b.get(p))) {
      p++;
    }
    return p;
  }

  /**
   * Validates one JSON value at {@code p}; returns the outcome in the high 32 bits and the position
   * reached in the low 32 bits.
   */
  private static long validate(ByteBuffer b, int p, int end) {
    // Containers on the stack: bit set = object, clear = array.
    long stack0 = 0;
    long stack1 = 0;
    int depth = 0;
    // States: expecting a value; expecting a key or '}' (just after '{'); expecting a key;
    // expecting ':'; expecting ',' or a closer.
    final int value = 0;
    final int keyOrClose = 1;
    final int key = 2;
    final int colon = 3;
    final int afterValue = 4;
    final int valueOrClose = 5; // just after '['
    int state = value;
    while (true) {
      p = skipWhiteSpace(b, p, end);
      if (p >= end) {
        return pack(depth == 0 && state == afterValue ? COMPLETE : PREFIX, p);
      }
      int ch = b.get(p) & 0xFF;
      if (depth == 0 && state == afterValue) {
        return pack(ch == '{' || ch == '[' ? TRAILING : ERROR, p);
      }
      switch (state) {
        case value:
        case valueOrClose:
          if (state == valueOrClose && ch == ']') {
            depth--;
            p++;
            state = afterValue;
            break;
          }
          if (ch == '{' || ch == '[') {
            if (depth == MAX_DEPTH) {
              return pack(PREFIX, p);
            }
            boolean object = ch == '{';
            if (depth < 64) {
              stack0 = object ? stack0 | 1L << depth : stack0 & ~(1L << depth);
            } else {
              stack1 = object ? stack1 | 1L << (depth - 64) : stack1 & ~(1L << (depth - 64));
            }
            depth++;
            p++;
            state = object ? keyOrClose : valueOrClose;
            break;
          }
          int q = scalar(b, p, end, ch);
          if (q < 0) {
            return pack(q == -1 ? PREFIX : ERROR, p);
          }
          p = q;
          state = afterValue;
          break;
        case keyOrClose:
        case key:
          if (state == keyOrClose && ch == '}') {
            depth--;
            p++;
            state = afterValue;
            break;
          }
          if (ch != '"') {
            return pack(ERROR, p);
          }
          int k = string(b, p, end);
          if (k < 0) {
            return pack(k == -1 ? PREFIX : ERROR, p);
          }
          p = k;
          state = colon;
          break;
        case colon:
          if (ch != ':') {
            return pack(ERROR, p);
          }
          p++;
          state = value;
          break;
        default: // afterValue inside a container
          int top = depth - 1;
          boolean inObject =
              top < 64 ? (stack0 >>> top & 1) != 0 : (stack1 >>> (top - 64) & 1) != 0;
          if (ch == ',') {
            p++;
            state = inObject ? key : value;
          } else if (ch == (inObject ? '}' : ']')) {
            p++;
            depth--;
            state = afterValue;
          } else {
            return pack(ERROR, p);
          }
      }
    }
  }

  private static long pack(int outcome, int position) {
    return (long) outcome << 32 | (position & 0xFFFFFFFFL);
  }

  /** Skips a scalar at {@code p}: the position after it, -1 if cut by the end, -2 if invalid. */
  private static int scalar(ByteBuffer b, int p, int end, int ch) {
    if (ch == '"') {
      return string(b, p, end);
    }
    if (ch == 't') {
      return literal(b, p, end, "true");
    }
    if (ch == 'f') {
      return literal(b, p, end, "false");
    }
    if (ch == 'n') {
      return literal(b, p, end, "null");
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
      return number(b, p, end);
    }
    return -2;
  }

  private static int literal(ByteBuffer b, int p, int end, String word) {
    for (int i = 0; i < word.length(); i++) {
      if (p + i >= end) {
        return -1;
      }
      if (b.get(p + i) != word.charAt(i)) {
        return -2;
      }
    }
    return p + word.length();
  }

  private static int number(ByteBuffer b, int p, int end) {
    int q = p;
    if (b.get(q) == '-') {
      q++;
    }
    if (q >= end) {
      return -1;
    }
    if (b.get(q) == '0') {
      q++;
    } else if (isDigit(b.get(q))) {
      while (q < end && isDigit(b.get(q))) {
        q++;
      }
    } else {
      return -2;
    }
    if (q < end && b.get(q) == '.') {
      q++;
      int digits = q;
      while (q < end && isDigit(b.get(q))) {
        q++;
      }
      if (q == digits) {
        return q >= end ? -1 : -2;
      }
    }
    if (q < end && (b.get(q) == 'e' || b.get(q) == 'E')) {
      q++;
      if (q < end && (b.get(q) == '+' || b.get(q) == '-')) {
        q++;
      }
      int digits = q;
      while (q < end && isDigit(b.get(q))) {
        q++;
      }
      if (q == digits) {
        return q >= end ? -1 : -2;
      }
    }
    if (q >= end) {
      return -1; // the number may go on past the head
    }
    return q;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** Skips a string at {@code p} (the quote): position after it, -1 if cut, -2 if invalid. */
  private static int string(ByteBuffer b, int p, int end) {
    int q = p + 1;
    while (q < end) {
      int signed = b.get(q);
      if (signed >= 0x20 && signed != '"' && signed != '\\') {
        q++; // printable ASCII, the common case
        continue;
      }
      int c = signed & 0xFF;
      if (c == '"') {
        return q + 1;
      }
      if (c < 0x20) {
        return -2;
      }
      if (c == '\\') {
        if (q + 1 >= end) {
          return -1;
        }
        int e = b.get(q + 1);
        if (e == 'u') {
          for (int i = 2; i < 6; i++) {
            if (q + i >= end) {
              return -1;
            }
            if (Character.digit(b.get(q + i), 16) < 0) {
              return -2;
            }
          }
          q += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
            || e == 't') {
          q += 2;
        } else {
          return -2;
        }
      } else if (c >= 0x80) {
        int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        if (len == 0 || c > 0xF4) {
          return -2;
        }
        for (int i = 1; i < len; i++) {
          if (q + i >= end) {
            return -1;
          }
          if ((b.get(q + i) & 0xC0) != 0x80) {
            return -2;
          }
        }
        q += len;
      } else {
        q++;
      }
    }
    return -1;
  }
}
