package io.axon.buffer.testing;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.core.internal.UnexpectedLeaks;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * A JUnit 5 extension that fails a test class (or each test) when any {@link SlabBufferPool}
 * reports a leak it was not told to expect: a builder or view dropped without {@code close()}.
 *
 * <pre>{@code
 * @ExtendWith(LeakGuard.class)                 // checks once, after all tests of the class
 * class MultipartParserTest { ... }
 *
 * @RegisterExtension
 * static final LeakGuard LEAKS = LeakGuard.afterEachTest();   // checks after every test
 * }</pre>
 *
 * A test that leaks on purpose does it in a pool of its own and says so with {@link
 * #expectLeaksFrom(SlabBufferPool)}; leaks of that pool (matched by its name) are then ignored.
 *
 * <p>Leaks are found by the garbage collector, so a check runs it (two full collections): checking
 * after each test costs tens of milliseconds per test. Run tests with {@code
 * -Daxon.buffer.leakTracing=all} (the build does) so that the failure names where each leaked
 * buffer was acquired.
 *
 * <p>A leak reported after its class's last check (the safety net is late, or the leak came from
 * code no guard covers) is not dropped: the next guarded class drains it when it starts and fails
 * with it at its end, naming it as found before that class. jqwik's property classes run on another
 * engine, outside Jupiter's extensions: {@link JqwikLeakGuard} guards them the same way (registered
 * for jqwik automatically when jqwik is on the class path).
 */
public final class LeakGuard implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  private final boolean eachTest;

  /** A guard that checks after all tests of a class (what {@code @ExtendWith} creates). */
  public LeakGuard() {
    this(false);
  }

  private LeakGuard(boolean eachTest) {
    this.eachTest = eachTest;
  }

  /** A guard that checks after every test (precise blame, a garbage collection per test). */
  public static LeakGuard afterEachTest() {
    return new LeakGuard(true);
  }

  /**
   * Declares that {@code pool} leaks on purpose: its leak reports never fail a guard. Give such a
   * pool a name of its own ({@link SlabBufferPool.Builder#name}): reports are matched by name.
   */
  public static void expectLeaksFrom(SlabBufferPool pool) {
    UnexpectedLeaks.expectFrom(pool.name());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Leaks found before this class started were missed by the check of whoever caused them:
    // kept, and reported with this class's own at its first check.
    String before = UnexpectedLeaks.drainBefore(context.getDisplayName());
    context.getStore(NAMESPACE).put(EARLIER, new AtomicReference<>(before));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (eachTest) {
      check(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context);
  }

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LeakGuard.class);
  private static final String EARLIER = "leaks found before the class started";

  private static void check(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    AtomicReference<String> earlier =
        context.getStore(NAMESPACE).get(EARLIER, AtomicReference.class);
    String before = earlier == null ? null : earlier.getAndSet(null);
    String failure = UnexpectedLeaks.drainAfter(before, context.getDisplayName());
    if (failure != null) {
      throw new AssertionFailedError(failure);
    }
  }
}
