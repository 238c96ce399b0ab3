package io.axon.buffer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.PoolSnapshot.ClassStats;
import io.axon.buffer.TenantLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferPoolMetricsTest {

  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

  private final MockClock clock = new MockClock();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
  private final ScriptedPool scripted = new ScriptedPool("uploads");
  private final List<BufferPoolMetrics> binders = new ArrayList<>();

  @AfterEach
  void closeBinders() {
    binders.forEach(BufferPoolMetrics::close);
  }

  /** Every figure different, so that one read in place of another shows. */
  static PoolSnapshot everyFigure() {
    PoolSnapshot.Builder b =
        PoolSnapshot.builder()
            .direct(true)
            .liveBytes(5000)
            .retainedBytes(7000)
            .allocatedBytes(12000)
            .borrowedBytes(300)
            .pinnedUnusedBytes(40)
            .tenants(3)
            .totalAllocatedBytes(99000)
            .oversizeAllocations(2)
            .leaksReclaimed(1)
            .leakedBytes(4096)
            .tenantAdmissionRefusals(6)
            .liveBytesByTenant(Map.of("acme", 4000L, "globex", 1000L))
            .borrowedBytesByTenant(Map.of("acme", 300L))
            .softLimitExceeded(Map.of("acme", 3L))
            .hardLimitRefusals(Map.of("globex", 4L, "initech", 1L));
    for (PoolClass c : PoolClass.values()) {
      int k = (c.ordinal() + 1) * 10;
      b.classStats(c, new ClassStats(k + 1, k + 2, k + 3, k + 4, k + 5, k + 6));
    }
    return b.build();
  }

  private BufferPoolMetrics bind(BufferPoolMetrics.Builder builder) {
    BufferPoolMetrics m = builder.clock(clock).build();
    binders.add(m);
    m.bindTo(registry);
    return m;
  }

  private BufferPoolMetrics bindScripted() {
    return bind(BufferPoolMetrics.builder(scripted.pool()));
  }

  private Exposition scrapeText() {
    return StrictExpositionParser.parseText(registry.scrape());
  }

  /** Lets the memoized snapshot expire, as the next scrape interval would. */
  private void nextInterval() {
    clock.add(BufferPoolMetrics.DEFAULT_SNAPSHOT_TTL);
  }

  @Test
  void everyFigureOfTheSnapshotIsReportedUnderItsPrometheusName() {
    scripted.set(everyFigure());
    bindScripted();
    Exposition e = scrapeText();

    Map<String, Double> pool = new LinkedHashMap<>();
    pool.put("axon_buffer_pool_live_bytes", 5000.0);
    pool.put("axon_buffer_pool_retained_bytes", 7000.0);
    pool.put("axon_buffer_pool_allocated_bytes", 12000.0);
    pool.put("axon_buffer_pool_borrowed_bytes", 300.0);
    pool.put("axon_buffer_pool_pinned_unused_bytes", 40.0);
    pool.put("axon_buffer_pool_tenants", 3.0);
    pool.put("axon_buffer_pool_system_allocated_bytes_total", 99000.0);
    pool.put("axon_buffer_pool_oversize_allocations_total", 2.0);
    pool.put("axon_buffer_pool_leaks_reclaimed_total", 1.0);
    pool.put("axon_buffer_pool_leaked_bytes_total", 4096.0);
    pool.put("axon_buffer_pool_tenant_admission_refusals_total", 6.0);
    pool.put("axon_buffer_tenant_series_aggregated", 0.0);
    pool.forEach((name, value) -> assertEquals(value, e.value(name, "pool", "uploads"), name));

    for (PoolClass c : PoolClass.values()) {
      String cls = c.name().toLowerCase(java.util.Locale.ROOT);
      int k = (c.ordinal() + 1) * 10;
      assertEquals(k + 1, e.value("axon_buffer_pool_hits_total", "pool", "uploads", "class", cls));
      assertEquals(
          k + 2, e.value("axon_buffer_pool_misses_total", "pool", "uploads", "class", cls));
      assertEquals(
          k + 3, e.value("axon_buffer_pool_class_leased_slabs", "pool", "uploads", "class", cls));
      assertEquals(
          k + 4, e.value("axon_buffer_pool_class_leased_bytes", "pool", "uploads", "class", cls));
      assertEquals(
          k + 5, e.value("axon_buffer_pool_class_retained_slabs", "pool", "uploads", "class", cls));
      assertEquals(
          k + 6, e.value("axon_buffer_pool_class_retained_bytes", "pool", "uploads", "class", cls));
    }

    assertEquals(4000, e.value("axon_buffer_tenant_live_bytes", "tenant", "acme"));
    assertEquals(1000, e.value("axon_buffer_tenant_live_bytes", "tenant", "globex"));
    assertEquals(0, e.value("axon_buffer_tenant_live_bytes", "tenant", "initech"));
    assertEquals(300, e.value("axon_buffer_tenant_borrowed_bytes", "tenant", "acme"));
    assertEquals(3, e.value("axon_buffer_tenant_soft_limit_exceeded_total", "tenant", "acme"));
    assertEquals(0, e.value("axon_buffer_tenant_soft_limit_exceeded_total", "tenant", "globex"));
    assertEquals(4, e.value("axon_buffer_tenant_hard_limit_refusals_total", "tenant", "globex"));
    assertEquals(1, e.value("axon_buffer_tenant_hard_limit_refusals_total", "tenant", "initech"));
    assertEquals(0, e.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertEquals(
        4,
        e.samples("axon_buffer_tenant_live_bytes").size(),
        "one series per tenant named anywhere in the snapshot, and _other");

    // Types and help: gauges are gauges, counters counters, each with a description.
    assertEquals("gauge", e.family("axon_buffer_pool_live_bytes").type());
    assertEquals("counter", e.family("axon_buffer_pool_hits_total").type());
    assertEquals("counter", e.family("axon_buffer_tenant_hard_limit_refusals_total").type());
    for (Exposition.Family f : e.families().values()) {
      assertFalse(f.help().isBlank(), f.name() + " has a HELP text");
      for (Exposition.Sample s : f.samples()) {
        assertEquals("uploads", s.labels().get("pool"), s.name());
      }
    }
  }

  @Test
  void pythonClientReadsTheTextScrapeAsTheStrictParserDoes() {
    PythonPrometheusParser.assumeAvailable();
    scripted.set(everyFigure());
    bindScripted();
    String text = registry.scrape();
    assertEquals(
        set(StrictExpositionParser.parseText(text).samples()),
        set(PythonPrometheusParser.parseText(text)));
  }

  @Test
  void pythonClientReadsTheOpenMetricsScrapeAsTheStrictParserDoes() {
    PythonPrometheusParser.assumeAvailable();
    scripted.set(everyFigure());
    bindScripted();
    String text = registry.scrape(OPENMETRICS);
    assertEquals(
        set(StrictExpositionParser.parseOpenMetrics(text).samples()),
        set(PythonPrometheusParser.parseOpenMetrics(text)));
  }

  private static Set<Exposition.Sample> set(List<Exposition.Sample> samples) {
    Set<Exposition.Sample> set = new HashSet<>(samples);
    assertEquals(samples.size(), set.size(), "no sample twice");
    return set;
  }

  @Test
  void theFormatIsNegotiatedFromTheAcceptHeaderAsTheRegistryDoes() {
    scripted.set(everyFigure());
    bindScripted();
    ExpositionFormats formats = ExpositionFormats.init();

    String omType = formats.findWriter(OPENMETRICS + "; charset=utf-8").getContentType();
    assertTrue(omType.startsWith("application/openmetrics-text"), omType);
    String om = registry.scrape(OPENMETRICS + "; charset=utf-8");
    assertTrue(om.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    Exposition e = StrictExpositionParser.parseOpenMetrics(om);
    // In OpenMetrics a counter family has no _total; its sample has.
    assertEquals("counter", e.family("axon_buffer_pool_hits").type());
    assertEquals(11.0, e.value("axon_buffer_pool_hits_total", "class", "small"), "counter sample");
    assertEquals(4, e.value("axon_buffer_tenant_hard_limit_refusals_total", "tenant", "globex"));

    for (String accept : new String[] {"text/plain", "*/*", "text/plain;version=0.0.4", ""}) {
      assertEquals(
          "text/plain; version=0.0.4; charset=utf-8",
          formats.findWriter(accept).getContentType(),
          accept);
      String text = registry.scrape(accept);
      assertFalse(text.contains("# EOF"), accept);
      assertEquals(
          11.0,
          StrictExpositionParser.parseText(text)
              .value("axon_buffer_pool_hits_total", "class", "small"),
          accept);
    }
    // Both formats carry the same figures.
    assertEquals(
        set(e.samples()), set(StrictExpositionParser.parseText(registry.scrape()).samples()));
  }

  private static final String[] AWKWARD_TENANTS = {
    "quote\"inside", "back\\slash", "line\nfeed", "\\\"\n\\n", "ünïcødé", "sp ace", "{brace}="
  };

  private PoolSnapshot awkwardTenants() {
    Map<String, Long> live = new LinkedHashMap<>();
    for (int i = 0; i < AWKWARD_TENANTS.length; i++) {
      live.put(AWKWARD_TENANTS[i], 100L + i);
    }
    return PoolSnapshot.builder().liveBytesByTenant(live).hardLimitRefusals(live).build();
  }

  @Test
  void tenantNamesWithQuotesBackslashesAndNewlinesAreEscaped() {
    scripted.set(awkwardTenants());
    bindScripted();
    String text = registry.scrape();
    assertTrue(text.contains("tenant=\"quote\\\"inside\""), text);
    assertTrue(text.contains("tenant=\"back\\\\slash\""), text);
    assertTrue(text.contains("tenant=\"line\\nfeed\""), text);

    for (Exposition e :
        List.of(
            StrictExpositionParser.parseText(text),
            StrictExpositionParser.parseOpenMetrics(registry.scrape(OPENMETRICS)))) {
      for (int i = 0; i < AWKWARD_TENANTS.length; i++) {
        String tenant = AWKWARD_TENANTS[i];
        assertEquals(100 + i, e.value("axon_buffer_tenant_live_bytes", "tenant", tenant), tenant);
        assertEquals(
            100 + i,
            e.value("axon_buffer_tenant_hard_limit_refusals_total", "tenant", tenant),
            tenant);
      }
    }
  }

  @Test
  void pythonClientReadsEscapedTenantNamesBack() {
    PythonPrometheusParser.assumeAvailable();
    scripted.set(awkwardTenants());
    bindScripted();
    for (List<Exposition.Sample> samples :
        List.of(
            PythonPrometheusParser.parseText(registry.scrape()),
            PythonPrometheusParser.parseOpenMetrics(registry.scrape(OPENMETRICS)))) {
      Set<String> tenants = new HashSet<>();
      for (Exposition.Sample s : samples) {
        if (s.name().equals("axon_buffer_tenant_live_bytes")) {
          tenants.add(s.labels().get("tenant"));
        }
      }
      tenants.remove(BufferPoolMetrics.OTHER_TENANTS);
      assertEquals(Set.of(AWKWARD_TENANTS), tenants);
    }
  }

  @Test
  void seriesOfATenantAreRemovedWhenTheSnapshotNoLongerNamesIt() {
    scripted.setLive(Map.of("acme", 10L, "globex", 20L));
    bindScripted();
    assertEquals(20, scrapeText().value("axon_buffer_tenant_live_bytes", "tenant", "globex"));

    scripted.setLive(Map.of("acme", 10L)); // the pool evicted globex
    nextInterval();
    Exposition e = scrapeText();
    assertEquals(10, e.value("axon_buffer_tenant_live_bytes", "tenant", "acme"));
    for (String name :
        List.of(
            "axon_buffer_tenant_live_bytes",
            "axon_buffer_tenant_borrowed_bytes",
            "axon_buffer_tenant_soft_limit_exceeded_total",
            "axon_buffer_tenant_hard_limit_refusals_total")) {
      assertTrue(e.sample(name, "tenant", "globex").isEmpty(), name);
    }
    assertNull(
        registry.find(BufferPoolMetrics.TENANT_LIVE).tag("tenant", "globex").meter(),
        "the meter is removed from the registry, not only hidden");
    assertEquals(
        8, // acme's four and _other's four
        registry.find("axon.buffer.tenant.live").meters().size()
            + registry.find("axon.buffer.tenant.borrowed").meters().size()
            + registry.find("axon.buffer.tenant.soft.limit.exceeded").meters().size()
            + registry.find("axon.buffer.tenant.hard.limit.refusals").meters().size());

    scripted.setLive(Map.of());
    nextInterval();
    Exposition empty = scrapeText();
    assertEquals(
        List.of("_other"),
        empty.samples("axon_buffer_tenant_live_bytes").stream()
            .map(x -> x.labels().get("tenant"))
            .toList());
    assertEquals(0, empty.value("axon_buffer_pool_live_bytes"));
  }

  @Test
  void aNewTenantHasSeriesInTheScrapeThatFirstSeesIt() {
    scripted.setLive(Map.of("acme", 10L));
    bindScripted();
    scrapeText();

    scripted.setLive(Map.of("acme", 10L, "globex", 20L));
    nextInterval();
    // The pool meters, read first, take the snapshot that names globex and register its meters
    // before the registry reads the tenant meters.
    assertEquals(20, scrapeText().value("axon_buffer_tenant_live_bytes", "tenant", "globex"));
    assertNotNull(registry.find(BufferPoolMetrics.TENANT_LIVE).tag("tenant", "globex").gauge());
  }

  @Test
  void refreshBeforeTheScrapeShowsANewTenantInThatScrape() {
    scripted.setLive(Map.of());
    BufferPoolMetrics metrics = bindScripted();
    scrapeText();

    scripted.setLive(Map.of("globex", 20L));
    nextInterval();
    metrics.refresh();
    assertEquals(20, scrapeText().value("axon_buffer_tenant_live_bytes", "tenant", "globex"));
  }

  @Test
  void tenantsBeyondTheCapAreSummedUnderOther() {
    scripted.set(
        PoolSnapshot.builder()
            .liveBytesByTenant(Map.of("a", 10L, "b", 30L, "c", 20L, "d", 5L))
            .softLimitExceeded(Map.of("a", 1L, "d", 2L, "b", 7L))
            .build());
    bind(BufferPoolMetrics.builder(scripted.pool()).maxTenantSeries(2));
    Exposition e = scrapeText();
    // The two largest get their own series; a and d are summed.
    assertEquals(30, e.value("axon_buffer_tenant_live_bytes", "tenant", "b"));
    assertEquals(20, e.value("axon_buffer_tenant_live_bytes", "tenant", "c"));
    assertEquals(15, e.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertEquals(3, e.value("axon_buffer_tenant_soft_limit_exceeded_total", "tenant", "_other"));
    assertEquals(7, e.value("axon_buffer_tenant_soft_limit_exceeded_total", "tenant", "b"));
    assertEquals(2, e.value("axon_buffer_tenant_series_aggregated"));
    assertEquals(3, e.samples("axon_buffer_tenant_live_bytes").size());
  }

  @Test
  void aTenantKeepsItsSeriesWhenLargerTenantsArrive() {
    scripted.setLive(Map.of("small", 1L));
    bind(BufferPoolMetrics.builder(scripted.pool()).maxTenantSeries(1));
    scrapeText();

    scripted.setLive(Map.of("small", 1L, "huge", 1_000_000L));
    nextInterval();
    Exposition e = scrapeText();
    assertEquals(1, e.value("axon_buffer_tenant_live_bytes", "tenant", "small"));
    assertEquals(1_000_000, e.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertTrue(e.sample("axon_buffer_tenant_live_bytes", "tenant", "huge").isEmpty());

    // When the first tenant goes, its place goes to the waiting one, and _other goes away.
    scripted.setLive(Map.of("huge", 1_000_000L));
    nextInterval();
    Exposition after = scrapeText();
    assertEquals(1_000_000, after.value("axon_buffer_tenant_live_bytes", "tenant", "huge"));
    assertEquals(0, after.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertEquals(0, after.value("axon_buffer_tenant_series_aggregated"));
  }

  @Test
  void aRealTenantNamedOtherIsAlwaysAggregated() {
    scripted.setLive(Map.of("_other", 7L, "acme", 1L));
    bindScripted();
    Exposition e = scrapeText();
    assertEquals(7, e.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertEquals(1, e.value("axon_buffer_tenant_series_aggregated"));
    assertEquals(2, e.samples("axon_buffer_tenant_live_bytes").size());
  }

  @Test
  void aCapOfZeroReportsEveryTenantInOneSeries() {
    scripted.setLive(Map.of("a", 1L, "b", 2L));
    bind(BufferPoolMetrics.builder(scripted.pool()).maxTenantSeries(0));
    Exposition e = scrapeText();
    assertEquals(3, e.value("axon_buffer_tenant_live_bytes", "tenant", "_other"));
    assertEquals(1, e.samples("axon_buffer_tenant_live_bytes").size());
  }

  @Test
  void oneScrapeTakesOneSnapshotHoweverManyMetersItReads() {
    scripted.set(everyFigure());
    bindScripted();
    int atBind = scripted.snapshots();
    assertEquals(1, atBind, "binding takes the first snapshot (it names the tenants)");
    int meters = registry.getMeters().size();
    assertTrue(meters > 40, "the scrape reads " + meters + " meters");

    scrapeText();
    assertEquals(1, scripted.snapshots(), "a scrape within the time to live reuses it");
    nextInterval();
    scrapeText();
    assertEquals(2, scripted.snapshots(), "one snapshot for the whole scrape");
    scrapeText();
    assertEquals(2, scripted.snapshots());

    // A second registry shares the memo: the two scrapes take one snapshot.
    PrometheusMeterRegistry second =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    binders.get(0).bindTo(second);
    nextInterval();
    scrapeText();
    StrictExpositionParser.parseText(second.scrape());
    assertEquals(3, scripted.snapshots());
  }

  @Test
  void aTimeToLiveOfZeroTakesASnapshotAtEveryRead() {
    scripted.set(everyFigure());
    bind(BufferPoolMetrics.builder(scripted.pool()).snapshotTtl(Duration.ZERO));
    int before = scripted.snapshots();
    registry.find(BufferPoolMetrics.POOL_LIVE).gauge().value();
    registry.find(BufferPoolMetrics.POOL_RETAINED).gauge().value();
    assertEquals(before + 2, scripted.snapshots());
  }

  @Test
  void theRegistryKeepsAPoolThatOnlyItReferences() throws InterruptedException {
    WeakReference<?> pool = bindUnreferencedPool();
    WeakReference<Object> canary = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && canary.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(canary.get(), "the collector ran (else this test proves nothing)");
    assertNotNull(pool.get(), "the bound pool is still reachable");
    nextInterval();
    assertEquals(
        42,
        scrapeText()
            .value("axon_buffer_tenant_live_bytes", "pool", "unreferenced", "tenant", "acme"));
  }

  private WeakReference<?> bindUnreferencedPool() {
    ScriptedPool unreferenced = new ScriptedPool("unreferenced");
    unreferenced.setLive(Map.of("acme", 42L));
    BufferPoolMetrics.builder(unreferenced.pool()).clock(clock).build().bindTo(registry);
    return new WeakReference<>(unreferenced.pool());
  }

  @Test
  void closeRemovesEveryMeterItRegistered() {
    scripted.set(everyFigure());
    BufferPoolMetrics metrics = bindScripted();
    assertFalse(registry.getMeters().isEmpty());
    metrics.close();
    assertTrue(registry.getMeters().isEmpty(), () -> registry.getMeters().toString());
    assertFalse(registry.scrape().contains("axon_buffer"));
    metrics.close(); // idempotent
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void twoPoolsNeedTwoNamesInOneRegistry() {
    bindScripted();
    ScriptedPool same = new ScriptedPool("uploads");
    BufferPoolMetrics clash = BufferPoolMetrics.of(same.pool());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> clash.bindTo(registry));
    assertTrue(e.getMessage().contains("uploads"), e.getMessage());

    ScriptedPool renamed = new ScriptedPool("uploads");
    renamed.setLive(Map.of("acme", 9L));
    bind(BufferPoolMetrics.builder(renamed.pool()).name("ws"));
    Exposition scraped = scrapeText();
    assertEquals(9, scraped.value("axon_buffer_pool_live_bytes", "pool", "ws"));
    assertEquals(0, scraped.value("axon_buffer_pool_live_bytes", "pool", "uploads"));
  }

  @Test
  void extraTagsGoOnEveryMeter() {
    scripted.setLive(Map.of("acme", 1L));
    bind(BufferPoolMetrics.builder(scripted.pool()).tags(Tags.of("region", "eu")));
    for (Exposition.Sample s : scrapeText().samples()) {
      assertEquals("eu", s.labels().get("region"), s.name());
    }
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    BufferPoolMetrics.Builder b = BufferPoolMetrics.builder(scripted.pool());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.maxTenantSeries(-1))
            .getMessage()
            .contains("-1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.snapshotTtl(Duration.ofSeconds(-1)))
            .getMessage()
            .contains("PT-1S"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.name(" "))
            .getMessage()
            .contains("\" \""));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> b.tags(Tags.of("tenant", "x")))
            .getMessage()
            .contains("tenant"));
    assertThrows(NullPointerException.class, () -> BufferPoolMetrics.builder(null));
    assertEquals(BufferPoolMetrics.DEFAULT_MAX_TENANT_SERIES, 100, "the documented default cap");
  }

  @Test
  void scrapesOnSeveralThreadsWhileTenantsComeAndGoStayWellFormed() throws Exception {
    bind(
        BufferPoolMetrics.builder(scripted.pool())
            .maxTenantSeries(3)
            .snapshotTtl(Duration.ZERO)); // a snapshot at every read: the most churn
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?> writer =
          threads.submit(
              () -> {
                start.await();
                for (int i = 0; !stop.get(); i++) {
                  Map<String, Long> live = new LinkedHashMap<>();
                  for (int t = 0; t < 6; t++) {
                    if (((i >> t) & 1) == 1) {
                      live.put("t" + t, (long) (i % 97) + t);
                    }
                  }
                  scripted.setLive(live);
                }
                return null;
              });
      List<Future<Integer>> scrapers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        scrapers.add(
            threads.submit(
                () -> {
                  start.await();
                  int scrapes = 0;
                  for (; scrapes < 300; scrapes++) {
                    // Well-formed: no sample twice, every family's lines together.
                    StrictExpositionParser.parseText(registry.scrape());
                    StrictExpositionParser.parseOpenMetrics(registry.scrape(OPENMETRICS));
                  }
                  return scrapes;
                }));
      }
      start.countDown();
      for (Future<Integer> f : scrapers) {
        assertEquals(300, f.get(2, TimeUnit.MINUTES));
      }
      stop.set(true);
      writer.get(1, TimeUnit.MINUTES);
    } finally {
      stop.set(true);
      threads.shutdownNow();
    }

    // Quiet now: after one refresh the series are exactly the last snapshot's.
    scripted.setLive(Map.of("t1", 5L, "t9", 6L));
    binders.get(0).refresh();
    Exposition e = scrapeText();
    Map<String, Double> live = new LinkedHashMap<>();
    for (Exposition.Sample s : e.samples("axon_buffer_tenant_live_bytes")) {
      live.put(s.labels().get("tenant"), s.value());
    }
    assertEquals(Map.of("t1", 5.0, "t9", 6.0, "_other", 0.0), live);
  }

  @Test
  void theFiguresOfARealPoolReachTheScrapeAndGoBackToZero() {
    try (SlabBufferPool pool = SlabBufferPool.builder().name("real").build()) {
      bind(BufferPoolMetrics.builder(pool));
      BufferMut acme = pool.acquire(1000, "acme");
      BufferMut globex = pool.acquire(70_000, "globex");
      acme.append(new byte[1000]);
      ZeroCopyBuffer frozen = acme.freeze();
      nextInterval();
      Exposition e = scrapeText();
      PoolSnapshot s = pool.snapshot();
      assertEquals(s.liveBytes(), e.value("axon_buffer_pool_live_bytes", "pool", "real"));
      assertEquals(s.liveBytes("acme"), e.value("axon_buffer_tenant_live_bytes", "tenant", "acme"));
      assertEquals(
          s.liveBytes("globex"), e.value("axon_buffer_tenant_live_bytes", "tenant", "globex"));
      assertTrue(s.liveBytes("globex") >= 70_000);
      assertEquals(
          s.of(PoolClass.LARGE).misses(),
          e.value("axon_buffer_pool_misses_total", "class", "large"));

      frozen.close();
      globex.close();
      nextInterval();
      Exposition after = scrapeText();
      assertEquals(0, after.value("axon_buffer_pool_live_bytes", "pool", "real"));
      for (String tenant : List.of("acme", "globex")) {
        double live =
            after
                .sample("axon_buffer_tenant_live_bytes", "tenant", tenant)
                .map(Exposition.Sample::value)
                .orElse(0.0);
        assertEquals(0, live, tenant);
      }
    }
  }

  @Test
  void aRealPoolsEvictedTenantTakesItsSeriesWithIt() {
    for (boolean evicting : new boolean[] {true, false}) {
      SlabBufferPool.Builder builder =
          SlabBufferPool.builder()
              .name(evicting ? "evicting" : "keeping")
              .hardLimit("greedy", 4096);
      if (evicting) {
        builder.tenantIdleTimeout(Duration.ZERO); // dropped at the first look that finds it idle
      }
      try (SlabBufferPool pool = builder.build()) {
        BufferPoolMetrics metrics = bind(BufferPoolMetrics.builder(pool));
        BufferMut held = pool.acquire(4096, "greedy");
        assertThrows(TenantLimitExceededException.class, () -> pool.acquire(5000, "greedy"));
        nextInterval();
        Exposition e = scrapeText();
        String tag = pool.name();
        assertEquals(
            1,
            e.value(
                "axon_buffer_tenant_hard_limit_refusals_total", "pool", tag, "tenant", "greedy"));
        assertEquals(
            4096, e.value("axon_buffer_tenant_live_bytes", "pool", tag, "tenant", "greedy"));

        held.close();
        pool.snapshot(); // the look that sees its last activity; idle from here
        nextInterval();
        Exposition after = scrapeText();
        // Evicted: its record, its counts and its series are gone. Kept: its refusal stays.
        assertEquals(
            !evicting,
            after
                .sample(
                    "axon_buffer_tenant_hard_limit_refusals_total", "pool", tag, "tenant", "greedy")
                .isPresent(),
            tag);
        assertEquals(
            !evicting,
            registry
                    .find(BufferPoolMetrics.TENANT_LIVE)
                    .tag("tenant", "greedy")
                    .tag("pool", tag)
                    .meter()
                != null,
            tag);
        metrics.close();
      }
    }
  }

  @Test
  void theJvmBindersAndThePoolShareOneScrapeUnderTheirStandardNames() {
    scripted.set(everyFigure());
    bindScripted();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    try (JvmGcMetrics gc = new JvmGcMetrics()) {
      gc.bindTo(registry);
      String scraped = registry.scrape();
      Exposition text = StrictExpositionParser.parseText(scraped);
      Exposition om = StrictExpositionParser.parseOpenMetrics(registry.scrape(OPENMETRICS));
      for (Exposition e : List.of(text, om)) {
        assertFalse(e.samples("jvm_memory_used_bytes").isEmpty());
        assertFalse(e.samples("jvm_buffer_memory_used_bytes").isEmpty());
        assertFalse(e.samples("jvm_threads_live_threads").isEmpty());
        assertEquals(5000, e.value("axon_buffer_pool_live_bytes"));
      }
      if (PythonPrometheusParser.available()) {
        assertEquals(set(text.samples()), set(PythonPrometheusParser.parseText(scraped)));
      }
    }
  }
}
