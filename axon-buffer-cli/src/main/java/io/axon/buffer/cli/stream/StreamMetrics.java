package io.axon.buffer.cli.stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calls of {@code GET /stream} as Micrometer meters, for {@code serve}'s {@code /metrics}:
 *
 * <ul>
 *   <li>{@code axon.buffer.stream.calls} (tag {@code tenant}): calls open;
 *   <li>{@code axon.buffer.stream.live} (bytes, tag {@code tenant}) and {@code
 *       axon.buffer.stream.call.live} (bytes, tags {@code tenant}, {@code call}): pooled bytes the
 *       calls hold (a partial message, echo not yet written);
 *   <li>{@code axon.buffer.stream.calls.ended} (counter, tag {@code how}): completed, disconnected,
 *       or the {@link StreamFault} that closed them;
 *   <li>{@code axon.buffer.stream.frame.latency} (seconds, tag {@code quantile}) and {@code
 *       axon.buffer.stream.frames} (counter): from a frame's arrival to its audio handed to the
 *       sinks, quantiles of the {@link LatencyHistogram} (within 12.5%).
 * </ul>
 *
 * The per-tenant and per-call series come and go with the calls: {@link #refresh()} (called once
 * per scrape, before the registry is read) sets them from the calls open at that moment, and
 * removes those of calls that ended.
 *
 * <p>Threading: {@link #bindTo} once; {@link #refresh} from the scraping thread.
 */
public final class StreamMetrics implements MeterBinder {

  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private final StreamCalls calls;
  private MultiGauge open;
  private MultiGauge live;
  private MultiGauge perCall;

  StreamMetrics(StreamCalls calls) {
    this.calls = calls;
  }

  /**
   * Registers the meters and sets the series of the calls open now.
   *
   * @param registry where
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    open =
        MultiGauge.builder("axon.buffer.stream.calls")
            .description("WebSocket calls open on /stream, per tenant.")
            .register(registry);
    live =
        MultiGauge.builder("axon.buffer.stream.live")
            .description(
                "Pooled bytes held by the open calls of a tenant (partial messages, echo not yet"
                    + " written).")
            .baseUnit("bytes")
            .register(registry);
    perCall =
        MultiGauge.builder("axon.buffer.stream.call.live")
            .description("Pooled bytes one open call holds.")
            .baseUnit("bytes")
            .register(registry);
    String ended =
        "Calls ended, by how: completed (stop event or close frame), disconnected, or the fault"
            + " that closed them.";
    // The counters' object is the calls (held by the endpoint, which outlives the registry's
    // use of them): Micrometer holds a function counter's object weakly.
    counter(registry, ended, "completed", StreamCalls::completedCount);
    counter(registry, ended, "disconnected", StreamCalls::disconnectedCount);
    for (StreamFault f : StreamFault.values()) {
      counter(registry, ended, f.name(), c -> c.endedCount(f));
    }
    LatencyHistogram latency = calls.latency();
    for (double q : QUANTILES) {
      Gauge.builder("axon.buffer.stream.frame.latency", latency, h -> h.quantile(q) / 1e9)
          .description(
              "From a frame's arrival to its converted audio handed to the sinks (within 12.5%).")
          .baseUnit("seconds")
          .tag("percentile", percentile(q))
          .strongReference(true)
          .register(registry);
    }
    FunctionCounter.builder("axon.buffer.stream.frames", latency, LatencyHistogram::count)
        .description("Frames converted and handed to the sinks.")
        .register(registry);
    refresh();
  }

  private static String percentile(double q) {
    String p = Double.toString(q * 100);
    return p.endsWith(".0") ? p.substring(0, p.length() - 2) : p;
  }

  private void counter(
      MeterRegistry registry,
      String help,
      String how,
      java.util.function.ToLongFunction<StreamCalls> n) {
    FunctionCounter.builder("axon.buffer.stream.calls.ended", calls, c -> n.applyAsLong(c))
        .description(help)
        .tag("how", how)
        .register(registry);
  }

  /** Sets the per-tenant and per-call series from the calls open now. */
  public void refresh() {
    Map<String, long[]> byTenant = new TreeMap<>();
    List<MultiGauge.Row<?>> calls = new ArrayList<>();
    for (StreamCalls.Call c : this.calls.snapshot()) {
      long bytes = c.liveBytes();
      long[] t = byTenant.computeIfAbsent(c.tenant(), k -> new long[2]);
      t[0]++;
      t[1] += bytes;
      calls.add(MultiGauge.Row.of(Tags.of("tenant", c.tenant(), "call", c.id()), bytes));
    }
    List<MultiGauge.Row<?>> counts = new ArrayList<>();
    List<MultiGauge.Row<?>> bytes = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byTenant.entrySet()) {
      counts.add(MultiGauge.Row.of(Tags.of("tenant", e.getKey()), e.getValue()[0]));
      bytes.add(MultiGauge.Row.of(Tags.of("tenant", e.getKey()), e.getValue()[1]));
    }
    open.register(counts, true);
    live.register(bytes, true);
    perCall.register(calls, true);
  }
}
