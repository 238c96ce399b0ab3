package io.axon.buffer.cli;

import static io.axon.buffer.cli.Cli.bytes;
import static io.axon.buffer.cli.Cli.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.cli.stream.StreamOptions;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve} on 127.0.0.1 for {@code GET /stream} tests, the offline chain they compare
 * with, and the audio they send: μ-law made by sox ({@code samples/hello-8k.ul}, see {@code
 * samples/README.md}) cut into 20 ms frames, binary or as Twilio media events. After each test no
 * call is open and no byte is live or borrowed.
 */
abstract class StreamServeSupport {

  static final int FRAME = 160; // 20 ms of 8 kHz μ-law

  @TempDir Path root;

  SlabBufferPool pool;
  IngestServer server;
  final HttpClient http = HttpClient.newHttpClient();

  /** A server whose calls may send this many times faster than real time. */
  IngestServer start(StreamOptions streams) throws IOException {
    pool = SlabBufferPool.builder().name("stream-test").hardLimit("tiny", 100).build();
    server =
        IngestServer.start(
            0,
            pool,
            MultipartOptions.builder().build(),
            null,
            ServeLimits.defaults().withThreads(2),
            streams,
            PartLine.Digest.SHA256);
    return server;
  }

  static StreamOptions fast() {
    return StreamOptions.defaults().withSpeedFactor(10_000);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      awaitCallsEnded();
      server.close();
      assertEquals(0, pool.snapshot().liveBytes(), "every call's memory went back to the pool");
      assertEquals(0, pool.snapshot().borrowedBytes(), "every adopted frame went back to Jetty");
      pool.close();
    }
  }

  void awaitCallsEnded() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.stream().openCalls() > 0 || pool.snapshot().liveBytes() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            server.stream().openCalls()
                + " calls still open, "
                + pool.snapshot().liveBytes()
                + " live bytes");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  static byte[] hello() {
    return bytes(sample("hello-8k.ul"));
  }

  /** What the transcoder chain gives for the whole input at once. */
  byte[] offline(byte[] input, String kind, int rate, String to, int toRate) {
    try (BufferMut m = pool.forTenant("offline").acquire(input.length)) {
      m.append(input);
      try (ZeroCopyBuffer in = m.freeze(BufferKind.of(kind));
          ZeroCopyBuffer out =
              Transcoders.global()
                  .transcode(
                      in,
                      BufferKind.of(to),
                      TranscodeOptions.none().withRate(rate).withChannels(1).withTargetRate(toRate),
                      pool.forTenant("offline"))) {
        return out.toByteArray();
      }
    }
  }

  static List<byte[]> frames(byte[] audio, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < audio.length; at += size) {
      out.add(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + size)));
    }
    return out;
  }

  /**
   * A Twilio Media Streams event stream for {@code mulaw}: connected, start, media…, mark, stop.
   */
  static List<String> twilio(byte[] mulaw, int rate) {
    List<String> events = new ArrayList<>();
    String sid = "MZ18ad3ab5a668481ce02b83e7395059f0";
    events.add("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    events.add(
        "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\","
            + "\"streamSid\":\""
            + sid
            + "\",\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],\"customParameters\":{},"
            + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":"
            + rate
            + ",\"channels\":1}},\"streamSid\":\""
            + sid
            + "\"}");
    int seq = 2;
    int chunk = 1;
    for (byte[] f : frames(mulaw, FRAME)) {
      events.add(
          "{\"event\":\"media\",\"sequenceNumber\":\""
              + seq++
              + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
              + chunk
              + "\",\"timestamp\":\""
              + (chunk++ * 20)
              + "\",\"payload\":\""
              + Base64.getEncoder().encodeToString(f)
              + "\"},\"streamSid\":\""
              + sid
              + "\"}");
    }
    events.add(
        "{\"event\":\"mark\",\"sequenceNumber\":\""
            + seq++
            + "\",\"streamSid\":\""
            + sid
            + "\",\"mark\":{\"name\":\"greeting\"}}");
    events.add(
        "{\"event\":\"stop\",\"sequenceNumber\":\""
            + seq
            + "\",\"streamSid\":\""
            + sid
            + "\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}");
    return events;
  }

  String get(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The value of the first sample of {@code name} in a Prometheus text scrape whose labels include
   * every {@code key="value"} of {@code labels} (in any order, as registries order them), or NaN
   * when there is none.
   */
  static double metric(String scrape, String name, String... labels) {
    for (String line : scrape.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      String set = close < 0 ? "" : line.substring(name.length() + 1, close);
      boolean all = true;
      for (String l : labels) {
        all &= ("," + set + ",").contains("," + l + ",");
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }
}
