package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;

/**
 * Base64 (RFC 2045 §6.8) and quoted-printable (RFC 2045 §6.7) decoding of a payload view into new
 * pooled memory, reading the view's pieces in place. Internal.
 *
 * <p>Base64: line breaks, spaces and tabs are skipped; any other character outside the alphabet,
 * data after padding, or a dangling single character is an error. A final quantum of 2 or 3
 * characters without padding is accepted. Quoted-printable: {@code =XX} (either case), soft line
 * breaks ({@code =} CRLF or {@code =} LF), trailing white space before a line break removed; {@code
 * =} followed by anything else is an error.
 */
final class TransferDecoder {

  private static final int SCRATCH = 4096;
  private static final byte[] BASE64 = new byte[256];

  static {
    java.util.Arrays.fill(BASE64, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64[alphabet.charAt(i)] = (byte) i;
    }
  }

  private TransferDecoder() {}

  static ZeroCopyBuffer base64(ZeroCopyBuffer payload, BufferAllocator allocator, PartInfo info) {
    BufferMut out =
        allocator.acquire((int) Math.min(Integer.MAX_VALUE - 8L, (payload.length() / 4L) * 3 + 3));
    try {
      byte[] scratch = new byte[SCRATCH];
      int n = 0;
      int quantum = 0;
      int have = 0;
      boolean padded = false;
      long offset = 0;
      for (ByteBuffer piece : payload.asReadOnlyByteBuffers()) {
        for (int i = piece.position(); i < piece.limit(); i++, offset++) {
          int c = piece.get(i) & 0xff;
          if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
            continue;
          }
          if (c == '=') {
            if (have < 2) {
              throw malformed(
                  info, "base64 padding '=' after " + have + " characters of a quantum", offset);
            }
            padded = true;
            continue;
          }
          int v = BASE64[c];
          if (v < 0) {
            throw malformed(info, "byte " + Text.describeByte(c) + " is not base64", offset);
          }
          if (padded) {
            throw malformed(info, "base64 data after padding", offset);
          }
          quantum = quantum << 6 | v;
          if (++have == 4) {
            if (n > SCRATCH - 3) {
              out.append(scratch, 0, n);
              n = 0;
            }
            scratch[n++] = (byte) (quantum >> 16);
            scratch[n++] = (byte) (quantum >> 8);
            scratch[n++] = (byte) quantum;
            quantum = 0;
            have = 0;
          }
        }
      }
      if (have == 1) {
        throw malformed(info, "base64 ends with a single character of a quantum", offset);
      }
      if (n > SCRATCH - 3) {
        out.append(scratch, 0, n);
        n = 0;
      }
      if (have == 2) {
        scratch[n++] = (byte) (quantum >> 4);
      } else if (have == 3) {
        scratch[n++] = (byte) (quantum >> 10);
        scratch[n++] = (byte) (quantum >> 2);
      }
      out.append(scratch, 0, n);
      return out.freeze(payload.kind());
    } finally {
      out.close();
    }
  }

  static ZeroCopyBuffer quotedPrintable(
      ZeroCopyBuffer payload, BufferAllocator allocator, PartInfo info) {
    BufferMut out = allocator.acquire(payload.length());
    try {
      byte[] scratch = new byte[SCRATCH];
      int n = 0;
      // State: 0 normal, 1 after '=', 2 after '=' + hex digit, 3 after '=' + white space
      // (a soft break with trailing white space), 4 after '=' CR.
      int state = 0;
      int firstHex = 0;
      int pendingWhite = 0; // white space seen, not yet written (dropped before a line break)
      byte[] white = new byte[64];
      long offset = 0;
      for (ByteBuffer piece : payload.asReadOnlyByteBuffers()) {
        for (int i = piece.position(); i < piece.limit(); i++, offset++) {
          byte b = piece.get(i);
          if (n > SCRATCH - 2 - white.length) {
            out.append(scratch, 0, n);
            n = 0;
          }
          switch (state) {
            case 0:
              if (b == ' ' || b == '\t') {
                if (pendingWhite == white.length) {
                  out.append(scratch, 0, n);
                  n = 0;
                  out.append(white, 0, pendingWhite);
                  pendingWhite = 0;
                }
                white[pendingWhite++] = b;
              } else if (b == '\r' || b == '\n') {
                pendingWhite = 0; // trailing white space is dropped
                scratch[n++] = b;
              } else if (b == '=') {
                n = flushWhite(scratch, n, white, pendingWhite);
                pendingWhite = 0;
                state = 1;
              } else {
                n = flushWhite(scratch, n, white, pendingWhite);
                pendingWhite = 0;
                scratch[n++] = b;
              }
              break;
            case 1:
              if (hex(b) >= 0) {
                firstHex = hex(b);
                state = 2;
              } else if (b == '\r') {
                state = 4;
              } else if (b == '\n') {
                state = 0;
              } else if (b == ' ' || b == '\t') {
                state = 3;
              } else {
                throw malformed(
                    info, "quoted-printable '=' followed by " + Text.describeByte(b), offset);
              }
              break;
            case 2:
              if (hex(b) < 0) {
                throw malformed(
                    info,
                    "quoted-printable '=' followed by a hex digit and " + Text.describeByte(b),
                    offset);
              }
              scratch[n++] = (byte) (firstHex << 4 | hex(b));
              state = 0;
              break;
            case 3:
              if (b == '\r') {
                state = 4;
              } else if (b == '\n') {
                state = 0;
              } else if (b != ' ' && b != '\t') {
                throw malformed(
                    info,
                    "quoted-printable '=' followed by white space and " + Text.describeByte(b),
                    offset);
              }
              break;
            default: // 4: '=' CR, expecting LF
              if (b != '\n') {
                throw malformed(
                    info,
                    "quoted-printable soft line break '=' CR followed by " + Text.describeByte(b),
                    offset);
              }
              state = 0;
              break;
          }
        }
      }
      if (state == 2) {
        throw malformed(info, "quoted-printable ends inside an '=XX' escape", offset);
      }
      // A final '=' (state 1), '= ' (3) or '=CR' (4) is a soft break at the end: nothing to write.
      n = flushWhite(scratch, n, white, pendingWhite);
      out.append(scratch, 0, n);
      return out.freeze(payload.kind());
    } finally {
      out.close();
    }
  }

  private static int flushWhite(byte[] scratch, int n, byte[] white, int count) {
    System.arraycopy(white, 0, scratch, n, count);
    return n + count;
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return -1;
  }

  private static MultipartException malformed(PartInfo info, String detail, long offset) {
    return MultipartException.at(
        MultipartFault.MALFORMED_ENCODING,
        detail
            + " at payload offset "
            + offset
            + " of part \""
            + Text.printable(info.name())
            + "\" ("
            + info.transferEncoding()
            + ")",
        MultipartException.UNKNOWN,
        info.index());
  }
}
