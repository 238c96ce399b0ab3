package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.cli.stream.LatencyHistogram;
import io.axon.buffer.cli.stream.StreamOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 50 concurrent calls of four tenants, half binary and half Twilio JSON, each sending 20 ms of
 * μ-law every 20 ms (real time, under serve's default speed limit) for {@code
 * -Daxon.stream.soakSeconds} seconds (2 by default, so that {@code verify} stays short; the issue's
 * 30 s is {@code -Daxon.stream.soakSeconds=30}). Every call's echo equals the offline chain over
 * what it sent; at the end no call is open and no byte is live. The latency of a frame (arrival to
 * output handed to the sinks) is printed and written to {@code target/stream-soak.txt}: a report,
 * never asserted.
 */
class StreamSoakTest extends StreamServeSupport {

  static final int CALLS = 50;
  static final int TENANTS = 4;

  @Test
  void fiftyRealTimeCallsOfFourTenantsEndWithNothingLive() throws Exception {
    int seconds = Integer.getInteger("axon.stream.soakSeconds", 2);
    start(StreamOptions.defaults());
    byte[] ul = hello();
    List<byte[]> frames = frames(ul, FRAME);
    String start = twilio(ul, 8000).get(1);
    String stop = twilio(ul, 8000).get(twilio(ul, 8000).size() - 1);
    int total = seconds * 50;

    List<StreamClient> clients = new ArrayList<>();
    List<ByteArrayOutputStream> sent = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      boolean json = i % 2 == 1;
      StreamClient c =
          StreamClient.open(http, server.port(), "toRate=16000", "tenant-" + (i % TENANTS));
      if (json) {
        c.text(start, true);
      }
      clients.add(c);
      sent.add(new ByteArrayOutputStream());
    }
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    int[] tick = {0};
    long began = System.nanoTime();
    var task =
        clock.scheduleAtFixedRate(
            () -> {
              int t = tick[0]++;
              if (t >= total) {
                return;
              }
              byte[] f = frames.get(t % frames.size());
              for (int i = 0; i < CALLS; i++) {
                sent.get(i).writeBytes(f);
                if (i % 2 == 1) {
                  clients
                      .get(i)
                      .text(
                          "{\"event\":\"media\",\"media\":{\"payload\":\""
                              + Base64.getEncoder().encodeToString(f)
                              + "\"}}",
                          true);
                } else {
                  clients.get(i).binary(f, true);
                }
              }
            },
            0,
            20,
            TimeUnit.MILLISECONDS);
    Thread.sleep(seconds * 1000L / 2);
    int openMidway = server.stream().openCalls();
    while (tick[0] < total) {
      Thread.sleep(20);
    }
    task.cancel(false);
    clock.shutdown();
    clock.awaitTermination(10, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - began) / 1e9;
    for (int i = 0; i < CALLS; i++) {
      if (i % 2 == 1) {
        clients.get(i).text(stop, true);
      } else {
        clients.get(i).close();
      }
    }
    for (int i = 0; i < CALLS; i++) {
      StreamClient.Closed closed = clients.get(i).awaitClose();
      assertEquals(1000, closed.code(), "call " + i + ": " + closed.reason());
    }
    assertEquals(CALLS, openMidway, "every call open halfway");
    awaitCallsEnded();
    assertEquals(0, server.stream().liveBytes());
    for (int i = 0; i < CALLS; i++) {
      assertArrayEquals(
          offline(sent.get(i).toByteArray(), "mulaw8", 8000, "pcm16", 16000),
          clients.get(i).received(),
          "call " + i);
    }
    LatencyHistogram h = server.stream().latency();
    String report =
        String.format(
            java.util.Locale.ROOT,
            "stream soak: %d calls (%d tenants, half binary, half JSON), %d s of 20 ms frames each"
                + " in %.1f s; %d frames; arrival-to-sink latency p50 %.1f us, p99 %.1f us,"
                + " p99.9 %.1f us (within 12.5%%); load average %s%n",
            CALLS,
            TENANTS,
            seconds,
            elapsed,
            h.count(),
            h.quantile(0.5) / 1e3,
            h.quantile(0.99) / 1e3,
            h.quantile(0.999) / 1e3,
            Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.print(report);
    try {
      Files.writeString(
          Path.of("target", "stream-soak.txt"),
          report,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the report is also on stdout
    }
  }
}
