package io.axon.buffer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.PoolSnapshot;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.LeakDetection;
import io.axon.buffer.core.internal.UnexpectedLeaks;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The safety net: storage dropped without close() is reclaimed, counted and reported. */
class LeakTest {

  /** Drops a frozen view without closing it; returns nothing that keeps it reachable. */
  private static void leakAView(SlabBufferPool pool, int size, String tenant) {
    BufferMut m = pool.acquire(size, tenant);
    m.append(new byte[10]);
    ZeroCopyBuffer v = m.freeze();
    ZeroCopyBuffer slice = v.slice(0, 5);
    v.close();
    slice.get(0); // the slice is dropped unclosed
  }

  private static void leakABuilder(SlabBufferPool pool, int size) {
    pool.acquire(size).append((byte) 1);
  }

  @Test
  void droppedViewsAndBuildersAreReclaimedCountedAndNameTheirAllocationSite() {
    List<LeakReport> heard = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<LeakReport> listener = heard::add;
    LeakDetection.addListener(listener);
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("leaky").leakTracing(LeakTracing.ALL).build()) {
      UnexpectedLeaks.expectFrom(pool.name());
      leakAView(pool, 65536, "acme");
      leakABuilder(pool, 1 << 20);
      assertEquals(65536 + (1 << 20), pool.snapshot().liveBytes());
      UnexpectedLeaks.awaitDetection();
      PoolSnapshot s = pool.snapshot();
      assertEquals(2, s.leaksReclaimed());
      assertEquals(65536 + (1 << 20), s.leakedBytes());
      assertEquals(0, s.liveBytes(), "the memory went back to the pool");
      assertEquals(0, s.liveBytes("acme"), "and the tenant is no longer billed");
      assertEquals(1, s.of(PoolClass.MEDIUM).retainedSlabs());
      assertEquals(1, s.of(PoolClass.LARGE).retainedSlabs());
      List<LeakReport> reports = pool.leakReports();
      assertEquals(2, reports.size());
      LeakReport view =
          reports.stream().filter(r -> r.poolClass() == PoolClass.MEDIUM).findFirst().orElseThrow();
      assertEquals("leaky", view.pool());
      assertEquals(Optional.of("acme"), view.tenant());
      assertTrue(
          view.allocationSite()
              .orElseThrow()
              .startsWith("\tat io.axon.buffer.core.LeakTest.leakAView("),
          "the site starts at the acquiring code: " + view.describe());
      assertTrue(
          view.describe().contains("LEAK in pool leaky: 65536 bytes (MEDIUM)"), view.describe());
      LeakReport builder =
          reports.stream().filter(r -> r.poolClass() == PoolClass.LARGE).findFirst().orElseThrow();
      assertTrue(builder.allocationSite().orElseThrow().contains("LeakTest.leakABuilder"));
      assertEquals(
          2, heard.stream().filter(r -> r.pool().equals("leaky")).count(), "listeners heard both");
    } finally {
      LeakDetection.removeListener(listener);
    }
  }

  @Test
  void withoutTracingTheReportSaysHowToGetTheSite() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("leaky-untraced").leakTracing(LeakTracing.OFF).build()) {
      UnexpectedLeaks.expectFrom(pool.name());
      leakABuilder(pool, 65536);
      UnexpectedLeaks.awaitDetection();
      LeakReport r = pool.leakReports().get(0);
      assertEquals(Optional.empty(), r.allocationSite());
      assertTrue(r.describe().contains(LeakTracing.PROPERTY), r.describe());
    }
  }

  @Test
  void aLeakedCompositeReleasesItsPartsThroughTheirOwnSafetyNets() {
    try (SlabBufferPool pool =
        SlabBufferPool.builder().name("leaky-composite").leakTracing(LeakTracing.ALL).build()) {
      UnexpectedLeaks.expectFrom(pool.name());
      leakAComposite(pool);
      UnexpectedLeaks.awaitDetection();
      PoolSnapshot s = pool.snapshot();
      assertEquals(2, s.leaksReclaimed(), "both parts' storages");
      assertEquals(0, s.liveBytes());
    }
  }

  private static void leakAComposite(SlabBufferPool pool) {
    try (BufferMut a = pool.acquire(65536);
        BufferMut b = pool.acquire(65536);
        ZeroCopyBuffer va = a.append((byte) 1).freeze();
        ZeroCopyBuffer vb = b.append((byte) 2).freeze()) {
      Buffers.composite(io.axon.buffer.BufferKind.raw(), List.of(va, vb)).get(1);
    }
  }

  /**
   * Sampled tracing records the site of one acquisition in {@code SAMPLING_INTERVAL} per thread.
   */
  @Test
  void sampledTracingRecordsOneSiteInEverySamplingInterval() {
    int leaks = 2 * LeakTracing.SAMPLING_INTERVAL;
    try (SlabBufferPool pool =
        SlabBufferPool.builder()
            .name("leaky-sampled")
            .direct(false)
            .leakTracing(LeakTracing.SAMPLED)
            .fullLeakReclamation(true)
            .build()) {
      UnexpectedLeaks.expectFrom(pool.name());
      assertEquals(LeakTracing.SAMPLED, pool.leakTracing());
      for (int i = 0; i < leaks; i++) {
        leakABuilder(pool, 65536); // full reclamation: every storage has a Cleaner, traced or not
      }
      UnexpectedLeaks.awaitDetection();
      assertEquals(leaks, pool.snapshot().leaksReclaimed(), "every leak is caught");
      assertEquals(0, pool.snapshot().liveBytes());
      List<LeakReport> reports = pool.leakReports();
      assertEquals(leaks, reports.size());
      List<LeakReport> traced =
          reports.stream().filter(r -> r.allocationSite().isPresent()).toList();
      assertEquals(2, traced.size(), "the sampled ones name their site");
      for (LeakReport r : traced) {
        assertTrue(r.allocationSite().get().contains("LeakTest.leakABuilder"), r.describe());
      }
      assertTrue(
          reports.stream()
              .filter(r -> r.allocationSite().isEmpty())
              .allMatch(r -> r.describe().contains(LeakTracing.PROPERTY)),
          "the others say how to get their site");
    }
  }

  /** The system property picks the mode of pools whose builder does not set one. */
  @Test
  void theSystemPropertySetsTheDefaultMode() {
    String before = System.getProperty(LeakTracing.PROPERTY);
    try {
      for (LeakTracing mode : LeakTracing.values()) {
        System.setProperty(LeakTracing.PROPERTY, " " + mode.name().toLowerCase(Locale.ROOT) + " ");
        try (SlabBufferPool pool = SlabBufferPool.builder().build()) {
          assertEquals(mode, pool.leakTracing());
        }
        try (SlabBufferPool pool = SlabBufferPool.builder().leakTracing(LeakTracing.OFF).build()) {
          assertEquals(LeakTracing.OFF, pool.leakTracing(), "the builder wins over the property");
        }
      }
      System.clearProperty(LeakTracing.PROPERTY);
      try (SlabBufferPool pool = SlabBufferPool.builder().build()) {
        assertEquals(LeakTracing.OFF, pool.leakTracing(), "off when the property is not set");
      }
      System.setProperty(LeakTracing.PROPERTY, "sometimes");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SlabBufferPool.builder().build());
      assertTrue(e.getMessage().contains("\"sometimes\""), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(LeakTracing.PROPERTY);
      } else {
        System.setProperty(LeakTracing.PROPERTY, before);
      }
    }
  }

  @Test
  void smallAndMediumStoragesAreSampledUnlessFullReclamationIsOn() {
    try (SlabBufferPool every =
            SlabBufferPool.builder()
                .name("leaky-small-every")
                .leakTracing(LeakTracing.OFF)
                .fullLeakReclamation(true)
                .build();
        SlabBufferPool sampled =
            SlabBufferPool.builder()
                .name("leaky-small-sampled")
                .leakTracing(LeakTracing.OFF)
                .build()) {
      UnexpectedLeaks.expectFrom(every.name());
      UnexpectedLeaks.expectFrom(sampled.name());
      for (int i = 0; i < 3; i++) {
        leakAView(every, 100, "acme");
        leakAView(sampled, 100, "acme");
        leakAView(every, 65536, "acme");
        leakAView(sampled, 65536, "acme");
      }
      UnexpectedLeaks.awaitDetection();
      PoolSnapshot all = every.snapshot();
      assertEquals(6, all.leaksReclaimed(), "full reclamation: every storage watched");
      assertEquals(0, all.liveBytes());
      assertEquals(0, all.liveBytes("acme"));
      // The default registers the first small and the first medium storage of each thread, then
      // one in 64 and one in 16: of three leaks of each, the first is reclaimed, the other two are
      // never found. Their slabs never come back and their bytes stay billed to the tenant (the
      // leak shows as live bytes that never return).
      PoolSnapshot s = sampled.snapshot();
      assertEquals(2, s.leaksReclaimed());
      assertEquals(2 * 4096 + 2 * 65536, s.liveBytes());
      assertEquals(2 * 4096 + 2 * 65536, s.liveBytes("acme"));
    }
  }

  @Test
  void closedBuffersAreNeverReportedAsLeaks() {
    try (SlabBufferPool pool = SlabBufferPool.builder().leakTracing(LeakTracing.ALL).build()) {
      for (int i = 0; i < 200; i++) {
        try (BufferMut m = pool.acquire(i * 700);
            ZeroCopyBuffer v = m.append((byte) i).freeze();
            ZeroCopyBuffer s = v.slice(0, 1)) {
          assertEquals((byte) i, s.get(0));
        }
      }
      assertEquals(0, pool.snapshot().liveBytes());
      UnexpectedLeaks.awaitDetection();
      assertEquals(0, pool.snapshot().leaksReclaimed());
    }
  }
}
