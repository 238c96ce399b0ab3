package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of {@code serve} against a real process: refusals before the body with {@code
 * Expect: 100-continue} (no {@code 100} sent, the client sends no body), the bounded drain without
 * it, malformed HTTP (400 or a close, never a 500, no stack trace in the log, no server path in an
 * answer), and uploads over cleartext HTTP/2, prior knowledge (Jetty's HTTP/2 client) and upgrade
 * (the JDK's client).
 */
class ServeHttpIT {

  static final String BOUNDARY = "http-it-5a1c";

  static byte[] body(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static String head(String tenant, String contentType, long length, boolean expect) {
    return "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant: "
        + tenant
        + "\r\nContent-Type: "
        + contentType
        + "\r\nContent-Length: "
        + length
        + "\r\n"
        + (expect ? "Expect: 100-continue\r\n" : "")
        + "\r\n";
  }

  static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;

  /**
   * Sends a head announcing {@code length} bytes with {@code Expect: 100-continue}, as a client
   * that sends its body only after a {@code 100 Continue} would, and returns what the server
   * answered before closing the connection (the client having sent no body byte).
   */
  static String expectingUpload(int port, String tenant, String contentType, long length)
      throws IOException {
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(head(tenant, contentType, length, true));
      assertTrue(raw.readUntilClosed(10_000), "the server closes: " + raw.received());
      assertFalse(raw.received().contains("100 Continue"), raw.received());
      return raw.received();
    }
  }

  @Test
  void refusalsWithExpectContinueAreAnsweredBeforeTheBodyAndTheClientSendsNone() throws Exception {
    try (ServeProcess serve =
        ServeProcess.start(
            "--max-part", "1m", "--max-tenants", "1", "--tenant-hard-limit", "64k")) {
      // The only tenant slot goes to "first"; the hard-limit case gets its own server below.
      assertEquals(
          200,
          serve
              .send(
                  HttpRequest.newBuilder(serve.uri("/upload"))
                      .header("X-Tenant", "first")
                      .header("Content-Type", MULTIPART)
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body(new byte[100])))
                      .build())
              .statusCode());

      // (The JDK 17 HttpClient's expectContinue(true) waits forever for a 100 that a refusal
      // never sends, JDK-8286171; the raw client below sends its body only after a 100.)
      Object[][] cases = {
        {"first", "text/plain", 10_000_000L, 415},
        {"t".repeat(200), MULTIPART, 10_000_000L, 400},
        {"first", MULTIPART, 1L << 40, 413},
        {"second", MULTIPART, 10_000_000L, 429},
      };
      for (Object[] c : cases) {
        String answer = expectingUpload(serve.port, (String) c[0], (String) c[1], (Long) c[2]);
        assertEquals(c[3], RawHttp.status(answer), answer);
        assertTrue(answer.contains("\"error\""), answer);
      }
    }
  }

  @Test
  void aTenantAtItsHardLimitIsRefusedBeforeItsNextBody() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--tenant-hard-limit", "64k")) {
      try (RawHttp hog = new RawHttp(serve.port)) {
        // 64 KiB of a part, then nothing: the part's sixteen 4 KiB slabs stay billed to "hog".
        String partHead =
            "--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n";
        hog.send(head("hog", MULTIPART, 1_000_000, false)).send(partHead).send(new byte[65_536]);
        long live = 0;
        for (int i = 0; i < 100 && live < 65536; i++) {
          Thread.sleep(100);
          live =
              ServeProcess.metric(serve.metrics(), "axon_buffer_tenant_live_bytes{tenant=\"hog\"}");
        }
        assertTrue(live >= 65536, "hog holds its hard limit: " + live);
        String answer = expectingUpload(serve.port, "hog", MULTIPART, 10_000);
        assertEquals(429, RawHttp.status(answer), answer);
        assertTrue(answer.contains("TENANT_LIMIT_EXCEEDED"), answer);
      }
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }

  @Test
  void aOneMebibyteHardLimitAcceptsAMillionBytePartAndCapsThePartSize() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--tenant-hard-limit", "1m")) {
      byte[] million = new byte[1_000_000];
      new java.util.Random(11).nextBytes(million);
      HttpResponse<String> ok = ServeSlowClientsIT.upload(serve, "metered", body(million));
      assertEquals(200, ok.statusCode(), ok.body());
      assertTrue(ok.body().contains(Cli.sha256(million)), ok.body());
      assertTrue(ok.body().contains("\"size\":1000000"), ok.body());

      // The part limit is the hard limit when smaller than --max-part: a larger part is a 413.
      HttpResponse<String> over =
          ServeSlowClientsIT.upload(serve, "metered", body(new byte[(1 << 20) + 1]));
      assertEquals(413, over.statusCode(), over.body());
      assertTrue(over.body().contains("PART_BYTES"), over.body());
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }

  @Test
  void anAcceptedExpectGets100ContinueThenTheUploadIsServed() throws Exception {
    try (ServeProcess serve = ServeProcess.start()) {
      byte[] content = new byte[200_000];
      new Random(3).nextBytes(content);
      byte[] body = body(content);
      try (RawHttp raw = new RawHttp(serve.port)) {
        raw.send(head("acme", MULTIPART, body.length, true));
        assertTrue(raw.readUntil("\r\n\r\n", 10_000).startsWith("HTTP/1.1 100 Continue\r\n"));
        raw.send(body);
        String answer = raw.readUntil("\"sha256\"", 10_000);
        assertTrue(answer.contains("HTTP/1.1 200 OK"), answer);
        assertTrue(answer.contains("\"size\":" + content.length), answer);
      }
    }
  }

  @Test
  void withoutExpectARefusalReadsABoundedAmountOfTheBodyThenCloses() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--drain-limit", "64k")) {
      // A small refused body is read to its end: the connection stays usable.
      try (RawHttp raw = new RawHttp(serve.port)) {
        raw.send(head("acme", "text/plain", 1000, false)).send(new byte[1000]);
        assertEquals(415, RawHttp.status(raw.readUntil("}\n", 10_000)), raw.received());
        raw.send("GET /kinds HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(raw.readUntil("\"jpeg\"", 10_000).contains("HTTP/1.1 200"), raw.received());
      }
      // A large one: answered after at most the drain limit, then the connection is closed. What
      // the client manages to write is that plus what the two kernels buffer, far from the body.
      long announced = 256L << 20;
      try (RawHttp raw = new RawHttp(serve.port)) {
        raw.socket.setSendBufferSize(64 * 1024);
        raw.send(head("acme", "text/plain", announced, false));
        AtomicLong written = new AtomicLong();
        Thread writer =
            new Thread(
                () -> {
                  try {
                    OutputStream out = raw.socket.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    while (written.get() < announced) {
                      out.write(chunk);
                      written.addAndGet(chunk.length);
                    }
                  } catch (IOException e) {
                    // the server closed the connection
                  }
                });
        writer.start();
        assertTrue(raw.readUntilClosed(20_000), "the server closes the connection");
        writer.join(20_000);
        assertFalse(writer.isAlive());
        assertEquals(415, RawHttp.status(raw.received()), raw.received());
        assertTrue(raw.received().contains("Connection: close"), raw.received());
        assertTrue(
            written.get() < 64L << 20,
            "the client could write " + written.get() + " bytes of " + announced);
      }
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }

  @Test
  void malformedHttpGetsA400OrACloseNeverA500NorAStackTrace() throws Exception {
    try (ServeProcess serve = ServeProcess.start()) {
      String post = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + MULTIPART + "\r\n";
      List<String> attacks =
          List.of(
              post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
              post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
              post + "Transfer-Encoding: chunked\r\n\r\n5\r\nabc\r\n0\r\n\r\n",
              post
                  + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
              post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
              post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
              post + "Content-Length: -1\r\n\r\n",
              post + "Content-Length: 99999999999999999999999\r\n\r\n",
              post + "X-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
              "GET /kinds\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
              "GET /kinds HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
              "\u0001\u0002\u0003 garbage\r\n\r\n",
              "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
      for (String attack : attacks) {
        try (RawHttp raw = new RawHttp(serve.port)) {
          raw.send(attack);
          assertTrue(raw.readUntilClosed(15_000), "closed after " + shown(attack));
          String answer = raw.received();
          int status = RawHttp.status(answer);
          assertTrue(
              status == -1 || status >= 400 && status < 500, shown(attack) + " -> " + answer);
          assertFalse(answer.contains("/work") || answer.contains(".java"), answer);
        }
      }
      assertEquals(
          200, serve.send(HttpRequest.newBuilder(serve.uri("/kinds")).build()).statusCode());
      String log = serve.stderr();
      assertFalse(log.contains("\tat ") || log.contains("Exception"), log);
    }
  }

  private static String shown(String attack) {
    return attack.length() > 120 ? attack.substring(0, 120) + "..." : attack;
  }

  @Test
  void uploadsOverCleartextHttp2PriorKnowledgeAndUpgrade() throws Exception {
    try (ServeProcess serve = ServeProcess.start()) {
      byte[] content = new byte[3 << 20];
      new Random(11).nextBytes(content);
      String digest = Cli.sha256(content);

      org.eclipse.jetty.client.HttpClient jetty =
          new org.eclipse.jetty.client.HttpClient(
              new HttpClientTransportOverHTTP2(new HTTP2Client()));
      jetty.start();
      try {
        ContentResponse r =
            jetty
                .newRequest(serve.uri("/upload"))
                .method("POST")
                .headers(h -> h.put("X-Tenant", "h2"))
                .body(new BytesRequestContent(MULTIPART, body(content)))
                .timeout(60, java.util.concurrent.TimeUnit.SECONDS)
                .send();
        assertEquals(HttpVersion.HTTP_2, r.getVersion());
        assertEquals(200, r.getStatus(), r.getContentAsString());
        Map<?, ?> part =
            (Map<?, ?>) ((List<?>) JsonReader.object(r.getContentAsString()).get("parts")).get(0);
        assertEquals(digest, part.get("sha256"));
      } finally {
        jetty.stop();
      }

      HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> kinds =
          jdk.send(
              HttpRequest.newBuilder(serve.uri("/kinds")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_2, kinds.version(), "upgraded with h2c");
      HttpResponse<String> r =
          jdk.send(
              HttpRequest.newBuilder(serve.uri("/upload"))
                  .header("X-Tenant", "h2")
                  .header("Content-Type", MULTIPART)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body(content)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains(digest), r.body());
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }
}
