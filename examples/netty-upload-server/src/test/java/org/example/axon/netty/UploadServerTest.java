package org.example.axon.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example server, run as a user runs it: an upload and WebSocket audio over 127.0.0.1. */
class UploadServerTest {

  private static final String BOUNDARY = "example-boundary-42";

  @Test
  void anUploadAndAudioAreTakenPrintedAndReleased() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (UploadServer server = UploadServer.start(0, log)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      byte[] photo = new byte[200_000];
      new java.util.Random(1).nextBytes(photo);
      String head =
          "--"
              + BOUNDARY
              + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.bin\"\r\n\r\n";
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
      body.writeBytes(photo);
      body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                  .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                  .header("X-Tenant", "acme")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().startsWith("stored 1 parts"), r.body());

      CompletableFuture<String> ack = new CompletableFuture<>();
      WebSocket ws =
          client
              .newWebSocketBuilder()
              .header("X-Tenant", "caller-1")
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/audio"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      ack.complete(data.toString());
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      ws.sendBinary(ByteBuffer.wrap(new byte[3200]), true).get(10, TimeUnit.SECONDS);
      assertEquals("received 3200 bytes", ack.get(10, TimeUnit.SECONDS));
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

      HttpResponse<String> tenants =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tenants"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, tenants.statusCode());
      assertTrue(tenants.body().startsWith("live bytes by tenant: "), tenants.body());

      long deadline = System.nanoTime() + 10_000_000_000L;
      while (server.pool().snapshot().liveBytes() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, server.pool().snapshot().liveBytes(), "every part and message released");
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("part acme: photo (p.bin) "), out);
    assertTrue(out.contains("audio caller-1: 3200 bytes (1600 samples)"), out);
  }
}
