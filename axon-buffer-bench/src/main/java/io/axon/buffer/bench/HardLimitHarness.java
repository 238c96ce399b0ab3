package io.axon.buffer.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The largest part {@code serve --tenant-hard-limit L} accepts, for L = 1, 10 and 64 MiB: a binary
 * search over single-part uploads (each by a tenant of its own, streamed, nothing else running),
 * and whether a 1,000,000-byte part passes. The README's table of hard limits comes from it.
 *
 * <pre>
 * java -cp axon-buffer-bench/target/axon-buffer-bench-0.1.0-SNAPSHOT-benchmarks.jar \
 *     io.axon.buffer.bench.HardLimitHarness axon-buffer-cli/target/axon-buffer.jar
 * </pre>
 */
public final class HardLimitHarness {

  private static final String BOUNDARY = "limits-0b7e";
  private static int tenants;

  private HardLimitHarness() {}

  /**
   * Prints one Markdown row per limit.
   *
   * @param args the serve JAR
   * @throws Exception if the server fails
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "axon-buffer-cli/target/axon-buffer.jar");
    System.out.println("| --tenant-hard-limit | largest part accepted | 1,000,000-byte part |");
    System.out.println("|---|---|---|");
    for (long limit : new long[] {1L << 20, 10L << 20, 64L << 20}) {
      try (ServeProcesses serve =
          ServeProcesses.serve(
              jar, "--max-part", "256m", "--tenant-hard-limit", Long.toString(limit))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + serve.port + "/upload");
        long accepted = 0;
        long refused = limit + 1;
        while (refused - accepted > 1) {
          long mid = (accepted + refused) / 2;
          if (status(http, uri, mid) == 200) {
            accepted = mid;
          } else {
            refused = mid;
          }
        }
        System.out.printf(
            "| %d MiB | %,d bytes (%.1f%% of the limit) | %d |%n",
            limit >> 20, accepted, 100.0 * accepted / limit, status(http, uri, 1_000_000));
      }
    }
  }

  private static int status(HttpClient http, URI uri, long size) throws Exception {
    byte[] head =
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.ofInputStream(
            () ->
                new SequenceInputStream(
                    Collections.enumeration(
                        List.of(
                            new ByteArrayInputStream(head),
                            new Zeros(size),
                            new ByteArrayInputStream(tail)))));
    return http.send(
            HttpRequest.newBuilder(uri)
                .header("X-Tenant", "t" + tenants++)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** {@code size} zero bytes, made as they are read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
