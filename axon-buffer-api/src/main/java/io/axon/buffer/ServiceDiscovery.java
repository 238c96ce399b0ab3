package io.axon.buffer;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The {@link ServiceLoader} walk that {@link BufferKindRegistry} and {@link Transcoders} share:
 * which class loaders the process-wide instances load from, and an iteration that survives entries
 * that cannot be loaded.
 */
final class ServiceDiscovery {

  /** Loader failures tolerated in one walk before it stops (a services file of garbage). */
  private static final int MAX_FAILURES = 1000;

  private ServiceDiscovery() {}

  /**
   * Calls {@code load} with the thread context class loader, then with this library's own loader
   * when it is another one: what the process-wide instances load on first use.
   */
  static void fromDefaultLoaders(Consumer<ClassLoader> load) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      load.accept(context);
    }
    ClassLoader own = ServiceDiscovery.class.getClassLoader();
    if (own != null && own != context) {
      load.accept(own);
    }
  }

  /**
   * Hands every implementation of {@code service} visible from {@code loader} to {@code found}, in
   * discovery order; one that cannot be loaded or instantiated goes to {@code failed} and the walk
   * goes on (for at most {@value #MAX_FAILURES} failures).
   */
  static <S> void forEach(
      Class<S> service,
      ClassLoader loader,
      Consumer<? super S> found,
      Consumer<? super Throwable> failed) {
    Iterator<S> it = ServiceLoader.load(service, loader).iterator();
    int failures = 0;
    while (failures < MAX_FAILURES) {
      S next;
      try {
        if (!it.hasNext()) {
          return;
        }
        next = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        failures++;
        failed.accept(e);
        continue;
      }
      found.accept(next);
    }
  }
}
