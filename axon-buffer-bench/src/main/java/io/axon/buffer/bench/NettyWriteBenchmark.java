package io.axon.buffer.bench;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.netty.ByteBufViews;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Writing pooled bytes through Netty (issue 16): a view handed to Netty as a {@code ByteBuf}
 * ({@link ByteBufViews#toByteBuf}, no copy: a share of the view per write) against a Netty pooled
 * direct {@code ByteBuf} holding the same bytes (a retained duplicate per write), on the same
 * channel. {@code composite1m} is a view of sixteen 64 KiB pooled pieces against a Netty {@code
 * CompositeByteBuf} of sixteen 64 KiB pooled buffers: both go out as one gathering write.
 *
 * <p>{@code socket}: an NIO client channel to a loopback socket whose reader drops what it reads;
 * each write is flushed and waited for (the bytes are in the kernel's buffers). {@code embedded}:
 * an {@link EmbeddedChannel} that keeps what is written, read back and released at once: the cost
 * of the buffer objects alone. Score: time per write (lower is better).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NettyWriteBenchmark {

  @Param({"plain64k", "plain1m", "composite1m"})
  public String shape;

  @Param({"socket", "embedded"})
  public String sink;

  private SlabBufferPool pool;
  private ZeroCopyBuffer view;
  private ByteBuf pooled;
  private EventLoopGroup group;
  private ServerSocket server;
  private Thread reader;
  private Channel channel;
  private EmbeddedChannel embedded;

  @Setup(Level.Trial)
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the NIO group of both 4.1 and 4.2
  public void setUp() throws Exception {
    pool = SlabBufferPool.create();
    int size = shape.equals("plain64k") ? 64 << 10 : 1 << 20;
    int pieces = shape.equals("composite1m") ? 16 : 1;
    int piece = size / pieces;
    byte[] bytes = MultipartBodies.random(size);
    List<ZeroCopyBuffer> parts = new ArrayList<>();
    CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(pieces);
    for (int i = 0; i < pieces; i++) {
      parts.add(pool.forTenant("bench").acquire(piece).append(bytes, i * piece, piece).freeze());
      composite.addComponent(
          true,
          PooledByteBufAllocator.DEFAULT.directBuffer(piece).writeBytes(bytes, i * piece, piece));
    }
    view = Buffers.composite(BufferKind.raw(), parts);
    parts.forEach(ZeroCopyBuffer::close);
    if (pieces == 1) {
      pooled = PooledByteBufAllocator.DEFAULT.directBuffer(size).writeBytes(bytes);
      composite.release();
    } else {
      pooled = composite;
    }
    if (sink.equals("socket")) {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      reader = new Thread(this::drop, "bench-loopback-reader");
      reader.setDaemon(true);
      reader.start();
      group = new NioEventLoopGroup(1);
      channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(new ChannelInboundHandlerAdapter())
              .connect(server.getLocalSocketAddress())
              .sync()
              .channel();
    } else {
      embedded = new EmbeddedChannel();
    }
  }

  /** The loopback peer: reads and drops everything until the connection closes. */
  private void drop() {
    try (Socket s = server.accept();
        InputStream in = s.getInputStream()) {
      byte[] b = new byte[1 << 18];
      while (in.read(b) >= 0) {
        // dropped
      }
    } catch (IOException closed) {
      // the trial ended
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (channel != null) {
      channel.close().sync();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      server.close();
      reader.join(5000);
    }
    if (embedded != null) {
      embedded.finishAndReleaseAll();
    }
    pooled.release();
    view.close();
    if (pool.snapshot().liveBytes() != 0) {
      throw new IllegalStateException("live bytes after the benchmark: " + pool.snapshot());
    }
    pool.close();
  }

  private void write(ByteBuf buf) {
    if (channel != null) {
      channel.writeAndFlush(buf).syncUninterruptibly();
    } else {
      embedded.writeOutbound(buf);
      ReferenceCountUtil.release(embedded.readOutbound());
    }
  }

  @Benchmark
  public void axonView() {
    write(ByteBufViews.toByteBuf(view.share(), PooledByteBufAllocator.DEFAULT));
  }

  @Benchmark
  public void nettyPooled() {
    write(pooled.retainedDuplicate());
  }
}
