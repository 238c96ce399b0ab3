package io.axon.buffer.cli;

import io.axon.buffer.BufferPool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Once a second, gives back the slots of idle tenants ({@link TenantSlots#sweep}) with the pool's
 * live bytes per tenant from one snapshot. A Jetty lifecycle bean: runs while the server runs.
 */
final class TenantSweep extends AbstractLifeCycle {

  private final TenantSlots slots;
  private final BufferPool pool;
  private final Scheduler scheduler;
  private volatile Scheduler.Task next;

  TenantSweep(TenantSlots slots, BufferPool pool, Scheduler scheduler) {
    this.slots = slots;
    this.pool = pool;
    this.scheduler = scheduler;
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    next =
        scheduler.schedule(
            () -> {
              if (isRunning()) {
                Map<String, Long> live = pool.snapshot().liveBytesByTenant();
                slots.sweep(System.nanoTime(), t -> live.getOrDefault(t, 0L));
                schedule();
              }
            },
            1,
            TimeUnit.SECONDS);
  }
}
