package io.axon.buffer.core;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The process-wide leak listeners of {@link SlabBufferPool#addLeakListener}. */
final class LeakListeners {

  private static final CopyOnWriteArrayList<Consumer<? super LeakReport>> LISTENERS =
      new CopyOnWriteArrayList<>();

  private LeakListeners() {}

  static void add(Consumer<? super LeakReport> listener) {
    LISTENERS.add(Objects.requireNonNull(listener, "listener"));
  }

  static void remove(Consumer<? super LeakReport> listener) {
    LISTENERS.remove(listener);
  }

  static void publish(LeakReport report) {
    for (Consumer<? super LeakReport> l : LISTENERS) {
      try {
        l.accept(report);
      } catch (RuntimeException e) {
        System.getLogger(SlabBufferPool.class.getName())
            .log(System.Logger.Level.WARNING, "leak listener " + l + " threw", e);
      }
    }
  }
}
