package io.axon.buffer.cli.stream;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;

/**
 * Decodes a base64 payload (RFC 4648 §4, the standard alphabet; padding optional, as Twilio and
 * {@link java.util.Base64#getDecoder()} allow) from the characters the JSON parser holds straight
 * into pooled memory billed to the call's tenant: the text never becomes a {@code String}. Decoded
 * bytes pass through a 768-byte scratch array this object owns (one {@link BufferMut#append} per
 * 768 bytes), so a payload costs its pooled buffer and nothing else.
 *
 * <p>Not thread-safe: one per call.
 */
final class Base64Payload {

  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private final byte[] scratch = new byte[768];

  /**
   * Decodes {@code chars[offset, offset + length)}.
   *
   * @param kind the decoded bytes' kind
   * @param allocator where they land (its tenant pays)
   * @return the bytes; the caller closes them
   * @throws StreamCallException {@link StreamFault#BAD_BASE64} naming the first bad character and
   *     its index (nothing stays allocated)
   * @throws io.axon.buffer.ResourceException if the allocator refuses the memory
   */
  ZeroCopyBuffer decode(
      char[] chars, int offset, int length, BufferKind kind, BufferAllocator allocator) {
    int end = offset + length;
    int padding = 0;
    while (end > offset && chars[end - 1] == '=' && padding < 2) {
      end--;
      padding++;
    }
    int n = end - offset;
    if (padding > 0 && length % 4 != 0) {
      throw bad("is " + length + " characters with padding, not a multiple of 4");
    }
    if (n % 4 == 1) {
      throw bad("has " + n + " characters before padding: a last group of one character");
    }
    int bytes = n / 4 * 3 + Math.max(0, n % 4 - 1);
    if (bytes == 0) {
      return Buffers.empty(kind);
    }
    BufferMut out = allocator.acquire(bytes);
    try {
      int s = 0;
      int i = offset;
      while (i + 4 <= end) {
        int v =
            value(chars, i, offset) << 18
                | value(chars, i + 1, offset) << 12
                | value(chars, i + 2, offset) << 6
                | value(chars, i + 3, offset);
        scratch[s] = (byte) (v >> 16);
        scratch[s + 1] = (byte) (v >> 8);
        scratch[s + 2] = (byte) v;
        s += 3;
        i += 4;
        if (s == scratch.length) {
          out.append(scratch, 0, s);
          s = 0;
        }
      }
      int rest = end - i;
      if (rest >= 2) {
        int v = value(chars, i, offset) << 18 | value(chars, i + 1, offset) << 12;
        if (rest == 3) {
          v |= value(chars, i + 2, offset) << 6;
        }
        scratch[s++] = (byte) (v >> 16);
        if (rest == 3) {
          scratch[s++] = (byte) (v >> 8);
        }
      }
      out.append(scratch, 0, s);
      return out.freeze(kind);
    } finally {
      out.close();
    }
  }

  private static int value(char[] chars, int i, int offset) {
    char c = chars[i];
    int v = c < 128 ? VALUES[c] : -1;
    if (v < 0) {
      throw bad(
          "has "
              + (c == '='
                  ? "padding"
                  : c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'")
              + " at index "
              + (i - offset));
    }
    return v;
  }

  private static StreamCallException bad(String detail) {
    return new StreamCallException(StreamFault.BAD_BASE64, "media payload " + detail);
  }
}
