package io.axon.buffer.spring;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Multipart bodies made for the tests, byte by byte (the corpus holds the real clients' ones). */
final class Bodies {

  static final String BOUNDARY = "axon-test-boundary-7f3a";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A form value. */
  Bodies field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
    bytes(value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** A file part. */
  Bodies file(String name, String filename, String contentType, byte[] content) {
    head(
        "Content-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: "
            + contentType
            + "\r\n");
    bytes(content);
    return this;
  }

  /** Raw bytes as they are (to break the body on purpose). */
  Bodies raw(String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  /** The body with its close delimiter. */
  byte[] end() {
    raw("--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  /** The body so far, without a close delimiter (a truncated body). */
  byte[] truncated() {
    return out.toByteArray();
  }

  private void head(String headers) {
    raw("--" + BOUNDARY + "\r\n" + headers + "\r\n");
  }

  /** A part's content and the line break that ends it. */
  private void bytes(byte[] b) {
    out.writeBytes(b);
    out.writeBytes(new byte[] {'\r', '\n'});
  }

  /** {@code n} random bytes (fixed seed). */
  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A minimal PNG signature and IHDR, enough for the PNG sniffer, padded to {@code n} bytes. */
  static byte[] png(int n) {
    byte[] b = new byte[Math.max(n, 33)];
    byte[] head = {
      (byte) 0x89,
      'P',
      'N',
      'G',
      '\r',
      '\n',
      0x1a,
      '\n',
      0,
      0,
      0,
      13,
      'I',
      'H',
      'D',
      'R',
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      1,
      8,
      2,
      0,
      0,
      0
    };
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }
}
