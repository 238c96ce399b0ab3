package io.axon.buffer.cli;

import io.axon.buffer.BufferPool;
import io.axon.buffer.micrometer.BufferPoolMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What {@code GET /metrics} answers: Micrometer's Prometheus registry holding the pool's {@link
 * BufferPoolMetrics} (pool, size classes, tenants under a bounded tag), the JVM binders (memory and
 * buffer pools, GC, threads) under Micrometer's standard names, and serve's own count of slow
 * clients it closed. The format follows the request's {@code Accept} header as the registry
 * negotiates it ({@link ExpositionFormats#findWriter}): OpenMetrics when asked for, else the
 * Prometheus text format 0.0.4.
 *
 * <p>A scrape costs exactly one pool snapshot, taken when it starts (the binder's memo runs on a
 * {@link ScrapeClock} that moves one tick per scrape, with a time to live of one tick: every meter
 * of a scrape reads the same snapshot, and a tenant billed or evicted just before is already shown
 * so), and the registry's walk over some hundred meters: short enough for Jetty's I/O threads,
 * which answer it.
 *
 * <p>Threading: thread-safe; {@link #close} once, when the server has stopped.
 */
final class ServeMetrics implements AutoCloseable {

  /** Counter, tag {@code phase} ({@code head} or {@code body}): connections cut for slowness. */
  static final String SLOW_CLIENTS_CLOSED = "axon.buffer.serve.slow.clients.closed";

  /** An answer to one scrape: its content type and bytes. */
  record Scrape(String contentType, byte[] body) {}

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final ScrapeClock clock = new ScrapeClock();
  private final BufferPoolMetrics pool;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter slowBodies;
  private final List<Runnable> refreshes = new CopyOnWriteArrayList<>();

  /** Held here: Micrometer's function counters keep their object weakly (it read 0 after a GC). */
  private final LongSupplier slowHeads;

  /**
   * @param pool the pool uploads land in (its {@code pool} tag is its name)
   * @param slowHeads how many connections were closed for a request head slower than the limits
   */
  ServeMetrics(BufferPool pool, LongSupplier slowHeads) {
    this.pool =
        BufferPoolMetrics.builder(pool).clock(clock).snapshotTtl(Duration.ofNanos(1)).build();
    this.pool.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    this.slowHeads = slowHeads;
    String help = "Connections closed for a request head or body slower than the limits.";
    FunctionCounter.builder(SLOW_CLIENTS_CLOSED, slowHeads, s -> s.getAsLong())
        .description(help)
        .tag("phase", "head")
        .register(registry);
    slowBodies =
        Counter.builder(SLOW_CLIENTS_CLOSED)
            .description(help)
            .tag("phase", "body")
            .register(registry);
  }

  /**
   * Adds meters whose series are set at each scrape (the calls of {@code /stream}, which come and
   * go): {@code refresh} runs before the registry is read.
   *
   * @param binder registers the meters
   * @param refresh brings them up to date
   */
  void add(MeterBinder binder, Runnable refresh) {
    binder.bindTo(registry);
    refreshes.add(refresh);
  }

  /** Counts a connection closed for a body slower than {@code --min-request-rate}. */
  void countSlowBody() {
    slowBodies.increment();
  }

  /**
   * Every meter, in the format {@code accept} asks for.
   *
   * @param accept the request's {@code Accept} header, or null
   */
  Scrape scrape(String accept) {
    String contentType = formats.findWriter(accept).getContentType();
    clock.tick();
    pool.refresh(); // the scrape's snapshot, before any meter reads it
    for (Runnable r : refreshes) {
      r.run();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    try {
      registry.scrape(out, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return new Scrape(contentType, out.toByteArray());
  }

  /** Micrometer's clock with a monotonic time counted in scrapes, for the binder's memo. */
  private static final class ScrapeClock implements Clock {
    private final AtomicLong scrapes = new AtomicLong();

    void tick() {
      scrapes.incrementAndGet();
    }

    @Override
    public long wallTime() {
      return System.currentTimeMillis();
    }

    @Override
    public long monotonicTime() {
      return scrapes.get();
    }
  }

  /** Removes the meters (the pool's binder lets go of the pool) and stops the GC listener. */
  @Override
  public void close() {
    pool.close();
    gc.close();
    registry.close();
  }
}
