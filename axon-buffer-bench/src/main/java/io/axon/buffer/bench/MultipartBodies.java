package io.axon.buffer.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The multipart bodies the ingest benchmarks parse, made the way curl makes them. */
final class MultipartBodies {

  static final String BOUNDARY = "------------------------e5b3560d7cb151eb";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  private MultipartBodies() {}

  /**
   * The body named {@code kind}: {@code file1m} (one 1 MiB file of random bytes), {@code file100m}
   * (one 100 MiB file of random bytes), {@code fields100} (100 small text fields), {@code dashes1m}
   * (one 1 MiB part of '-', the hostile case), {@code crlf1m} (1 MiB of CR LF pairs), {@code
   * nearBoundary1m} (1 MiB of lines that are the delimiter but for its last byte).
   */
  static byte[] body(String kind) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (kind) {
      case "file1m":
        file(out, "big", "binary1m.bin", random(1 << 20));
        break;
      case "file100m":
        file(out, "huge", "binary100m.bin", random(100 << 20));
        break;
      case "fields100":
        Random r = new Random(100);
        for (int i = 0; i < 100; i++) {
          write(
              out,
              "--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"field"
                  + i
                  + "\"\r\n\r\n"
                  + "value ".repeat(1 + r.nextInt(12))
                  + i
                  + "\r\n");
        }
        break;
      case "dashes1m":
        {
          byte[] dashes = new byte[1 << 20];
          Arrays.fill(dashes, (byte) '-');
          file(out, "dashes", "dashes.bin", dashes);
          break;
        }
      case "crlf1m":
        {
          byte[] crlf = new byte[1 << 20];
          for (int i = 0; i < crlf.length; i += 2) {
            crlf[i] = '\r';
            crlf[i + 1] = '\n';
          }
          file(out, "crlf", "crlf.bin", crlf);
          break;
        }
      case "nearBoundary1m":
        {
          byte[] line =
              ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "x")
                  .getBytes(StandardCharsets.ISO_8859_1);
          byte[] near = new byte[1 << 20];
          for (int i = 0; i < near.length; i++) {
            near[i] = line[i % line.length];
          }
          file(out, "near", "near.bin", near);
          break;
        }
      case "crlfDashes1m":
        file(out, "cd", "cd.bin", repeat("\r\n--", 1 << 20));
        break;
      case "midMismatch1m":
        {
          String line = "\r\n--" + BOUNDARY;
          int mid = line.length() / 2;
          file(
              out,
              "mm",
              "mm.bin",
              repeat(line.substring(0, mid) + "#" + line.substring(mid + 1), 1 << 20));
          break;
        }
      default:
        throw new IllegalArgumentException("unknown body " + kind);
    }
    write(out, "--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private static void file(
      ByteArrayOutputStream out, String name, String filename, byte[] content) {
    write(
        out,
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    out.write(content, 0, content.length);
    write(out, "\r\n");
  }

  private static byte[] repeat(String unit, int n) {
    byte[] u = unit.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = u[i % u.length];
    }
    return out;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  /** {@code body} cut into heap buffers of {@code chunk} bytes. */
  static List<ByteBuffer> chunks(byte[] body, int chunk) {
    List<ByteBuffer> out = new ArrayList<>();
    for (int at = 0; at < body.length; at += chunk) {
      out.add(ByteBuffer.wrap(Arrays.copyOfRange(body, at, Math.min(body.length, at + chunk))));
    }
    return out;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(b, 0, b.length);
  }
}
