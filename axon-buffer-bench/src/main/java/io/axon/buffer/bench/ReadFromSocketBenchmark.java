package io.axon.buffer.bench;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Reading {@code size} bytes from a loopback {@link SocketChannel} (a writer thread keeps the other
 * end full): {@code BufferMut.readFrom} into pooled memory (acquire, read, freeze, close, billed to
 * a tenant) against reading into one preallocated direct {@link ByteBuffer}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadFromSocketBenchmark {

  @Param({"65536", "1048576"})
  public int size;

  private SlabBufferPool pool;
  private BufferAllocator tenant;
  private ServerSocketChannel server;
  private SocketChannel in;
  private SocketChannel out;
  private Thread writer;
  private ByteBuffer preallocated;

  @Setup
  public void setUp() throws IOException {
    pool = SlabBufferPool.builder().name("bench").leakTracing(LeakTracing.OFF).build();
    tenant = pool.forTenant("bench");
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    out = SocketChannel.open(server.getLocalAddress());
    in = server.accept();
    preallocated = ByteBuffer.allocateDirect(size);
    SocketChannel sink = out;
    writer =
        new Thread(
            () -> {
              ByteBuffer src = ByteBuffer.allocateDirect(256 * 1024);
              try {
                while (true) {
                  src.clear();
                  while (src.hasRemaining()) {
                    sink.write(src);
                  }
                }
              } catch (IOException closed) {
                // teardown closed the socket
              }
            },
            "socket-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @TearDown
  public void tearDown() throws Exception {
    in.close();
    out.close();
    server.close();
    writer.join(5000);
    pool.close();
  }

  @Benchmark
  public int axonReadFromIntoPooledMemory() throws IOException {
    try (BufferMut m = tenant.acquire(size)) {
      int read = 0;
      while (read < size) {
        read += m.readFrom(in);
      }
      try (ZeroCopyBuffer v = m.freeze()) {
        return v.length();
      }
    }
  }

  @Benchmark
  public int readIntoPreallocatedDirectByteBuffer() throws IOException {
    ByteBuffer b = preallocated;
    b.clear();
    while (b.hasRemaining()) {
      in.read(b);
    }
    return b.position();
  }
}
