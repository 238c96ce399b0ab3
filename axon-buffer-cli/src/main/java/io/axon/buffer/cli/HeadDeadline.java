package io.axon.buffer.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP/1.1 connection whose request head (request line and headers) is not complete
 * {@code timeout} after it began: after the connection opened for its first request, after the
 * first byte that followed the previous exchange for the next ones. A client that trickles a head a
 * byte at a time (slowloris) resets Jetty's idle timeout with every byte and is never read as a
 * request; this is what cuts it. An idle keep-alive connection (no byte since its last exchange) is
 * left to the idle timeout.
 *
 * <p>Jetty 12 core has no such bound ({@code HttpConfiguration.setMinRequestDataRate} is enforced
 * only by the servlet layers, and never for heads), hence this: a {@link Connection.Listener} on
 * the connector sees connections open and close, the handler says when an exchange starts ({@link
 * #busy}) and ends ({@link #idle}), and a sweep every quarter of the timeout (at most a second)
 * compares the connection's bytes in with what it had received when its last exchange ended. HTTP/2
 * connections are not watched (a head arrives there as whole frames).
 *
 * <p>Threading: the listener runs on Jetty's threads, the sweep on its scheduler; the state of each
 * connection is in atomics.
 */
final class HeadDeadline extends AbstractLifeCycle implements Connection.Listener {

  private static final System.Logger LOG = System.getLogger(HeadDeadline.class.getName());

  private final long timeoutNanos;
  private final Scheduler scheduler;
  private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
  private final AtomicLong closed = new AtomicLong();
  private volatile Scheduler.Task sweep;

  /** One connection: when its head began (0 while none is being read), and its bytes then. */
  private static final class Watch {
    volatile boolean busy;
    volatile long headSince;
    volatile long bytesWhenIdle;

    Watch(long openedAt) {
      this.headSince = openedAt;
    }
  }

  HeadDeadline(Duration timeout, Scheduler scheduler) {
    this.timeoutNanos = timeout.toNanos();
    this.scheduler = scheduler;
  }

  /** Connections closed so far because their head was late. */
  long closedConnections() {
    return closed.get();
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = sweep;
    if (task != null) {
      task.cancel();
    }
    watched.clear();
  }

  private void schedule() {
    long period = Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
    sweep =
        scheduler.schedule(
            () -> {
              if (isRunning()) {
                sweep(System.nanoTime());
                schedule();
              }
            },
            period,
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection) {
      watched.put(connection, new Watch(System.nanoTime()));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    watched.remove(connection);
  }

  /** An exchange of {@code connection} began: its head is complete. */
  void busy(Connection connection) {
    Watch w = watched.get(connection);
    if (w != null) {
      w.busy = true;
      w.headSince = 0;
    }
  }

  /** The exchange of {@code connection} ended: the next head's clock starts at its first byte. */
  void idle(Connection connection) {
    Watch w = watched.get(connection);
    if (w != null) {
      w.bytesWhenIdle = connection.getBytesIn();
      w.headSince = 0;
      w.busy = false;
    }
  }

  void sweep(long now) {
    for (Map.Entry<Connection, Watch> e : watched.entrySet()) {
      Watch w = e.getValue();
      if (w.busy) {
        continue;
      }
      long since = w.headSince;
      if (since == 0) {
        if (e.getKey().getBytesIn() > w.bytesWhenIdle) {
          w.headSince = now;
        }
      } else if (now - since > timeoutNanos) {
        closed.incrementAndGet();
        LOG.log(
            System.Logger.Level.DEBUG,
            () ->
                "closing " + e.getKey().getEndPoint().getRemoteSocketAddress() + ": head too slow");
        e.getKey()
            .getEndPoint()
            .close(
                new TimeoutException(
                    "request head not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms"));
        watched.remove(e.getKey());
      }
    }
  }
}
