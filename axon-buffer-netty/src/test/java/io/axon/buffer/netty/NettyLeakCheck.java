package io.axon.buffer.netty;

import io.axon.buffer.core.Buffers;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's {@link ResourceLeakDetector} reports a leak while it runs: the
 * in-JVM form of Netty's own build, which runs its tests with {@code
 * -Dio.netty.leakDetection.level=paranoid} and fails when the log has a {@code LEAK:} line.
 *
 * <p>Netty logs through {@link JdkLoggerFactory} here (set before any Netty logger is made: this
 * class is loaded by JUnit's extension auto-detection, before the tests' classes run); a handler on
 * the {@code io.netty} logger keeps every record with {@code LEAK:}. After each class it runs the
 * garbage collector and makes Netty's detectors poll their queues (they report when a new resource
 * is tracked), then fails if any leak was reported. Registered for every class of this module
 * through {@code META-INF/services}.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  /** Kept strongly: JUL holds loggers weakly, and a collected logger loses its handlers. */
  private static final Logger NETTY = Logger.getLogger("io.netty");

  static {
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    NETTY.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("LEAK:")) {
              LEAKS.add(record.getLoggerName() + ": " + message);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      throw new IllegalStateException(
          "the tests run with -Dio.netty.leakDetection.level=paranoid (surefire's argLine), found "
              + ResourceLeakDetector.getLevel());
    }
    pollLeaks();
    LEAKS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    List<String> found = drainLeaks(4);
    if (!found.isEmpty()) {
      throw new AssertionError(
          context.getDisplayName()
              + ": Netty reported "
              + found.size()
              + " leak(s):\n"
              + String.join("\n\n", found));
    }
  }

  /**
   * Runs the garbage collector and polls Netty's detectors {@code rounds} times (stopping early
   * once a leak is reported), then returns the leaks reported since the last call and forgets them.
   */
  static List<String> drainLeaks(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds && LEAKS.isEmpty(); i++) {
      System.gc();
      Thread.sleep(25);
      pollLeaks();
    }
    List<String> found = new ArrayList<>(LEAKS);
    LEAKS.removeAll(found);
    return found;
  }

  /** Netty's detectors report what they found when the next resource is tracked. */
  private static void pollLeaks() {
    UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    UnpooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
    PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    ByteBufViews.toByteBuf(Buffers.wrap(new byte[1])).release();
  }
}
