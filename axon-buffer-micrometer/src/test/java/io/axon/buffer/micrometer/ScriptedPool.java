package io.axon.buffer.micrometer;

import io.axon.buffer.BufferPool;
import io.axon.buffer.PoolSnapshot;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link BufferPool} whose snapshot the test sets (any figures, any tenant names, including names
 * a real pool would refuse), and which counts {@link BufferPool#snapshot()} calls. Made as a
 * dynamic proxy so that it follows the interface as it grows: every method but {@code snapshot()},
 * {@code name()} and {@code isDirect()} throws.
 */
final class ScriptedPool {

  private final AtomicReference<PoolSnapshot> next =
      new AtomicReference<>(PoolSnapshot.builder().build());
  private final AtomicInteger snapshots = new AtomicInteger();
  private final BufferPool pool;

  ScriptedPool(String name) {
    this.pool =
        (BufferPool)
            Proxy.newProxyInstance(
                BufferPool.class.getClassLoader(),
                new Class<?>[] {BufferPool.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "snapshot" -> {
                        snapshots.incrementAndGet();
                        yield next.get();
                      }
                      case "name" -> name;
                      case "isDirect" -> true;
                      case "toString" -> "ScriptedPool[" + name + "]";
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default ->
                          throw new UnsupportedOperationException(
                              method.getName() + " is not scripted");
                    });
  }

  BufferPool pool() {
    return pool;
  }

  /** Sets what the next snapshots return. */
  void set(PoolSnapshot s) {
    next.set(s);
  }

  /** Sets a snapshot with these live bytes per tenant and nothing else. */
  void setLive(Map<String, Long> liveByTenant) {
    long total = liveByTenant.values().stream().mapToLong(Long::longValue).sum();
    set(
        PoolSnapshot.builder()
            .liveBytes(total)
            .allocatedBytes(total)
            .liveBytesByTenant(liveByTenant)
            .tenants(liveByTenant.size())
            .build());
  }

  /** How many snapshots were taken. */
  int snapshots() {
    return snapshots.get();
  }
}
