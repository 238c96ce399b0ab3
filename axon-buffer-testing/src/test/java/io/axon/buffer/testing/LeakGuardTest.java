package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/** LeakGuard and PoolAssertions fail on leaks, naming where the leaked buffer was acquired. */
class LeakGuardTest {

  private static void leakABuilder(SlabBufferPool pool, int size) {
    pool.acquire(size).append((byte) 1);
  }

  /** A context named {@code name} whose store is {@code store} (shared by a class's callbacks). */
  static ExtensionContext named(String name, Map<Object, Object> store) {
    ExtensionContext.Store s =
        (ExtensionContext.Store)
            Proxy.newProxyInstance(
                LeakGuardTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.Store.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "put":
                      return store.put(args[0], args[1]);
                    case "get":
                      return store.get(args[0]);
                    case "remove":
                      return store.remove(args[0]);
                    default:
                      throw new UnsupportedOperationException(method.getName());
                  }
                });
    return (ExtensionContext)
        Proxy.newProxyInstance(
            LeakGuardTest.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "getDisplayName":
                  return name;
                case "getStore":
                  return s;
                default:
                  return null;
              }
            });
  }

  private static ExtensionContext named(String name) {
    return named(name, new HashMap<>());
  }

  @Test
  void aLeakReportedBeforeAClassStartsFailsThatClassAtItsEnd() throws Exception {
    new LeakGuard().beforeAll(named("earlier")); // start from nothing found
    Map<Object, Object> store = new HashMap<>();
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("late-report").leakTracing(LeakTracing.ALL).build()) {
      leakABuilder(pool, 65536); // as if an earlier class leaked and its check missed it
      new LeakGuard().beforeAll(named("Next", store));
      AssertionFailedError e =
          assertThrows(
              AssertionFailedError.class, () -> new LeakGuard().afterAll(named("Next", store)));
      assertTrue(e.getMessage().contains("found before Next"), e.getMessage());
      assertTrue(e.getMessage().contains("LeakGuardTest.leakABuilder"), e.getMessage());
      new LeakGuard().afterAll(named("Next", store)); // reported once
    }
  }

  @Test
  void anEachTestGuardReportsEarlierLeaksAtTheFirstTest() throws Exception {
    new LeakGuard().beforeAll(named("earlier"));
    Map<Object, Object> store = new HashMap<>();
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("late-report-each").leakTracing(LeakTracing.ALL).build()) {
      leakABuilder(pool, 65536);
      LeakGuard guard = LeakGuard.afterEachTest();
      guard.beforeAll(named("Next", store));
      AssertionFailedError e =
          assertThrows(AssertionFailedError.class, () -> guard.afterEach(named("first", store)));
      assertTrue(e.getMessage().contains("found before Next"), e.getMessage());
      guard.afterEach(named("second", store));
      guard.afterAll(named("Next", store));
    }
  }

  @Test
  void theGuardFailsOnAnUnexpectedLeakOnceNamingTheSite() throws Exception {
    new LeakGuard().beforeAll(named("earlier")); // what earlier classes leaked is not ours
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("guard-test").leakTracing(LeakTracing.ALL).build()) {
      leakABuilder(pool, 65536);
      AssertionFailedError e =
          assertThrows(
              AssertionFailedError.class, () -> LeakGuard.afterEachTest().afterEach(named("Some")));
      assertTrue(
          e.getMessage().contains("1 buffer(s) leaked (dropped without close()) by Some"),
          e.getMessage());
      assertTrue(e.getMessage().contains("LeakGuardTest.leakABuilder"), e.getMessage());
      LeakGuard.afterEachTest().afterEach(named("Some")); // reported once: nothing left
    }
  }

  @Test
  void aPoolDeclaredLeakyNeverFailsTheGuardButFailsAssertNoLeaks() throws Exception {
    new LeakGuard().beforeAll(named("earlier"));
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("declared-leaky").leakTracing(LeakTracing.ALL).build()) {
      LeakGuard.expectLeaksFrom(pool);
      leakABuilder(pool, 65536);
      LeakGuard.afterEachTest().afterEach(named("Declared"));
      AssertionFailedError e =
          assertThrows(AssertionFailedError.class, () -> PoolAssertions.assertNoLeaks(pool));
      assertTrue(e.getMessage().contains("LeakGuardTest.leakABuilder"), e.getMessage());
      assertThrows(AssertionFailedError.class, () -> PoolAssertions.assertClean(pool));
    }
  }

  @Test
  void assertNoLiveBytesNamesWhatIsStillHeld() {
    try (SlabBufferPool pool = SlabBufferPool.builder().build();
        var held = pool.acquire(100, "acme")) {
      AssertionFailedError e =
          assertThrows(AssertionFailedError.class, () -> PoolAssertions.assertNoLiveBytes(pool));
      assertTrue(e.getMessage().contains("SMALL: 1 buffers, 4096 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("acme"), e.getMessage());
    }
  }
}
