package io.axon.buffer.it;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A multipart/form-data request body built from parts, sent by {@link java.net.http.HttpClient} as
 * a stream of unknown length, that is with {@code Transfer-Encoding: chunked}, in pieces of uneven
 * sizes so that delimiters fall anywhere.
 */
final class UploadBody {

  /** One part as sent, with what the server must report for it. */
  record Expected(String field, String filename, String contentType, int size, String sha256) {}

  private final String boundary;
  private final List<byte[]> pieces = new ArrayList<>();
  private final List<Expected> expected = new ArrayList<>();

  UploadBody(String boundary) {
    this.boundary = boundary;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** A file part ({@code contentType} may be null: no Content-Type header). */
  UploadBody file(String field, String filename, String contentType, byte[] content) {
    StringBuilder head =
        new StringBuilder("--")
            .append(boundary)
            .append("\r\n")
            .append("Content-Disposition: form-data; name=\"")
            .append(field)
            .append('"');
    if (filename != null) {
      head.append("; filename=\"").append(filename).append('"');
    }
    head.append("\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    head.append("\r\n");
    pieces.add(head.toString().getBytes(StandardCharsets.UTF_8));
    pieces.add(content);
    pieces.add("\r\n".getBytes(StandardCharsets.US_ASCII));
    expected.add(new Expected(field, filename, contentType, content.length, ItEnv.sha256(content)));
    return this;
  }

  /** A plain form field. */
  UploadBody field(String name, String value) {
    return file(name, null, null, value.getBytes(StandardCharsets.UTF_8));
  }

  List<Expected> expected() {
    return List.copyOf(expected);
  }

  /** The body, closed with the close delimiter or not. */
  private byte[] bytes(boolean closed) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    pieces.forEach(out::writeBytes);
    if (closed) {
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** The body as a publisher of unknown length: sent chunked, read in uneven pieces. */
  HttpRequest.BodyPublisher chunked(long seed) {
    return streamed(bytes(true), seed);
  }

  /** The body without its close delimiter, cut in the last part: a truncated upload. */
  HttpRequest.BodyPublisher truncated(long seed) {
    byte[] all = bytes(false);
    return streamed(java.util.Arrays.copyOf(all, all.length - 7), seed);
  }

  private static HttpRequest.BodyPublisher streamed(byte[] body, long seed) {
    return HttpRequest.BodyPublishers.ofInputStream(() -> new UnevenStream(body, new Random(seed)));
  }

  /** Deterministic pseudo-random content. */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Hands out the body in reads of 1 byte to 64 KiB. */
  private static final class UnevenStream extends InputStream {
    private final byte[] data;
    private final Random random;
    private int at;

    UnevenStream(byte[] data, Random random) {
      this.data = data;
      this.random = random;
    }

    @Override
    public int read() {
      return at < data.length ? data[at++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= data.length) {
        return -1;
      }
      int want = random.nextInt(8) == 0 ? 1 + random.nextInt(16) : 1 + random.nextInt(64 * 1024);
      int n = Math.min(Math.min(len, want), data.length - at);
      System.arraycopy(data, at, b, off, n);
      at += n;
      return n;
    }
  }
}
