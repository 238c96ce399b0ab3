package io.axon.buffer.netty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** A multipart/form-data body made for a test, with the name and sha256 of every part. */
final class MultipartBody {

  static final String BOUNDARY = "----axon-netty-test-7d1f0c";
  static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  /** A part as sent: its name and the sha256 of its payload. */
  record Sent(String name, int size, String sha256) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Sent> parts = new ArrayList<>();

  MultipartBody file(String name, byte[] payload) {
    write(
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + name
            + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    out.write(payload, 0, payload.length);
    write("\r\n");
    parts.add(new Sent(name, payload.length, sha256(payload)));
    return this;
  }

  MultipartBody field(String name, String value) {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
    out.write(v, 0, v.length);
    write("\r\n");
    parts.add(new Sent(name, v.length, sha256(v)));
    return this;
  }

  /** The body with its close delimiter. */
  byte[] bytes() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(out.toByteArray());
    all.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return all.toByteArray();
  }

  List<Sent> parts() {
    return parts;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private void write(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
