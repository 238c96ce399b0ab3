package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketMessageHandler} behind Netty's {@link WebSocketServerProtocolHandler} on a real
 * server, driven by the JDK's WebSocket client: every binary message, whole or fragmented, arrives
 * as one view with the sha256 of what was sent, billed to the connection's tenant; faults close
 * with their code; the pool's live bytes come back to 0.
 */
class WebSocketServerTest {

  private static final int MAX_MESSAGE = 1_500_000;

  private SlabBufferPool pool;
  private TestServer server;

  /** Kinds seen by the listener (one per message). */
  private final List<String> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The tenant's borrowed bytes when each message arrived (adopted Netty memory). */
  private final List<Long> borrowed = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      TestPools.awaitNoLiveBytes(pool, "the test");
      pool.close();
    }
  }

  private void start(SlabBufferPool pool) throws Exception {
    this.pool = pool;
    WebSocketMessageConfig config =
        WebSocketMessageConfig.builder(pool)
            .maxMessageBytes(MAX_MESSAGE)
            .messageKind(BufferKind.of("pcm16"))
            .build();
    server =
        new TestServer(
            ch ->
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(1 << 16))
                    .addLast(new WebSocketServerProtocolHandler("/ws", null, false, 4 << 20))
                    .addLast(new WebSocketMessageHandler(config, this::answer))
                    .addLast(new TextEcho()));
  }

  /** The listener: answers each message with "length sha256 tenant" and closes it. */
  private void answer(ChannelHandlerContext ctx, ZeroCopyBuffer message) {
    try (message) {
      kinds.add(message.kind().slug());
      borrowed.add(pool.snapshot().borrowedBytesByTenant().getOrDefault("caller-7", 0L));
      ctx.writeAndFlush(
          new TextWebSocketFrame(
              message.length() + " " + message.sha256Hex() + " " + message.tenant().orElse("-")));
    }
  }

  /** Text frames pass the handler: this one echoes them. */
  private static final class TextEcho extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
    }
  }

  /** A JDK client that collects text messages and the close code. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    String next() throws InterruptedException {
      String t = texts.poll(20, TimeUnit.SECONDS);
      assertNotNull(t, "an answer from the server");
      return t;
    }
  }

  private WebSocket connect(Client client, String tenant) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .header("X-Tenant", tenant)
        .buildAsync(server.ws("/ws"), client)
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void wholeAndFragmentedBinaryMessagesArriveAsViewsWithTheirSha256() throws Exception {
    start(TestPools.newPool());
    Client client = new Client();
    WebSocket ws = connect(client, "caller-7");
    List<String> expected = new ArrayList<>();
    int[] sizes = {1, 320, 64_000, 1_000_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] audio = MultipartBody.random(sizes[i], 40 + i);
      ws.sendBinary(ByteBuffer.wrap(audio), true).get(20, TimeUnit.SECONDS);
      expected.add(audio.length + " " + MultipartBody.sha256(audio) + " caller-7");
    }
    for (int i = 0; i < sizes.length; i++) {
      byte[] audio = MultipartBody.random(sizes[i] + 2, 50 + i);
      int third = audio.length / 3;
      ws.sendBinary(ByteBuffer.wrap(audio, 0, third), false).get(20, TimeUnit.SECONDS);
      ws.sendBinary(ByteBuffer.wrap(audio, third, third), false).get(20, TimeUnit.SECONDS);
      ws.sendBinary(ByteBuffer.wrap(audio, 2 * third, audio.length - 2 * third), true)
          .get(20, TimeUnit.SECONDS);
      expected.add(audio.length + " " + MultipartBody.sha256(audio) + " caller-7");
    }
    ws.sendText("not audio", true).get(20, TimeUnit.SECONDS);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      got.add(client.next());
    }
    assertEquals(expected, got);
    assertEquals("echo: not audio", client.next(), "text frames pass on down the pipeline");
    assertTrue(kinds.stream().allMatch("pcm16"::equals), kinds.toString());
    for (int i = 0; i < sizes.length; i++) {
      assertEquals(
          (long) sizes[i],
          borrowed.get(i),
          "a message of one frame is Netty's buffer adopted, not a copy: " + borrowed);
      assertTrue(
          borrowed.get(sizes.length + i) < sizes[i] + 2,
          "a fragmented one is a copy (only its last fragment is still adopted): " + borrowed);
    }
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);
    assertEquals(WebSocket.NORMAL_CLOSURE, client.closed.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aMessageOverTheLimitClosesWith1009() throws Exception {
    start(TestPools.newPool());
    Client client = new Client();
    WebSocket ws = connect(client, "big");
    byte[] half = MultipartBody.random(MAX_MESSAGE / 2 + 1, 60);
    ws.sendBinary(ByteBuffer.wrap(half), false).get(20, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap(half), true).get(20, TimeUnit.SECONDS);
    assertEquals(1009, client.closed.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aTenantRefusedMemoryIsClosedWith1008AfterTheHandshake() throws Exception {
    SlabBufferPool p = SlabBufferPool.builder().hardLimit("full", 4096).build();
    start(p);
    try (BufferMut held = p.forTenant("full").acquire(4096)) {
      Client client = new Client();
      connect(client, "full");
      assertEquals(1008, client.closed.get(20, TimeUnit.SECONDS));
      assertTrue(held.capacity() > 0);
    }
  }

  @Test
  void aTenantThatReachesItsHardLimitMidMessageIsClosedWith1008() throws Exception {
    SlabBufferPool p = SlabBufferPool.builder().hardLimit("small", 200_000).build();
    start(p);
    Client client = new Client();
    WebSocket ws = connect(client, "small");
    byte[] piece = MultipartBody.random(150_000, 61);
    ws.sendBinary(ByteBuffer.wrap(piece), false).get(20, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap(piece), true).get(20, TimeUnit.SECONDS);
    assertEquals(1008, client.closed.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aClientThatVanishesMidMessageReleasesThePartialMessage() throws Exception {
    start(TestPools.newPool());
    Client client = new Client();
    WebSocket ws = connect(client, "gone");
    ws.sendBinary(ByteBuffer.wrap(MultipartBody.random(300_000, 62)), false)
        .get(20, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (pool.snapshot().liveBytes() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(pool.snapshot().liveBytes() > 0, "the partial message is held in pooled memory");
    ws.abort();
    // The server hears of the close, and releases the partial message, before it shuts down.
    TestPools.awaitNoLiveBytes(pool, "the client's abort");
  }

  @Test
  void theReasonOfACloseFitsTheFrame() {
    String ascii = "x".repeat(500);
    assertEquals(123, WebSocketMessageHandler.fit(ascii).getBytes(StandardCharsets.UTF_8).length);
    String wide = "é".repeat(100);
    assertTrue(WebSocketMessageHandler.fit(wide).getBytes(StandardCharsets.UTF_8).length <= 123);
    assertEquals("short", WebSocketMessageHandler.fit("short"));
  }
}
