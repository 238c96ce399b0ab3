package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ResourceException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.WebSocketFrame;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import io.axon.buffer.ingest.WebSocketProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Jetty 12 WebSocket server whose endpoint takes every frame as it arrives ({@code
 * onWebSocketFrame}: Jetty does not assemble messages here, and auto-fragmentation is off, so the
 * frames are the ones on the wire) and feeds it to ingest's {@link WebSocketMessageAccumulator}.
 * The JDK's {@link WebSocket} client sends fragmented binary messages with pings between the
 * fragments. The server answers each assembled message with its size, SHA-256, the number of frames
 * it was stitched from, the pings seen inside it and the tenant's live bytes once it is closed; the
 * client checks all of them and the pongs the endpoint sends for the pings the accumulator passes
 * through; protocol errors close the connection with the accumulator's close code, and every byte
 * goes back to the pool.
 */
class WebSocketIngestIT {

  private static final long MAX_MESSAGE = 4 << 20;

  private static SlabBufferPool pool;
  private static Server server;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    pool = SlabBufferPool.builder().name("websocket-it").build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              container.setAutoFragment(false); // deliver frames as they came on the wire
              container.setMaxFrameSize(1 << 20);
              container.setIdleTimeout(Duration.ofSeconds(30));
              container.addMapping(
                  "/ingest/*",
                  (request, response, callback) ->
                      new IngestEndpoint(
                          request.getHttpURI().getPath().substring("/ingest/".length())));
            }));
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    pool.close();
  }

  /**
   * One connection: frames from Jetty into an accumulator billed to the tenant in the URL (public:
   * Jetty calls it through method handles).
   */
  public static final class IngestEndpoint implements Session.Listener.AutoDemanding {
    private final String tenant;
    private Session session;
    private WebSocketMessageAccumulator messages;
    private int frames;
    private int pings;
    private int seq;

    IngestEndpoint(String tenant) {
      this.tenant = tenant;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
      this.messages =
          new WebSocketMessageAccumulator(
              pool.forTenant(tenant),
              MAX_MESSAGE,
              new WebSocketMessageAccumulator.Listener() {
                @Override
                public void onMessage(ZeroCopyBuffer message) {
                  int length;
                  String sha256;
                  try (message) {
                    length = message.length();
                    sha256 = message.sha256Hex();
                  }
                  String answer =
                      String.join(
                          " ",
                          Integer.toString(seq++),
                          Integer.toString(length),
                          sha256,
                          "frames=" + frames,
                          "pings=" + pings,
                          "live=" + pool.snapshot().liveBytes(tenant));
                  frames = 0;
                  pings = 0;
                  IngestEndpoint.this.session.sendText(answer, Callback.NOOP);
                }

                @Override
                public void onControlFrame(WebSocketFrame frame) {
                  try (frame) {
                    if (frame.opcode() == WebSocketFrame.PING) {
                      if (frames > 0) {
                        pings++; // a ping that arrived between two fragments of one message
                      }
                      // Answer it (RFC 6455 5.5.3). Jetty does not, for an endpoint that takes
                      // frames
                      // itself (observed with 12.1). The pooled payload is copied: the send is
                      // async.
                      IngestEndpoint.this.session.sendPong(
                          ByteBuffer.wrap(frame.payload().toByteArray()), Callback.NOOP);
                    }
                  }
                }
              });
    }

    @Override
    public void onWebSocketFrame(Frame frame, Callback callback) {
      // The payload is Jetty's buffer, valid until the callback completes: accept() copies it
      // once into pooled memory before returning.
      ByteBuffer payload = frame.getPayload() == null ? ByteBuffer.allocate(0) : frame.getPayload();
      int rsv = (frame.isRsv1() ? 4 : 0) | (frame.isRsv2() ? 2 : 0) | (frame.isRsv3() ? 1 : 0);
      if (frame.getOpCode() == WebSocketFrame.BINARY
          || frame.getOpCode() == WebSocketFrame.CONTINUATION) {
        frames++;
      }
      try {
        messages.accept(frame.isFin(), rsv, frame.getOpCode(), payload);
      } catch (WebSocketProtocolException e) {
        session.close(e.webSocketCloseCode(), e.fault().toString(), Callback.NOOP);
      } catch (ResourceException e) {
        // Memory refused (the tenant's limit: 1008; the system's: 1011), as the pool threw it.
        session.close(e.webSocketCloseCode(), e.getClass().getSimpleName(), Callback.NOOP);
      } catch (IllegalStateException afterFailure) {
        // frames still in flight after we closed for a protocol error: dropped
      }
      callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
      messages.close(); // releases a message cut short by the close
      callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      if (messages != null) {
        messages.close();
      }
    }
  }

  /** The client side: collects text answers, pongs and the close code. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    final AtomicInteger pongs = new AtomicInteger();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        answers.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      pongs.incrementAndGet();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    String answer() throws InterruptedException {
      String a = answers.poll(20, TimeUnit.SECONDS);
      if (a == null) {
        throw new AssertionError("no answer from the server within 20 s");
      }
      return a;
    }
  }

  private static WebSocket connect(String tenant, Client client) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ingest/" + tenant), client)
        .get(20, TimeUnit.SECONDS);
  }

  /** Splits {@code message} into 1..n fragments of random sizes (an empty one now and then). */
  private static List<ByteBuffer> fragments(byte[] message, Random random) {
    List<ByteBuffer> out = new ArrayList<>();
    int at = 0;
    do {
      int size =
          random.nextInt(10) == 0
              ? 0
              : 1 + random.nextInt(Math.max(1, Math.min(96 * 1024, message.length - at)));
      size = Math.min(size, message.length - at);
      out.add(ByteBuffer.wrap(message, at, size));
      at += size;
    } while (at < message.length);
    return out;
  }

  private static void await(CompletableFuture<WebSocket> sent) throws Exception {
    sent.get(20, TimeUnit.SECONDS);
  }

  @Test
  void fragmentedMessagesWithPingsBetweenFragmentsAreStitchedIntact() throws Exception {
    Client client = new Client();
    WebSocket ws = connect("voice", client);
    Random random = new Random(42);
    int pingsSent = 0;
    int[] sizes = {1, 700, 4096, 65_537, 300_000, 1_500_000, 0, 123_457, 2_000_000, 9};
    for (int m = 0; m < sizes.length; m++) {
      byte[] message = UploadBody.random(sizes[m], m);
      List<ByteBuffer> parts = fragments(message, random);
      int pingsInMessage = 0;
      for (int f = 0; f < parts.size(); f++) {
        boolean last = f == parts.size() - 1;
        await(ws.sendBinary(parts.get(f), last));
        if (!last && f % 2 == 0) {
          await(
              ws.sendPing(
                  ByteBuffer.wrap(
                      ("ping " + m + "." + f)
                          .getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
          pingsInMessage++;
        }
      }
      pingsSent += pingsInMessage;
      String expected =
          String.join(
              " ",
              Integer.toString(m),
              Integer.toString(message.length),
              ItEnv.sha256(message),
              "frames=" + parts.size(),
              "pings=" + pingsInMessage,
              "live=0");
      assertEquals(
          expected, client.answer(), "message " + m + " in " + parts.size() + " fragments");
    }
    await(ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    assertEquals("1000 done", client.closed.get(20, TimeUnit.SECONDS));
    assertTrue(pingsSent > 10, "pings were sent between fragments: " + pingsSent);
    assertEquals(
        pingsSent,
        client.pongs.get(),
        "every ping was answered, from the accumulator's control frames");
    assertEquals(0, liveBytesOnceSettled("voice"), pool.snapshot().toString());
  }

  @Test
  void protocolViolationsCloseWithTheAccumulatorsCodeAndReleaseThePartialMessage()
      throws Exception {
    // A text message: the accumulator takes binary messages only -> 1003.
    Client text = new Client();
    WebSocket ws = connect("texter", text);
    await(ws.sendBinary(ByteBuffer.wrap(new byte[1000]), true));
    assertTrue(text.answer().startsWith("0 1000 "));
    await(ws.sendText("not binary", true));
    assertEquals("1003 TEXT_MESSAGE", text.closed.get(20, TimeUnit.SECONDS));
    assertEquals(0, liveBytesOnceSettled("texter"));

    // A fragmented message crossing the limit -> 1009, on the fragment that crosses it; the
    // fragments already stitched (3 MiB) go back to the pool.
    Client big = new Client();
    WebSocket ws2 = connect("greedy", big);
    byte[] mib = new byte[1 << 20];
    try {
      for (int i = 0; i < 6 && !big.closed.isDone(); i++) {
        await(ws2.sendBinary(ByteBuffer.wrap(mib), false));
      }
    } catch (java.util.concurrent.ExecutionException sendAfterClose) {
      // the server closed while we were still sending: expected
    }
    assertEquals("1009 MESSAGE_TOO_BIG", big.closed.get(20, TimeUnit.SECONDS));
    assertEquals(0, liveBytesOnceSettled("greedy"), pool.snapshot().toString());
    PoolSnapshot s = pool.snapshot();
    assertTrue(
        s.totalAllocatedBytes() >= 3 << 20, "the fragments were stitched in pooled memory: " + s);
  }

  /**
   * The tenant's live bytes once the server has processed the close (its callbacks run on Jetty's
   * threads, after the client saw the close): polled for at most 10 s.
   */
  private static long liveBytesOnceSettled(String tenant) throws InterruptedException {
    long live = pool.snapshot().liveBytes(tenant);
    for (int i = 0; i < 200 && live != 0; i++) {
      Thread.sleep(50);
      live = pool.snapshot().liveBytes(tenant);
    }
    return live;
  }
}
