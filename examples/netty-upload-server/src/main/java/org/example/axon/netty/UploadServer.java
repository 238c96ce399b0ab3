package org.example.axon.netty;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.netty.MultipartUploadConfig;
import io.axon.buffer.netty.MultipartUploadHandler;
import io.axon.buffer.netty.PoolAllocatorMetric;
import io.axon.buffer.netty.Upload;
import io.axon.buffer.netty.UploadListener;
import io.axon.buffer.netty.WebSocketMessageConfig;
import io.axon.buffer.netty.WebSocketMessageHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.2 server that takes multipart uploads ({@code POST /upload}) and WebSocket audio
 * ({@code /audio}, binary messages of 16-bit PCM) into axon-buffer's pool, billed to the tenant of
 * the {@code X-Tenant} header, and prints each tenant's live bytes as they change. {@code GET
 * /tenants} answers the same figures.
 *
 * <pre>
 * java -jar target/netty-upload-server.jar [port]          (default 8080, on 127.0.0.1)
 * curl -H 'X-Tenant: acme' -F file=@photo.jpg http://127.0.0.1:8080/upload
 * </pre>
 */
public final class UploadServer implements AutoCloseable {

  private final SlabBufferPool pool;
  private final EventLoopGroup group;
  private final Channel channel;
  private final ExecutorService storage = Executors.newFixedThreadPool(2);
  private final PrintStream log;
  private String lastReport = "";

  private UploadServer(int port, PrintStream log) throws InterruptedException {
    this.log = log;
    this.pool =
        SlabBufferPool.builder()
            .name("upload-server")
            .defaultHardLimit(64L << 20) // no tenant holds more than 64 MiB at once
            .maxTenants(1000)
            .tenantIdleTimeout(Duration.ofMinutes(5))
            .build();
    MultipartUploadConfig uploads =
        MultipartUploadConfig.builder(pool)
            .accept(r -> r.uri().startsWith("/upload"))
            .maxBodyBytes(512L << 20)
            .build();
    WebSocketMessageConfig audio =
        WebSocketMessageConfig.builder(pool)
            .messageKind(BufferKind.of("pcm16"))
            .maxMessageBytes(1 << 20)
            .build();
    UploadListener parts = new PartPrinter();
    this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new MultipartUploadHandler(uploads, parts))
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new WebSocketServerProtocolHandler("/audio", null, false, 1 << 20))
                        .addLast(new WebSocketMessageHandler(audio, UploadServer.this::onAudio))
                        .addLast(new Routes());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .sync()
            .channel();
    group.scheduleAtFixedRate(this::printIfChanged, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port the port, 0 for any free one
   * @param log where parts, messages and the tenants' live bytes are printed
   * @return the running server
   * @throws InterruptedException if interrupted while binding
   */
  public static UploadServer start(int port, PrintStream log) throws InterruptedException {
    return new UploadServer(port, log);
  }

  /**
   * Runs the server until the process is stopped.
   *
   * @param args the port (default 8080)
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    UploadServer server = start(port, System.out);
    System.out.println("listening on http://127.0.0.1:" + server.port());
    System.out.println("  POST /upload  (multipart/form-data, X-Tenant header)");
    System.out.println("  WS   /audio   (binary pcm16 messages, X-Tenant header)");
    System.out.println("  GET  /tenants (live bytes per tenant)");
    server.channel.closeFuture().sync();
  }

  /** {@return the port the server listens on} */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** {@return the pool the server's uploads and messages live in} */
  public SlabBufferPool pool() {
    return pool;
  }

  /** {@return one line: the live bytes of every tenant that holds memory, and the pool's total} */
  public String report() {
    SortedMap<String, Long> live = pool.snapshot().liveBytesByTenant();
    PoolAllocatorMetric metric = new PoolAllocatorMetric(pool);
    return "live bytes by tenant: "
        + live
        + " (pool: "
        + metric.pinnedDirectMemory()
        + " live of "
        + metric.usedDirectMemory()
        + " allocated)";
  }

  private void printIfChanged() {
    String r = report();
    if (!r.equals(lastReport)) {
      lastReport = r;
      log.println(r);
    }
  }

  /** A WebSocket audio message: printed, acknowledged, released. */
  private void onAudio(ChannelHandlerContext ctx, ZeroCopyBuffer message) {
    try (message) {
      log.println(
          "audio "
              + message.tenant().orElse("-")
              + ": "
              + message.length()
              + " bytes ("
              + message.length() / 2
              + " samples) "
              + message.sha256Hex());
      ctx.writeAndFlush(new TextWebSocketFrame("received " + message.length() + " bytes"));
    }
  }

  /** Each part goes to a storage thread (here: its digest is printed); the answer lists them. */
  private final class PartPrinter implements UploadListener {
    @Override
    public CompletionStage<?> onPart(Upload upload, Part part) {
      return CompletableFuture.runAsync(
          () -> {
            try (part) {
              log.println(
                  "part "
                      + upload.tenant()
                      + ": "
                      + part.name()
                      + part.filename().map(f -> " (" + f + ")").orElse("")
                      + " "
                      + part.kind().slug()
                      + " "
                      + part.size()
                      + " bytes "
                      + part.payload().sha256Hex());
            }
          },
          storage);
    }

    @Override
    public FullHttpResponse onComplete(Upload upload, MultipartSummary summary) {
      return text(
          HttpResponseStatus.OK,
          "stored " + summary.parts() + " parts, " + summary.bodyBytes() + " bytes\n");
    }

    @Override
    public void onFailure(Upload upload, Throwable cause) {
      log.println("upload failed " + upload + ": " + cause);
    }
  }

  /** Everything that is not an upload or a WebSocket: the tenants' figures, else 404. */
  private final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response =
          request.uri().equals("/tenants")
              ? text(HttpResponseStatus.OK, report() + "\n")
              : text(HttpResponseStatus.NOT_FOUND, "not found\n");
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      var written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String text) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    HttpUtil.setContentLength(r, r.content().readableBytes());
    return r;
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    storage.shutdown();
    storage.awaitTermination(5, TimeUnit.SECONDS);
    pool.close();
  }
}
