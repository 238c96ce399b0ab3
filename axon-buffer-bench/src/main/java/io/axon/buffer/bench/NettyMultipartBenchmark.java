package io.axon.buffer.bench;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.netty.MultipartUploadConfig;
import io.axon.buffer.netty.MultipartUploadHandler;
import io.axon.buffer.netty.Upload;
import io.axon.buffer.netty.UploadListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Multipart uploads inside a Netty pipeline (issue 16): axon-buffer-netty's {@link
 * MultipartUploadHandler} against Netty's own {@link HttpPostRequestDecoder}, each behind the same
 * {@link EmbeddedChannel}, fed the same request head and the same {@link HttpContent} chunks: the
 * body cut in 8 KiB pieces (the most {@code HttpServerCodec} puts in one content by default) of
 * pooled direct memory, as a server's codec hands them over after a socket read.
 *
 * <p>Each side keeps every part in memory and lets it go: ours as a view in pooled memory billed to
 * a tenant (closed right away); Netty's as its {@code InterfaceHttpData} (released right away),
 * with {@code DefaultHttpDataFactory}'s disk threshold at 64 MiB so that nothing goes to disk, its
 * other settings the defaults, driven as Netty's upload example drives it ({@code offer}, then
 * {@code hasNext}/{@code next} after each chunk, {@code destroy} at the end). Both answer the
 * request with the same small response. Score: time per body (lower is better).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NettyMultipartBenchmark {

  private static final int CHUNK = 8192;

  @Param({"file1m", "fields100", "dashes1m"})
  public String body;

  private SlabBufferPool pool;
  private HttpRequest head;
  private List<ByteBuf> chunks;
  private EmbeddedChannel axon;
  private EmbeddedChannel netty;
  private FullHttpResponse done;

  /** Bytes plus parts the listener saw (ours). */
  private long axonSeen;

  private NettyDecoderHandler nettyHandler;
  private EmbeddedChannel deliver;
  private EmbeddedChannel deliverCopy;
  private FloorHandler deliverHandler;
  private FloorHandler deliverCopyHandler;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] bytes = MultipartBodies.body(body);
    chunks = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += CHUNK) {
      int n = Math.min(CHUNK, bytes.length - at);
      chunks.add(PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(bytes, at, n));
    }
    head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, MultipartBodies.CONTENT_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set("X-Tenant", "bench");
    done =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
    done.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    pool = SlabBufferPool.create();
    MultipartUploadConfig config = MultipartUploadConfig.builder(pool).build();
    axon =
        new EmbeddedChannel(
            new MultipartUploadHandler(
                config,
                new UploadListener() {
                  @Override
                  public CompletionStage<?> onPart(Upload upload, Part part) {
                    axonSeen += part.size() + 1;
                    part.close();
                    return null;
                  }

                  @Override
                  public FullHttpResponse onComplete(Upload upload, MultipartSummary summary) {
                    return done.retainedDuplicate();
                  }
                }));
    nettyHandler = new NettyDecoderHandler(done);
    netty = new EmbeddedChannel(nettyHandler);
    deliverHandler = new FloorHandler(done, false);
    deliver = new EmbeddedChannel(deliverHandler);
    deliverCopyHandler = new FloorHandler(done, true);
    deliverCopy = new EmbeddedChannel(deliverCopyHandler);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    axon.finishAndReleaseAll();
    netty.finishAndReleaseAll();
    deliver.finishAndReleaseAll();
    deliverCopy.finishAndReleaseAll();
    chunks.forEach(ByteBuf::release);
    done.release();
    if (pool.snapshot().liveBytes() != 0) {
      throw new IllegalStateException("live bytes after the benchmark: " + pool.snapshot());
    }
    pool.close();
  }

  private void upload(EmbeddedChannel ch, Blackhole bh) {
    ch.writeInbound(head);
    int last = chunks.size() - 1;
    for (int i = 0; i <= last; i++) {
      ByteBuf c = chunks.get(i).retainedDuplicate();
      ch.writeInbound(i == last ? new DefaultLastHttpContent(c) : new DefaultHttpContent(c));
    }
    Object response = ch.readOutbound();
    if (response == null) {
      throw new IllegalStateException("no answer: " + ch.pipeline());
    }
    bh.consume(response);
    ReferenceCountUtil.release(response);
  }

  /**
   * One upload through axon-buffer-netty's handler.
   *
   * @return the bytes plus the parts the listener saw
   */
  @Benchmark
  public long axon(Blackhole bh) {
    axonSeen = 0;
    upload(axon, bh);
    return axonSeen;
  }

  /**
   * One upload through Netty's decoder.
   *
   * @return the bytes plus the parts the handler saw
   */
  @Benchmark
  public long nettyPostRequestDecoder(Blackhole bh) {
    nettyHandler.seen = 0;
    upload(netty, bh);
    return nettyHandler.seen;
  }

  /**
   * The floor under both: the same request delivered through the same {@link EmbeddedChannel}, each
   * content released as it comes, the same answer at the end. No handler can take less; the
   * decoder's time over this one is the most any handler could be faster than it by.
   *
   * @return the bytes delivered
   */
  @Benchmark
  public long deliverOnly(Blackhole bh) {
    deliverHandler.seen = 0;
    upload(deliver, bh);
    return deliverHandler.seen;
  }

  /**
   * The floor for a handler that keeps the bytes in memory, as both sides do: {@link #deliverOnly}
   * plus one copy of every content into one pooled direct buffer of the body's size.
   *
   * @return the bytes delivered
   */
  @Benchmark
  public long deliverAndCopy(Blackhole bh) {
    deliverCopyHandler.seen = 0;
    upload(deliverCopy, bh);
    return deliverCopyHandler.seen;
  }

  /** Releases each content (after copying it, if asked) and answers the last one. */
  static final class FloorHandler extends ChannelInboundHandlerAdapter {
    private final FullHttpResponse done;
    private final boolean copy;
    private ByteBuf kept;
    long seen;

    FloorHandler(FullHttpResponse done, boolean copy) {
      this.done = done;
      this.copy = copy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest && copy) {
        int length = ((HttpRequest) msg).headers().getInt(HttpHeaderNames.CONTENT_LENGTH);
        kept = ctx.alloc().directBuffer(length, length);
      }
      if (msg instanceof HttpContent) {
        HttpContent content = (HttpContent) msg;
        seen += content.content().readableBytes();
        if (copy) {
          kept.writeBytes(content.content());
        }
        content.release();
        if (msg instanceof LastHttpContent) {
          if (copy) {
            seen += kept.getByte(kept.writerIndex() - 1);
            kept.release();
            kept = null;
          }
          ctx.writeAndFlush(done.retainedDuplicate());
        }
      }
    }
  }

  /** Netty's decoder driven as its upload example drives it, every part kept in memory. */
  static final class NettyDecoderHandler extends ChannelInboundHandlerAdapter {
    private final DefaultHttpDataFactory factory = new DefaultHttpDataFactory(64L << 20);
    private final FullHttpResponse done;
    private HttpPostRequestDecoder decoder;
    long seen;

    NettyDecoderHandler(FullHttpResponse done) {
      this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        decoder = new HttpPostRequestDecoder(factory, (HttpRequest) msg);
      }
      if (msg instanceof HttpContent) {
        HttpContent content = (HttpContent) msg;
        try {
          decoder.offer(content);
        } finally {
          content.release();
        }
        while (decoder.hasNext()) {
          InterfaceHttpData data = decoder.next();
          seen += ((HttpData) data).length() + 1;
          decoder.removeHttpDataFromClean(data);
          data.release();
        }
        if (msg instanceof LastHttpContent) {
          decoder.destroy();
          decoder = null;
          ctx.writeAndFlush(done.retainedDuplicate());
        }
      }
    }
  }
}
