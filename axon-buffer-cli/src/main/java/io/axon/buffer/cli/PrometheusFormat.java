package io.axon.buffer.cli;

import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Renders a {@link PoolSnapshot} in the Prometheus text exposition format (version 0.0.4): what
 * {@code GET /metrics} serves. Live (leased), retained and allocated bytes are separate metrics, as
 * the snapshot keeps them; per-class and per-tenant series carry {@code class} and {@code tenant}
 * labels. Per-class series come in {@link PoolClass} order (small, medium, large, huge, oversize),
 * per-tenant series in tenant name order.
 */
final class PrometheusFormat {

  /** The Content-Type of the rendered text. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  private PrometheusFormat() {}

  /** The snapshot as Prometheus text. */
  static String render(PoolSnapshot s) {
    return render(s, java.util.Set.of());
  }

  /**
   * The snapshot as Prometheus text; each of {@code knownTenants} gets a live-bytes series even at
   * 0 (the snapshot lists only tenants holding memory), so that a series does not vanish when its
   * tenant's uploads end. Per-tenant series are shown for those tenants and for tenants holding
   * memory, no others: a tenant that gave its slot back leaves {@code /metrics}.
   */
  static String render(PoolSnapshot s, java.util.Set<String> knownTenants) {
    PrometheusFormat f = new PrometheusFormat();
    f.gauge(
        "axon_buffer_pool_live_bytes",
        "Capacity of pooled memory leased by open buffers and builders.",
        s.liveBytes());
    f.gauge(
        "axon_buffer_pool_retained_bytes",
        "Free slabs kept by the pool for reuse.",
        s.retainedBytes());
    f.gauge(
        "axon_buffer_pool_allocated_bytes",
        "Memory currently obtained from the system (live + retained).",
        s.allocatedBytes());
    f.counter(
        "axon_buffer_pool_system_allocated_bytes_total",
        "Memory obtained from the system since start.",
        s.totalAllocatedBytes());
    f.counter(
        "axon_buffer_pool_oversize_allocations_total",
        "Allocations larger than the HUGE class, never pooled.",
        s.oversizeAllocations());
    f.counter(
        "axon_buffer_pool_leaks_reclaimed_total",
        "Storages reclaimed by the safety net after their views were dropped unclosed.",
        s.leaksReclaimed());
    f.counter(
        "axon_buffer_pool_leaked_bytes_total",
        "Capacity of the storages reclaimed as leaks.",
        s.leakedBytes());
    f.gauge(
        "axon_buffer_pool_pinned_unused_bytes",
        "Bytes of live storage that no live view can see.",
        s.pinnedUnusedBytes());

    f.perClass(
        s,
        "axon_buffer_pool_class_hits_total",
        "counter",
        "Acquisitions served from the free list, per size class.",
        PoolSnapshot.ClassStats::hits);
    f.perClass(
        s,
        "axon_buffer_pool_class_misses_total",
        "counter",
        "Acquisitions that allocated from the system, per size class.",
        PoolSnapshot.ClassStats::misses);
    f.perClass(
        s,
        "axon_buffer_pool_class_leased_bytes",
        "gauge",
        "Bytes leased, per size class.",
        PoolSnapshot.ClassStats::leasedBytes);
    f.perClass(
        s,
        "axon_buffer_pool_class_retained_slabs",
        "gauge",
        "Free slabs kept, per size class.",
        PoolSnapshot.ClassStats::retainedSlabs);
    f.perClass(
        s,
        "axon_buffer_pool_class_retained_bytes",
        "gauge",
        "Bytes of free slabs kept, per size class.",
        PoolSnapshot.ClassStats::retainedBytes);

    f.header("axon_buffer_tenant_live_bytes", "gauge", "Live bytes billed to each tenant.");
    java.util.SortedMap<String, Long> live = new java.util.TreeMap<>(s.liveBytesByTenant());
    for (String tenant : knownTenants) {
      live.putIfAbsent(tenant, 0L);
    }
    for (Map.Entry<String, Long> e : live.entrySet()) {
      f.sample("axon_buffer_tenant_live_bytes", "tenant", e.getKey(), e.getValue());
    }
    f.header(
        "axon_buffer_tenant_soft_limit_exceeded_total",
        "counter",
        "Acquisitions that took a tenant past its soft limit.");
    // Every tenant of the live-bytes series has a counter, 0 before its first breach, so that a
    // rate() or an alert on it has a series from the start.
    java.util.SortedMap<String, Long> soft = new java.util.TreeMap<>();
    for (String tenant : live.keySet()) {
      soft.put(tenant, s.softLimitExceeded().getOrDefault(tenant, 0L));
    }
    for (Map.Entry<String, Long> e : soft.entrySet()) {
      f.sample("axon_buffer_tenant_soft_limit_exceeded_total", "tenant", e.getKey(), e.getValue());
    }
    f.header(
        "axon_buffer_tenant_hard_limit_refusals_total",
        "counter",
        "Acquisitions refused by a tenant's hard limit.");
    for (Map.Entry<String, Long> e : s.hardLimitRefusals().entrySet()) {
      if (!live.containsKey(e.getKey())) {
        continue;
      }
      f.sample("axon_buffer_tenant_hard_limit_refusals_total", "tenant", e.getKey(), e.getValue());
    }
    return f.out.toString();
  }

  /** One series per size class, in {@link PoolClass} order (small to oversize). */
  private void perClass(
      PoolSnapshot s,
      String name,
      String type,
      String help,
      ToLongFunction<PoolSnapshot.ClassStats> value) {
    header(name, type, help);
    for (PoolClass c : PoolClass.values()) {
      PoolSnapshot.ClassStats stats = s.of(c);
      if (stats != null) {
        sample(name, "class", c, value.applyAsLong(stats));
      }
    }
  }

  private void gauge(String name, String help, long value) {
    header(name, "gauge", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private void counter(String name, String help, long value) {
    header(name, "counter", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String label, Object labelValue, long value) {
    String v =
        labelValue instanceof PoolClass
            ? ((PoolClass) labelValue).name().toLowerCase(Locale.ROOT)
            : labelValue.toString();
    out.append(name)
        .append('{')
        .append(label)
        .append("=\"")
        .append(escape(v))
        .append("\"} ")
        .append(value)
        .append('\n');
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
