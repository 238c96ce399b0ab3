package io.axon.buffer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SlabBufferPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Views written through Netty channels as ByteBufs: the bytes arrive, the views are closed. */
class ViewByteBufWriteTest {

  private SlabBufferPool pool;

  @BeforeEach
  void pool() {
    pool = TestPools.newPool();
  }

  @AfterEach
  void noLiveBytes() throws InterruptedException {
    TestPools.awaitNoLiveBytes(pool, "the test");
    pool.close();
  }

  /** A composite view of {@code bytes} in pieces of about {@code piece} bytes, pooled. */
  private ZeroCopyBuffer composite(byte[] bytes, int piece) {
    List<ZeroCopyBuffer> parts = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += piece) {
      int n = Math.min(piece, bytes.length - at);
      parts.add(pool.forTenant("w").acquire(n).append(bytes, at, n).freeze());
    }
    ZeroCopyBuffer c = Buffers.composite(BufferKind.raw(), parts);
    parts.forEach(ZeroCopyBuffer::close);
    return c;
  }

  @Test
  void anEmbeddedChannelWriteHandsTheSameBufferOnAndItsReleaseClosesTheView() {
    byte[] bytes = MultipartBody.random(30_000, 11);
    ZeroCopyBuffer view = composite(bytes, 4096);
    EmbeddedChannel channel = new EmbeddedChannel();
    ByteBuf buf = ByteBufViews.toByteBuf(view);
    channel.writeAndFlush(buf);
    ByteBuf written = channel.readOutbound();
    assertTrue(written == buf, "no copy on the way out");
    assertEquals(
        MultipartBody.sha256(bytes),
        MultipartBody.sha256(io.netty.buffer.ByteBufUtil.getBytes(written)));
    written.release();
    assertTrue(view.isClosed());
    channel.finishAndReleaseAll();
  }

  @Test
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the NIO group of both 4.1 and 4.2
  void aLoopbackSocketReceivesEveryByteOfCompositeViewsWrittenByNioGatheringWrites()
      throws Exception {
    int messages = 20;
    List<byte[]> sent = new ArrayList<>();
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    long total = 0;
    for (int i = 0; i < messages; i++) {
      byte[] b = MultipartBody.random(1 + i * 37_111, 100 + i);
      sent.add(b);
      expected.update(b);
      total += b.length;
    }
    long length = total;
    EventLoopGroup group = new NioEventLoopGroup(1);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> received =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  MessageDigest d = MessageDigest.getInstance("SHA-256");
                  byte[] chunk = new byte[65536];
                  long got = 0;
                  int n;
                  while (got < length && (n = in.read(chunk)) > 0) {
                    d.update(chunk, 0, n);
                    got += n;
                  }
                  return got + ":" + HexFormat.of().formatHex(d.digest());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Channel client =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(new ChannelInboundHandlerAdapter())
              .connect(server.getLocalSocketAddress())
              .sync()
              .channel();
      List<ZeroCopyBuffer> views = new ArrayList<>();
      for (byte[] b : sent) {
        ZeroCopyBuffer v = composite(b, 16_384);
        views.add(v);
        client.write(ByteBufViews.toByteBuf(v, client.alloc()));
      }
      client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).sync();
      assertEquals(
          length + ":" + HexFormat.of().formatHex(expected.digest()),
          received.get(30, TimeUnit.SECONDS));
      client.close().sync();
      for (ZeroCopyBuffer v : views) {
        assertTrue(v.isClosed(), "the channel released every buffer once written");
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
  }
}
