package io.axon.buffer.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes {@code serve}'s connections the way nginx's {@code lingering_close} does, so that a client
 * still sending when the server ends a connection gets the server's last answer, not a reset.
 *
 * <p>Why: a socket closed while bytes the client sent are unread makes the kernel answer with a TCP
 * reset, and a reset makes the client's kernel drop what it received but its application has not
 * read yet: the refusal ({@code 413} after {@code --drain-limit} bytes of a refused body) or the
 * WebSocket close frame ({@code 1008 TOO_FAST}, {@code 1009}, ... which Jetty follows at once with
 * closing the connection) is lost, and the client sees "connection reset" instead of the reason.
 *
 * <p>What it does: when Jetty closes a connection, the socket's output is shut down (a FIN after
 * the last answer) and the socket is kept open, its input read and dropped, until the client closes
 * its side, no byte came for {@link #QUIET}, {@link #MAX_TIME} passed or {@link #MAX_BYTES} were
 * dropped; then it is closed. Jetty has forgotten the connection by then: it counts against no
 * connection limit and holds no buffer of Jetty's or the pool's.
 *
 * <p>What it costs: one daemon thread for all lingering sockets, polling each every {@link
 * #POLL_MILLIS} ms with a non-blocking read into one shared 16 KiB buffer; at most {@link
 * #MAX_SOCKETS} sockets linger at once (a close beyond that is immediate, as without this class). A
 * well-behaved client closes on the FIN within a round trip, so sockets linger for milliseconds.
 *
 * <p>Threading: {@link #connector} at configuration time; closes come from Jetty's threads.
 */
final class LingeringClose extends AbstractLifeCycle {

  /** A lingering socket from which no byte came for this long is closed. */
  static final Duration QUIET = Duration.ofSeconds(1);

  /** No socket lingers longer than this. */
  static final Duration MAX_TIME = Duration.ofSeconds(5);

  /** A socket that sent this many bytes while lingering is closed. */
  static final long MAX_BYTES = 1 << 20;

  /**
   * At most about this many sockets linger at once (checked before each is added, so closes that
   * race may pass it by the number of Jetty's threads).
   */
  static final int MAX_SOCKETS = 1024;

  /** How often a lingering socket is read. */
  static final long POLL_MILLIS = 10;

  private final Set<Linger> lingering = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "axon-serve-linger");
            t.setDaemon(true);
            return t;
          });

  /** Only the timer's thread reads into it. */
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024);

  /**
   * A connector whose connections close through this class.
   *
   * @param server the server
   * @param factories the protocols, as for {@link ServerConnector}
   * @return a connector with one acceptor and one selector
   */
  ServerConnector connector(Server server, ConnectionFactory... factories) {
    return new ServerConnector(server, 1, 1, factories) {
      @Override
      protected SocketChannelEndPoint newEndPoint(
          SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        SocketChannelEndPoint endPoint = new LingeringEndPoint(channel, selector, key, this);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
      }
    };
  }

  /** Shuts the output of {@code channel} and lingers on it, or closes it now if too many linger. */
  private void close(SocketChannel channel) {
    if (!channel.isOpen()) {
      return;
    }
    if (!isRunning() || lingering.size() >= MAX_SOCKETS) {
      closeQuietly(channel);
      return;
    }
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(channel); // the client is gone already
      return;
    }
    Linger linger = new Linger(channel, System.nanoTime());
    lingering.add(linger);
    try {
      timer.execute(linger);
    } catch (RejectedExecutionException e) {
      linger.end(); // stopping
    }
  }

  @Override
  protected void doStop() {
    timer.shutdownNow();
    for (Linger l : lingering) {
      l.end();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  /** One socket being lingered on; runs on the timer's thread only. */
  private final class Linger implements Runnable {
    private final SocketChannel channel;
    private final long start;
    private long lastByte;
    private long dropped;

    Linger(SocketChannel channel, long start) {
      this.channel = channel;
      this.start = start;
      this.lastByte = start;
    }

    @Override
    public void run() {
      try {
        int n;
        while ((n = channel.read(scratch.clear())) > 0) {
          dropped += n;
          lastByte = System.nanoTime();
          if (dropped >= MAX_BYTES) {
            end();
            return;
          }
        }
        long now = System.nanoTime();
        if (n < 0 || now - lastByte >= QUIET.toNanos() || now - start >= MAX_TIME.toNanos()) {
          end();
          return;
        }
        timer.schedule(this, POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (IOException | RejectedExecutionException e) {
        end(); // reset by the client, or stopping
      }
    }

    void end() {
      lingering.remove(this);
      closeQuietly(channel);
    }
  }

  /** Jetty's endpoint for a socket, closed through {@link LingeringClose#close}. */
  private final class LingeringEndPoint extends SocketChannelEndPoint {
    private volatile SelectionKey key;

    LingeringEndPoint(
        SocketChannel channel, ManagedSelector selector, SelectionKey key, ServerConnector c) {
      super(channel, selector, key, c.getScheduler());
      this.key = key;
    }

    @Override
    public void replaceKey(SelectionKey newKey) {
      super.replaceKey(newKey);
      key = newKey; // Jetty moved the socket to a new selector
    }

    @Override
    public void doClose() {
      // Replaces closing the channel (the superclasses do nothing else here): Jetty's selector
      // forgets the socket, this class closes it when the client is done.
      key.cancel();
      LingeringClose.this.close(getChannel());
    }
  }
}
