package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The hooks this artifact registers for jqwik, run by the real jqwik engine through the JUnit
 * Platform launcher and found by service loading: {@link JqwikLeakGuard} fails a property class
 * that drops a builder; {@link JqwikSeedInFailure} puts the seed into a failing property's failure.
 */
class JqwikHooksTest {

  /** Leaks only when armed (so that the build's own jqwik run of it passes). */
  static volatile boolean armed;

  /** A jqwik class whose example drops a builder without closing it. */
  static class LeakyProperties {
    @Example
    void dropsABuilder() {
      if (armed) {
        SlabBufferPool pool =
            SlabBufferPool.builder().name("jqwik-leaky").leakTracing(LeakTracing.ALL).build();
        pool.acquire(65536).append((byte) 1);
      }
    }
  }

  /** A property that fails for some generated values (when armed). */
  static class FailingProperties {
    @Property(tries = 100)
    void failsOnMultiplesOfThree(@ForAll int x) {
      assertTrue(!armed || x % 3 != 0, "x was " + x);
    }
  }

  @Test
  void aFailingPropertysFailureCarriesItsSeed() {
    TestExecutionSummary summary = runArmed(FailingProperties.class);
    assertEquals(1, summary.getTestsFailedCount());
    String message = summary.getFailures().get(0).getException().getMessage();
    assertTrue(
        message.matches("(?s)seed -?\\d+ \\(rerun: @Property\\(seed = \"-?\\d+\"\\)\\): x was .*"),
        message);
    assertTrue(
        summary.getFailures().get(0).getException().getCause().getMessage().startsWith("x was "));
  }

  @Test
  void aJqwikClassThatDropsABufferFailsNamingTheSite() {
    TestExecutionSummary summary = runArmed(LeakyProperties.class);
    assertEquals(1, summary.getTestsSucceededCount(), "the example itself passes");
    // The class fails (jqwik reports the same failure on its engine's container too).
    TestExecutionSummary.Failure failure =
        summary.getFailures().stream()
            .filter(f -> f.getTestIdentifier().getDisplayName().endsWith("LeakyProperties"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the class did not fail: " + summary.getFailures()));
    String message = failure.getException().getMessage();
    assertTrue(message.contains("1 buffer(s) leaked (dropped without close()) by"), message);
    assertTrue(message.contains("LeakyProperties"), message);
    assertTrue(message.contains("JqwikHooksTest$LeakyProperties.dropsABuilder"), message);
  }

  @Test
  void theSameClassPassesWhenItClosesWhatItTakes() {
    TestExecutionSummary summary = runWithJqwik(LeakyProperties.class);
    assertEquals(1, summary.getTestsSucceededCount());
    assertEquals(0, summary.getTotalFailureCount());
  }

  @Test
  void itGuardsClassesNotJqwikItselfNorGroups() {
    JqwikLeakGuard guard = new JqwikLeakGuard();
    assertTrue(guard.appliesTo(Optional.of(LeakyProperties.class)));
    assertTrue(guard.appliesTo(Optional.of(JqwikHooksTest.class)));
    assertFalse(guard.appliesTo(Optional.empty()));
    assertFalse(guard.appliesTo(Optional.of(AGroup.class)));
    AnnotatedElement method = LeakyProperties.class.getDeclaredMethods()[0];
    assertFalse(guard.appliesTo(Optional.of(method)));
  }

  @Group
  class AGroup {}

  private static TestExecutionSummary runArmed(Class<?> testClass) {
    armed = true;
    try {
      return runWithJqwik(testClass);
    } finally {
      armed = false;
    }
  }

  private static TestExecutionSummary runWithJqwik(Class<?> testClass) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(testClass))
            .filters(EngineFilter.includeEngines("jqwik"))
            .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }
}
