package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartFault;
import io.axon.buffer.ingest.MultipartOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MultipartUploadHandler} in a real Netty server on 127.0.0.1, driven by the JDK's HTTP
 * client and, where the client's behaviour must be exact (refusals before the body, a body cut
 * short, a slow client), by hand over a socket. Every part is checked by sha256 against what was
 * sent; every test ends with the pool's live bytes back to 0.
 */
class MultipartUploadServerTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private SlabBufferPool pool;
  private TestServer server;
  private final RecordingListener listener = new RecordingListener();

  /** Bytes the server read from its sockets (counted before the codec). */
  private final AtomicLong bytesRead = new AtomicLong();

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    TestPools.awaitNoLiveBytes(pool, "the test");
    pool.close();
  }

  private void start(SlabBufferPool pool, MultipartUploadConfig.Builder config) throws Exception {
    this.pool = pool;
    MultipartUploadConfig c = config.build();
    server =
        new TestServer(
            ch ->
                ch.pipeline()
                    .addLast(new ReadCounter(bytesRead))
                    .addLast(new HttpServerCodec())
                    .addLast(new MultipartUploadHandler(c, listener))
                    .addLast(new HttpObjectAggregator(1 << 16))
                    .addLast(new Fallback()));
  }

  /**
   * The usual server: uploads under /upload, refused bodies drained whole (so that a client that
   * sends its whole body before reading always reads the answer; the bound has its own test).
   */
  private void start() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(
        p,
        MultipartUploadConfig.builder(p)
            .accept(r -> r.uri().startsWith("/upload"))
            .maxDrainBytes(64L << 20));
  }

  private static MultipartBody mixedBody() {
    return new MultipartBody()
        .field("title", "a sized upload")
        .file("big", MultipartBody.random(1 << 20, 1))
        .file("empty", new byte[0])
        .file("small", MultipartBody.random(70_001, 2))
        .field("note", "the end");
  }

  private HttpResponse<String> post(byte[] body, boolean chunked, boolean expectContinue)
      throws Exception {
    HttpRequest.BodyPublisher publisher =
        chunked
            ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : BodyPublishers.ofByteArray(body);
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/upload"))
            .header("Content-Type", MultipartBody.CONTENT_TYPE)
            .header("X-Tenant", "acme")
            .expectContinue(expectContinue)
            .timeout(Duration.ofSeconds(30))
            .POST(publisher)
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> lines(String body) {
    return Arrays.asList(body.split("\n"));
  }

  // ------------------------------------------------------------------ uploads that succeed

  @Test
  void aSizedBodyFromTheJdkClientGivesEveryPartWithItsSha256() throws Exception {
    start();
    MultipartBody body = mixedBody();
    HttpResponse<String> r = post(body.bytes(), false, false);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(RecordingListener.expected(body, "acme"), lines(r.body()));
    assertFalse(HttpUtil.isTransferEncodingChunked(listener.uploads.get(0).request()));
    assertTrue(listener.failures.isEmpty(), listener.failures.toString());
  }

  @Test
  void aChunkedBodyFromTheJdkClientGivesEveryPart() throws Exception {
    start();
    MultipartBody body = mixedBody();
    HttpResponse<String> r = post(body.bytes(), true, false);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(RecordingListener.expected(body, "acme"), lines(r.body()));
    assertTrue(
        HttpUtil.isTransferEncodingChunked(listener.uploads.get(0).request()),
        "the JDK client sends a body of unknown length chunked");
  }

  @Test
  void theJdkClientsExpectContinueIsAnsweredAndTheBodyParsed() throws Exception {
    start();
    MultipartBody body = mixedBody();
    HttpResponse<String> r = post(body.bytes(), false, true);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(RecordingListener.expected(body, "acme"), lines(r.body()));
    assertFalse(
        listener.uploads.get(0).request().headers().contains(HttpHeaderNames.EXPECT),
        "the handler answered the expectation and removed it");
  }

  @Test
  void aRawExpectContinueGets100ThenTheAnswer() throws Exception {
    start();
    MultipartBody body = mixedBody();
    byte[] bytes = body.bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(
          RawHttp.head(
              "/upload",
              MultipartBody.CONTENT_TYPE,
              bytes.length,
              "X-Tenant: acme",
              "Expect: 100-continue"));
      RawHttp.Head cont = c.readHead();
      assertEquals(100, cont.status(), cont.statusLine());
      c.send(bytes);
      RawHttp.Head ok = c.readHead();
      assertEquals(200, ok.status());
      assertEquals(RecordingListener.expected(body, "acme"), lines(c.readBody(ok)));
    }
  }

  @Test
  void aSlowClientSendingSmallPiecesGetsEveryPart() throws Exception {
    start();
    MultipartBody body =
        new MultipartBody().file("a", MultipartBody.random(20_000, 3)).field("b", "slowly");
    byte[] bytes = body.bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, bytes.length, "X-Tenant: slow"));
      for (int at = 0; at < bytes.length; at += 257) {
        c.send(bytes, at, Math.min(257, bytes.length - at));
        Thread.sleep(1);
      }
      RawHttp.Head ok = c.readHead();
      assertEquals(200, ok.status());
      assertEquals(RecordingListener.expected(body, "slow"), lines(c.readBody(ok)));
    }
  }

  @Test
  void twoUploadsAndAPassedRequestShareOneKeepAliveConnectionInOrder() throws Exception {
    start();
    MultipartBody first =
        new MultipartBody().field("n", "1").file("f", MultipartBody.random(9_000, 4));
    MultipartBody second = new MultipartBody().file("g", MultipartBody.random(150_000, 5));
    byte[] a = first.bytes();
    byte[] b = second.bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      // Pipelined: the three requests are sent before any answer is read.
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, a.length, "X-Tenant: t1"))
          .send(a)
          .send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, b.length, "X-Tenant: t2"))
          .send(b);
      RawHttp.Head r1 = c.readHead();
      assertEquals(200, r1.status());
      assertEquals(RecordingListener.expected(first, "t1"), lines(c.readBody(r1)));
      RawHttp.Head r2 = c.readHead();
      assertEquals(200, r2.status());
      assertEquals("hello from the next handler", c.readBody(r2));
      RawHttp.Head r3 = c.readHead();
      assertEquals(200, r3.status());
      assertEquals(RecordingListener.expected(second, "t2"), lines(c.readBody(r3)));
    }
  }

  // ------------------------------------------------------------------ refusals before the body

  /** Sends a head with Expect: 100-continue and returns the answer, checking it came instead. */
  private RawHttp.Head refusedBeforeTheBody(String contentType, long length, String... headers)
      throws Exception {
    try (RawHttp c = new RawHttp(server.port())) {
      String[] all = Arrays.copyOf(headers, headers.length + 1);
      all[headers.length] = "Expect: 100-continue";
      c.send(RawHttp.head("/upload", contentType, length, all));
      RawHttp.Head h = c.readHead();
      assertNotEquals(100, h.status(), "no 100 Continue before a refusal");
      assertEquals("close", h.header("connection"));
      String text = c.readBody(h);
      assertTrue(text.startsWith(String.valueOf(h.status())), text);
      assertTrue(c.closedByServer(), "the connection is closed after a refusal");
      assertTrue(listener.uploads.isEmpty(), "no upload began");
      return h;
    }
  }

  @Test
  void aTenantAtItsHardLimitIsRefused429Before100Continue() throws Exception {
    SlabBufferPool p = SlabBufferPool.builder().hardLimit("full", 64 * 1024).build();
    start(p, MultipartUploadConfig.builder(p));
    try (BufferMut held = p.forTenant("full").acquire(64 * 1024)) {
      assertEquals(
          429, refusedBeforeTheBody(MultipartBody.CONTENT_TYPE, 1000, "X-Tenant: full").status());
      assertTrue(held.capacity() > 0);
    }
  }

  @Test
  void aTenantThePoolCannotAdmitIsRefused429() throws Exception {
    SlabBufferPool p = SlabBufferPool.builder().maxTenants(1).build();
    start(p, MultipartUploadConfig.builder(p));
    try (BufferMut held = p.forTenant("first").acquire(100)) {
      RawHttp.Head h = refusedBeforeTheBody(MultipartBody.CONTENT_TYPE, 1000, "X-Tenant: second");
      assertEquals(429, h.status());
      assertTrue(held.capacity() > 0);
    }
  }

  @Test
  void aContentLengthOverTheBodyLimitIsRefused413() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(p, MultipartUploadConfig.builder(p).maxBodyBytes(10_000));
    assertEquals(
        413, refusedBeforeTheBody(MultipartBody.CONTENT_TYPE, 10_001, "X-Tenant: a").status());
  }

  @Test
  void aBodyThatIsNotMultipartIsRefused415() throws Exception {
    start();
    assertEquals(415, refusedBeforeTheBody("application/json", 10, "X-Tenant: a").status());
  }

  @Test
  void aRequestWithoutTenantOrWithABadOneIsRefused400() throws Exception {
    start();
    assertEquals(400, refusedBeforeTheBody(MultipartBody.CONTENT_TYPE, 10).status());
    assertEquals(
        400,
        refusedBeforeTheBody(MultipartBody.CONTENT_TYPE, 10, "X-Tenant: bad\u0001name").status());
  }

  @Test
  void anUnknownExpectationIsRefused417() throws Exception {
    start();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(
          RawHttp.head(
              "/upload", MultipartBody.CONTENT_TYPE, 10, "X-Tenant: a", "Expect: something-else"));
      assertEquals(417, c.readHead().status());
    }
  }

  @Test
  void aRefusalWithoutExpectIsReadByTheClientBeforeTheClose() throws Exception {
    start();
    byte[] json = new byte[100_000];
    Arrays.fill(json, (byte) ' ');
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", "application/json", json.length, "X-Tenant: a")).send(json);
      RawHttp.Head h = c.readHead();
      assertEquals(415, h.status());
      assertTrue(c.readBody(h).contains("MultipartException"));
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void aRefusedBodyIsDrainedOnlyUpToTheBound() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(p, MultipartUploadConfig.builder(p).maxDrainBytes(256 * 1024));
    byte[] chunk = new byte[64 * 1024];
    long length = 64L << 20;
    long sent = 0;
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", "application/json", length, "X-Tenant: a"));
      try {
        while (sent < length) {
          c.send(chunk);
          sent += chunk.length;
        }
      } catch (java.io.IOException closed) {
        // The server closed the connection after the bound.
      }
    }
    assertTrue(sent < length, "the client could not send the whole body: " + sent);
    assertTrue(bytesRead.get() < (8 << 20), "the server read about the bound: " + bytesRead.get());
  }

  @Test
  void aRefusedBodyThatStallsIsClosedAfterTheDrainTimeout() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(p, MultipartUploadConfig.builder(p).drainTimeout(Duration.ofMillis(200)));
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", "application/json", 1 << 20, "X-Tenant: a"));
      c.send(new byte[10]);
      RawHttp.Head h = c.readHead();
      assertEquals(415, h.status());
      c.readBody(h);
      assertTrue(c.closedByServer(), "closed although the body never came");
    }
  }

  // ------------------------------------------------------------------ failures during the body

  @Test
  void aClientThatVanishesMidUploadReleasesEverything() throws Exception {
    start();
    byte[] bytes =
        new MultipartBody()
            .field("first", "complete")
            .file("big", MultipartBody.random(2 << 20, 6))
            .bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, bytes.length, "X-Tenant: gone"));
      c.send(bytes, 0, 1 << 20);
    }
    awaitFailures(1);
    assertInstanceOf(PrematureChannelClosureException.class, listener.failures.get(0));
    assertTrue(listener.completed.isEmpty());
  }

  @Test
  void aClientThatResetsMidUploadReleasesEverything() throws Exception {
    start();
    byte[] bytes = new MultipartBody().file("big", MultipartBody.random(2 << 20, 16)).bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, bytes.length, "X-Tenant: gone"));
      c.send(bytes, 0, 1 << 20);
      c.reset();
    }
    awaitFailures(1);
    Throwable f = listener.failures.get(0);
    assertTrue(
        f instanceof PrematureChannelClosureException || f instanceof java.io.IOException,
        f.toString());
  }

  @Test
  void aTruncatedBodyIsAnswered400AndReleased() throws Exception {
    start();
    byte[] whole = mixedBody().bytes();
    byte[] cut = Arrays.copyOf(whole, whole.length - 100);
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, cut.length, "X-Tenant: a"))
          .send(cut);
      RawHttp.Head h = c.readHead();
      assertEquals(400, h.status());
      assertTrue(c.readBody(h).contains("MultipartException"));
    }
    awaitFailures(1);
    MultipartException e = assertInstanceOf(MultipartException.class, listener.failures.get(0));
    assertEquals(MultipartFault.TRUNCATED, e.fault());
  }

  @Test
  void aTenantThatReachesItsHardLimitMidBodyIsAnswered429() throws Exception {
    SlabBufferPool p = SlabBufferPool.builder().hardLimit("small", 256 * 1024).build();
    start(p, MultipartUploadConfig.builder(p).maxDrainBytes(64L << 20));
    byte[] bytes = new MultipartBody().file("big", MultipartBody.random(1 << 20, 7)).bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, bytes.length, "X-Tenant: small"));
      c.send(bytes);
      RawHttp.Head h = c.readHead();
      assertEquals(429, h.status());
      assertTrue(c.readBody(h).contains("TenantLimitExceededException"));
    }
    awaitFailures(1);
    assertInstanceOf(TenantLimitExceededException.class, listener.failures.get(0));
  }

  @Test
  void aPartOverTheParsersLimitIsAnswered413() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(
        p,
        MultipartUploadConfig.builder(p)
            .options(MultipartOptions.builder().maxPartBytes(100_000).build()));
    byte[] bytes = new MultipartBody().file("big", MultipartBody.random(300_000, 8)).bytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.head("/upload", MultipartBody.CONTENT_TYPE, bytes.length, "X-Tenant: a"))
          .send(bytes);
      assertEquals(413, c.readHead().status());
    }
    awaitFailures(1);
  }

  @Test
  void aChunkedBodyPastTheBodyLimitIsAnswered413() throws Exception {
    SlabBufferPool p = TestPools.newPool();
    start(p, MultipartUploadConfig.builder(p).maxBodyBytes(100_000));
    byte[] bytes = new MultipartBody().file("big", MultipartBody.random(300_000, 9)).bytes();
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/upload"))
            .header("Content-Type", MultipartBody.CONTENT_TYPE)
            .header("X-Tenant", "a")
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
            .build();
    HttpResponse<String> r;
    try {
      r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(413, r.statusCode(), r.body());
    } catch (java.io.IOException e) {
      // The JDK client may see the close before it reads the answer while it is still sending.
    }
    awaitFailures(1);
  }

  @Test
  void aFailedStageIsAnsweredWithItsStatus() throws Exception {
    start();
    listener.handling =
        part -> CompletableFuture.failedFuture(new IllegalStateException("storage is down"));
    HttpResponse<String> r = post(mixedBody().bytes(), false, false);
    assertEquals(500, r.statusCode());
    assertTrue(r.body().contains("storage is down"), r.body());
    awaitFailures(1);
  }

  // ------------------------------------------------------------------ backpressure

  @Test
  void noMoreIsReadWhileAPartIsBeingHandled() throws Exception {
    start();
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    AtomicLong readWhilePaused = new AtomicLong(-1);
    AtomicBoolean autoReadWasOff = new AtomicBoolean();
    try {
      listener.handling =
          part -> {
            if (!part.name().equals("first")) {
              return null;
            }
            long before = bytesRead.get();
            io.netty.channel.Channel ch = listener.uploads.get(0).channel();
            CompletableFuture<Void> handled = new CompletableFuture<>();
            later.schedule(
                () -> {
                  // Still paused: the stage has not completed yet.
                  autoReadWasOff.set(!ch.config().isAutoRead());
                  readWhilePaused.set(bytesRead.get() - before);
                  handled.complete(null);
                },
                300,
                TimeUnit.MILLISECONDS);
            return handled;
          };
      MultipartBody body =
          new MultipartBody()
              .field("first", "held for a while")
              .file("rest", MultipartBody.random(8 << 20, 10));
      HttpResponse<String> r = post(body.bytes(), false, false);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(RecordingListener.expected(body, "acme"), lines(r.body()));
      assertTrue(autoReadWasOff.get(), "auto-read off while the stage was pending");
      assertTrue(
          readWhilePaused.get() <= 128 * 1024,
          "at most one read's worth more was read while paused: " + readWhilePaused.get());
      assertTrue(listener.uploads.get(0).channel().config().isAutoRead(), "on again after");
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void aHandlerBehindAnAggregatorOrAnExpectHandlerRefusesItsPlace() {
    SlabBufferPool p = TestPools.newPool();
    this.pool = p;
    MultipartUploadConfig c = MultipartUploadConfig.builder(p).build();
    for (io.netty.channel.ChannelHandler before :
        List.of(new HttpServerExpectContinueHandler(), new HttpObjectAggregator(1024))) {
      io.netty.channel.embedded.EmbeddedChannel ch =
          new io.netty.channel.embedded.EmbeddedChannel(new HttpServerCodec(), before);
      AtomicBoolean refused = new AtomicBoolean();
      ch.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                  for (Throwable t = cause; t != null; t = t.getCause()) {
                    refused.compareAndSet(
                        false, String.valueOf(t.getMessage()).contains("must come before"));
                  }
                }
              });
      ch.pipeline()
          .addBefore(
              ch.pipeline().lastContext().name(),
              "uploads",
              new MultipartUploadHandler(c, listener));
      assertTrue(refused.get(), "refused behind " + before);
      assertTrue(
          ch.pipeline().get(MultipartUploadHandler.class) == null, "not left in the pipeline");
      ch.finishAndReleaseAll();
    }
  }

  private void awaitFailures(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (listener.failures.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, listener.failures.size(), listener.failures.toString());
  }

  /** Counts the bytes read from the socket. */
  private static final class ReadCounter extends ChannelInboundHandlerAdapter {
    private final AtomicLong count;

    ReadCounter(AtomicLong count) {
      this.count = count;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      count.addAndGet(((ByteBuf) msg).readableBytes());
      ctx.fireChannelRead(msg);
    }
  }

  /** What a server puts after the upload handler: it answers the requests passed on. */
  private static final class Fallback extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean hello = request.uri().equals("/hello");
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              hello ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
              Unpooled.copiedBuffer(
                  hello ? "hello from the next handler" : "not found", StandardCharsets.UTF_8));
      HttpUtil.setContentLength(r, r.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(r, keepAlive);
      var f = ctx.writeAndFlush(r);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
