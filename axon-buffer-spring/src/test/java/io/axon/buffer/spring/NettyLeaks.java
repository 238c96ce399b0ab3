package io.axon.buffer.spring;

import io.axon.buffer.core.Buffers;
import io.axon.buffer.netty.ByteBufViews;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
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
 * Fails a test class when Netty's leak detection reports a leak (the {@code LEAK:} lines of Netty's
 * log) while it runs, or when Netty logs a buffer released once too often. The tests run with
 * {@code -Dio.netty.leakDetection.level=paranoid} (every buffer tracked), as Netty's own build
 * does.
 *
 * <p>The leaks are taken where Netty reports them, not from the log: this class installs a {@link
 * ResourceLeakDetectorFactory} whose detectors keep each report (and still log it), before any
 * Netty buffer class makes its detector (JUnit loads auto-detected extensions before the tests run;
 * registered in {@code META-INF/services}), so it works whatever logging backend Netty finds. After
 * each class it runs the garbage collector and makes the detectors poll (they report when the next
 * resource is tracked), then fails if anything was reported.
 */
public final class NettyLeaks implements BeforeAllCallback, AfterAllCallback {

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  /** Kept strongly: JUL holds loggers weakly, and a collected logger loses its handlers. */
  private static final Logger NETTY = Logger.getLogger("io.netty");

  static {
    // A buffer released once too often is logged by Netty's pipeline, not thrown at the test:
    // Netty logs through java.util.logging here, and every such record fails the class too.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    NETTY.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getThrown() instanceof IllegalReferenceCountException) {
              LEAKS.add("released too often: " + record.getThrown());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          @SuppressWarnings("deprecation")
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new Recording<>(resource, samplingInterval);
          }
        });
  }

  /** A detector that keeps what it reports. */
  private static final class Recording<T> extends ResourceLeakDetector<T> {
    Recording(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add("LEAK: " + resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add("LEAK: " + resourceType + " (untraced)");
      super.reportUntracedLeak(resourceType);
    }
  }

  /** Made by JUnit's extension auto-detection. */
  public NettyLeaks() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      throw new IllegalStateException(
          "the tests run with -Dio.netty.leakDetection.level=paranoid (surefire's argLine), found "
              + ResourceLeakDetector.getLevel());
    }
    poll();
    LEAKS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    List<String> found = drain(4);
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
   * Runs the garbage collector and polls the detectors up to {@code rounds} times (stopping at the
   * first report), then returns the reports since the last call and forgets them.
   */
  static List<String> drain(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds && LEAKS.isEmpty(); i++) {
      System.gc();
      Thread.sleep(25);
      poll();
    }
    List<String> found = new ArrayList<>(LEAKS);
    LEAKS.removeAll(found);
    return found;
  }

  private static void poll() {
    UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    UnpooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
    PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
    ByteBufViews.toByteBuf(Buffers.wrap(new byte[1])).release();
  }
}
