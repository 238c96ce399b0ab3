package io.axon.buffer.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The per-tenant meters of one pool in one registry: four meters per {@link TenantRow}, registered
 * when the row appears and removed from the registry when it goes. It follows {@link
 * TenantSelection#rows()}; it does not choose the rows.
 *
 * <p>Each meter holds its row strongly ({@link MeterSpec#register}) and, before reading the row,
 * asks the binder for the current snapshot ({@code refresh}), so a registry that reads tenant
 * meters first still reads this scrape's figures.
 *
 * <p>Not Micrometer's {@code MultiGauge}, which keeps a dynamic set of rows the same way but only
 * as gauges: the soft-limit and hard-limit counts are counters ({@code FunctionCounter}s, {@code
 * _total} in Prometheus).
 *
 * <p>Threading: {@link #sync} and {@link #removeAll} are serialized; after {@link #removeAll} the
 * object registers nothing more.
 */
final class TenantMeters {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Runnable refresh;
  private final Map<TenantRow, List<Meter>> meters = new IdentityHashMap<>();
  private boolean removed;

  /**
   * @param registry where the meters go
   * @param tags the binder's common tags ({@code pool} and the user's)
   * @param refresh brings the rows up to date before a meter reads one
   */
  TenantMeters(MeterRegistry registry, Tags tags, Runnable refresh) {
    this.registry = registry;
    this.tags = tags;
    this.refresh = refresh;
  }

  /** Registers the meters of rows that have none and removes those of rows no longer listed. */
  synchronized void sync(Collection<TenantRow> rows) {
    if (removed) {
      return;
    }
    Set<TenantRow> current = Collections.newSetFromMap(new IdentityHashMap<>());
    current.addAll(rows);
    for (Iterator<Map.Entry<TenantRow, List<Meter>>> it = meters.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<TenantRow, List<Meter>> e = it.next();
      if (!current.contains(e.getKey())) {
        e.getValue().forEach(registry::remove);
        it.remove();
      }
    }
    for (TenantRow row : rows) {
      meters.computeIfAbsent(row, this::register);
    }
  }

  /** Removes every meter this object registered, for good. */
  synchronized void removeAll() {
    removed = true;
    meters.values().forEach(list -> list.forEach(registry::remove));
    meters.clear();
  }

  private List<Meter> register(TenantRow row) {
    Tags rowTags = tags.and(BufferPoolMetrics.TAG_TENANT, row.tag);
    Supplier<TenantRow> source =
        () -> {
          refresh.run();
          return row;
        };
    List<Meter> list = new ArrayList<>(MeterSpec.TENANT.size());
    for (MeterSpec<TenantRow> spec : MeterSpec.TENANT) {
      list.add(spec.register(registry, rowTags, source));
    }
    return list;
  }
}
