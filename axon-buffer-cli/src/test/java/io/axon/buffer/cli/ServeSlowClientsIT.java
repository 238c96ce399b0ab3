package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients against a real {@code serve}: a head that trickles, a body that
 * trickles, a client that never reads its answers, tenants invented to squat the tenant slots, and
 * many slow clients at once while honest requests go on.
 *
 * <p>No timing is asserted beyond coarse liveness bounds (seconds, several times what is expected
 * on an idle machine): the measured figures (1,000 slow connections, the delay they add to {@code
 * /metrics} and to a 20 MiB upload) come from {@code axon-buffer-bench}'s {@code
 * SlowClientsHarness}, recorded in RESULTS.md.
 */
class ServeSlowClientsIT {

  static final String BOUNDARY = ServeHttpIT.BOUNDARY;
  static final String MULTIPART = ServeHttpIT.MULTIPART;

  static String partHead() {
    return "--"
        + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n";
  }

  @Test
  void aHeadSentAByteAtATimeIsClosedByTheHeaderTimeout() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--header-timeout", "2s")) {
      try (RawHttp raw = new RawHttp(serve.port)) {
        String head = "GET /kinds HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200);
        boolean closed = false;
        long start = System.nanoTime();
        try {
          for (int i = 0; i < head.length() && !closed; i++) {
            raw.send(head.substring(i, i + 1));
            Thread.sleep(100);
            closed = raw.readUntilClosed(1);
          }
        } catch (IOException e) {
          closed = true; // the write met the closed connection
        }
        closed = closed || raw.readUntilClosed(10_000);
        assertTrue(closed, "the connection was closed");
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "closed within 15 s");
        assertEquals(-1, RawHttp.status(raw.received()), "no request was served");
      }
      String metrics = serve.metrics();
      assertTrue(
          ServeProcess.metric(
                  metrics, "axon_buffer_serve_slow_clients_closed_total{phase=\"head\"}")
              >= 1,
          metrics);
    }
  }

  @Test
  void aBodySentAByteAtATimeIsCutByTheMinimumRateAndHoldsLittleMemory() throws Exception {
    try (ServeProcess serve =
        ServeProcess.start("--min-request-rate", "10k", "--min-rate-grace", "2s")) {
      List<RawHttp> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          RawHttp raw = new RawHttp(serve.port);
          raw.send(ServeHttpIT.head("slow-" + i, MULTIPART, 10_000_000, false)).send(partHead());
          slow.add(raw);
        }
        long peakLive = 0;
        for (int second = 0; second < 30; second++) {
          boolean anyOpen = false;
          for (RawHttp raw : slow) {
            try {
              raw.send(new byte[] {'x'});
              anyOpen |= !raw.readUntilClosed(1);
            } catch (IOException e) {
              // closed by the server
            }
          }
          peakLive =
              Math.max(
                  peakLive, ServeProcess.metric(serve.metrics(), "axon_buffer_pool_live_bytes"));
          if (!anyOpen) {
            break;
          }
          Thread.sleep(1000);
        }
        for (RawHttp raw : slow) {
          assertTrue(raw.readUntilClosed(10_000), "closed: " + raw.received());
          assertEquals(408, RawHttp.status(raw.received()), raw.received());
          assertTrue(raw.received().contains("--min-request-rate"), raw.received());
        }
        // What eight bodies of a few bytes each can hold: one first piece of their part each.
        assertTrue(peakLive <= 8L * 64 * 1024, "peak live bytes " + peakLive);
        String metrics = serve.metrics();
        assertEquals(
            8,
            ServeProcess.metric(
                metrics, "axon_buffer_serve_slow_clients_closed_total{phase=\"body\"}"),
            metrics);
      } finally {
        for (RawHttp raw : slow) {
          raw.close();
        }
      }
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }

  @Test
  void aClientThatNeverReadsItsAnswersIsClosedByTheWriteTimeout() throws Exception {
    try (ServeProcess serve = ServeProcess.start("--write-timeout", "2s")) {
      // Pipelined requests whose answers nobody reads, through a tiny receive window: the server's
      // writes stall until the write timeout closes the connection.
      int requests = 20_000;
      try (RawHttp raw = new RawHttp(serve.port, 4096)) {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < requests; i++) {
          pipeline.append("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        Thread writer =
            new Thread(
                () -> {
                  try {
                    raw.send(pipeline.toString());
                  } catch (IOException e) {
                    // closed by the server
                  }
                });
        writer.start();
        Thread.sleep(6000); // read nothing for three write timeouts
        assertTrue(raw.readUntilClosed(30_000), "the server closed the connection");
        int answered = raw.received().split("HTTP/1.1 200 OK", -1).length - 1;
        assertTrue(answered < requests, answered + " answers of " + requests);
        writer.join(10_000);
      }
      assertEquals(
          200, serve.send(HttpRequest.newBuilder(serve.uri("/kinds")).build()).statusCode());
    }
  }

  @Test
  void inventedTenantsCannotSquatTheTenantSlots() throws Exception {
    try (ServeProcess serve =
        ServeProcess.start("--max-tenants", "3", "--tenant-idle-timeout", "1s")) {
      // A thousand requests naming new tenants, refused or without a body, take no slot.
      for (int i = 0; i < 1000; i++) {
        try (RawHttp raw = new RawHttp(serve.port)) {
          String contentType = i % 2 == 0 ? MULTIPART : "text/plain";
          raw.send(ServeHttpIT.head("squatter-" + i, contentType, 0, false));
          int status = RawHttp.status(raw.readUntil("}\n", 10_000));
          assertTrue(status == 400 || status == 415, raw.received());
        }
      }
      byte[] body = ServeHttpIT.body(new byte[1000]);
      for (String tenant : List.of("a", "b", "c")) {
        assertEquals(200, upload(serve, tenant, body).statusCode());
      }
      HttpResponse<String> fourth = upload(serve, "d", body);
      assertEquals(429, fourth.statusCode(), fourth.body());
      assertEquals("TooManyTenants", JsonReader.object(fourth.body()).get("error"));
      String metrics = serve.metrics();
      assertTrue(
          Scrape.of(metrics).has("axon_buffer_tenant_live_bytes", "tenant", "a"),
          "a is listed while it holds its slot: " + metrics);
      assertTrue(!metrics.contains("squatter"), "squatters have no series");

      // Idle past the timeout, with nothing live, the three give their slots back.
      HttpResponse<String> later = null;
      for (int i = 0; i < 50; i++) {
        Thread.sleep(200);
        later = upload(serve, "d", body);
        if (later.statusCode() == 200) {
          break;
        }
      }
      assertEquals(200, later.statusCode(), later.body());
      metrics = serve.metrics();
      assertTrue(!metrics.contains("tenant=\"a\""), "a's series left with its slot: " + metrics);
    }
  }

  @Test
  void manySlowClientsDoNotStopMetricsOrAnHonestUploadAndAreAllClosed() throws Exception {
    // A coarse liveness check (no timing measured here; see SlowClientsHarness for the figures).
    try (ServeProcess serve =
        ServeProcess.start(
            List.of("-Xmx128m", "-XX:MaxDirectMemorySize=256m"),
            List.of("--header-timeout", "3s", "--min-request-rate", "1k", "--min-rate-grace", "3s"),
            java.util.Map.of())) {
      List<RawHttp> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          RawHttp raw = new RawHttp(serve.port);
          if (i % 2 == 0) {
            raw.send("POST /upload HTTP/1.1\r\nHost: x\r\n");
          } else {
            raw.send(ServeHttpIT.head("slow", MULTIPART, 10_000_000, false)).send(partHead());
          }
          slow.add(raw);
        }
        byte[] content = new byte[20 << 20];
        new Random(5).nextBytes(content);
        byte[] body = ServeHttpIT.body(content);
        for (int round = 0; round < 3; round++) {
          for (RawHttp raw : slow) {
            try {
              raw.send(round % 2 == 0 ? "X" : "-");
            } catch (IOException e) {
              // already closed
            }
          }
          long t0 = System.nanoTime();
          assertEquals(
              200,
              serve
                  .send(
                      HttpRequest.newBuilder(serve.uri("/metrics"))
                          .timeout(Duration.ofSeconds(10))
                          .build())
                  .statusCode());
          HttpResponse<String> r = upload(serve, "honest", body);
          assertEquals(200, r.statusCode(), r.body());
          assertTrue(r.body().contains(Cli.sha256(content)), r.body());
          assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "answered within 30 s");
          Thread.sleep(1000);
        }
        for (RawHttp raw : slow) {
          assertTrue(raw.readUntilClosed(30_000), "every slow client is closed");
        }
      } finally {
        for (RawHttp raw : slow) {
          raw.close();
        }
      }
      assertEquals(0, serve.awaitNoLiveBytes());
    }
  }

  static HttpResponse<String> upload(ServeProcess serve, String tenant, byte[] body)
      throws IOException, InterruptedException {
    return serve.send(
        HttpRequest.newBuilder(serve.uri("/upload"))
            .timeout(Duration.ofSeconds(60))
            .header("X-Tenant", tenant)
            .header("Content-Type", MULTIPART)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }
}
