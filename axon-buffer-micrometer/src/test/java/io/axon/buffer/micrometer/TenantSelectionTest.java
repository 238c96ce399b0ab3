package io.axon.buffer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.PoolSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TenantSelectionTest {

  /** One tenant's figures in one snapshot. */
  record Figures(long live, long borrowed, long soft, long hard) {}

  private static PoolSnapshot snapshot(Map<String, Figures> tenants) {
    Map<String, Long> live = new TreeMap<>();
    Map<String, Long> borrowed = new TreeMap<>();
    Map<String, Long> soft = new TreeMap<>();
    Map<String, Long> hard = new TreeMap<>();
    tenants.forEach(
        (t, f) -> {
          putIfNotZero(live, t, f.live());
          putIfNotZero(borrowed, t, f.borrowed());
          putIfNotZero(soft, t, f.soft());
          putIfNotZero(hard, t, f.hard());
        });
    return PoolSnapshot.builder()
        .liveBytesByTenant(live)
        .borrowedBytesByTenant(borrowed)
        .softLimitExceeded(soft)
        .hardLimitRefusals(hard)
        .build();
  }

  private static void putIfNotZero(Map<String, Long> m, String k, long v) {
    if (v != 0) {
      m.put(k, v);
    }
  }

  private static Map<String, TenantRow> byTag(List<TenantRow> rows) {
    Map<String, TenantRow> m = new HashMap<>();
    for (TenantRow r : rows) {
      assertEquals(null, m.put(r.tag, r), "one row per tag: " + r.tag);
    }
    return m;
  }

  @Test
  void newTenantsTakeFreePlacesLargestFirstThenByName() {
    TenantSelection sel = new TenantSelection(2);
    sel.update(
        snapshot(
            Map.of(
                "b", new Figures(5, 0, 0, 0),
                "a", new Figures(5, 0, 0, 0),
                "c", new Figures(3, 4, 0, 0),
                "d", new Figures(0, 0, 9, 0))));
    Map<String, TenantRow> rows = byTag(sel.rows());
    assertEquals(Set.of("c", "a", "_other"), rows.keySet(), "c has 7 bytes; a beats b by name");
    assertEquals(5, rows.get("_other").liveBytes);
    assertEquals(9, rows.get("_other").softLimitExceeded);
    assertEquals(2, sel.aggregated());
  }

  @Test
  void theAggregateCountsGrowthSoItNeverGoesDownWhenATenantLeavesIt() {
    TenantSelection sel = new TenantSelection(1);
    sel.update(snapshot(Map.of("a", new Figures(9, 0, 0, 0), "b", new Figures(1, 0, 5, 0))));
    TenantRow other = byTag(sel.rows()).get("_other");
    assertEquals(5, other.softLimitExceeded);

    // b counts 2 more, and c joins with 1: the aggregate adds 3.
    sel.update(
        snapshot(
            Map.of(
                "a", new Figures(9, 0, 0, 0),
                "b", new Figures(1, 0, 7, 0),
                "c", new Figures(1, 0, 1, 0))));
    assertSame(other, byTag(sel.rows()).get("_other"));
    assertEquals(8, other.softLimitExceeded);

    // a leaves: b (the larger waiting tenant... tied at 1 byte, so by name) takes the place; the
    // aggregate keeps what it counted.
    sel.update(snapshot(Map.of("b", new Figures(1, 0, 7, 0), "c", new Figures(1, 0, 1, 0))));
    Map<String, TenantRow> rows = byTag(sel.rows());
    assertEquals(Set.of("b", "_other"), rows.keySet());
    assertEquals(7, rows.get("b").softLimitExceeded, "its own series shows its whole count");
    assertEquals(8, rows.get("_other").softLimitExceeded);
    assertEquals(1, rows.get("_other").liveBytes, "bytes are c's now");

    sel.update(snapshot(Map.of("b", new Figures(1, 0, 7, 0), "c", new Figures(1, 0, 3, 0))));
    assertEquals(10, byTag(sel.rows()).get("_other").softLimitExceeded);
    // c's count goes down (the pool forgot it and re-admitted it): a reset, all of it is new.
    sel.update(snapshot(Map.of("b", new Figures(1, 0, 7, 0), "c", new Figures(1, 0, 1, 0))));
    assertEquals(11, byTag(sel.rows()).get("_other").softLimitExceeded);
  }

  @Test
  void theAggregateIsThereFromTheStartAndKeepsItsCountsWhenEmpty() {
    TenantSelection sel = new TenantSelection(1);
    sel.update(snapshot(Map.of()));
    TenantRow other = byTag(sel.rows()).get("_other");
    assertEquals(List.of(other), sel.rows(), "only the aggregate, at 0");
    assertEquals(0, other.liveBytes);

    sel.update(snapshot(Map.of("a", new Figures(9, 0, 0, 0), "b", new Figures(1, 0, 5, 0))));
    assertEquals(5, other.softLimitExceeded);
    sel.update(snapshot(Map.of("a", new Figures(9, 0, 0, 0))));
    assertSame(other, byTag(sel.rows()).get("_other"));
    assertEquals(0, other.liveBytes);
    assertEquals(5, other.softLimitExceeded, "a counter keeps its count when tenants leave");
    sel.update(snapshot(Map.of("a", new Figures(9, 0, 0, 0), "b", new Figures(1, 0, 6, 0))));
    assertEquals(11, other.softLimitExceeded, "b, seen again, is new to the aggregate");
  }

  /** A run of snapshots over six tenants, each present or not, with growing or reset counts. */
  @Provide
  Arbitrary<List<Map<String, Figures>>> runs() {
    Arbitrary<Figures> figures =
        Combinators.combine(
                Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, 10),
                Arbitraries.longs().between(0, 50),
                Arbitraries.longs().between(0, 50))
            .as(Figures::new);
    Arbitrary<Map<String, Figures>> one =
        Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "e", "_other"), figures).ofMaxSize(6);
    return one.list().ofMinSize(1).ofMaxSize(30);
  }

  @Property(tries = 300)
  void everyRunKeepsTheRulesOfTheSelection(
      @ForAll("runs") List<Map<String, Figures>> run, @ForAll @IntRange(min = 0, max = 4) int cap) {
    TenantSelection sel = new TenantSelection(cap);
    Map<String, TenantRow> before = Map.of();
    long prevSoft = 0;
    long prevHard = 0;
    for (Map<String, Figures> tenants : run) {
      PoolSnapshot s = snapshot(tenants);
      sel.update(s);
      Map<String, TenantRow> rows = byTag(sel.rows());
      TenantRow other = rows.get("_other");
      Map<String, TenantRow> own = new HashMap<>(rows);
      own.remove("_other");

      Set<String> present = new HashSet<>();
      present.addAll(s.liveBytesByTenant().keySet());
      present.addAll(s.borrowedBytesByTenant().keySet());
      present.addAll(s.softLimitExceeded().keySet());
      present.addAll(s.hardLimitRefusals().keySet());

      assertTrue(own.size() <= cap, "at most the cap of own series");
      assertTrue(present.containsAll(own.keySet()), "own series only for present tenants");
      assertEquals(present.size(), own.size() + sel.aggregated(), "each tenant counted once");
      assertSame(before.getOrDefault("_other", other), other, "one aggregate row for ever");
      long live = rows.values().stream().mapToLong(r -> r.liveBytes).sum();
      assertEquals(s.liveBytesByTenant().values().stream().mapToLong(Long::longValue).sum(), live);
      for (TenantRow r : own.values()) {
        assertEquals(s.liveBytes(r.tag), r.liveBytes);
        assertEquals(s.softLimitExceeded().getOrDefault(r.tag, 0L), r.softLimitExceeded);
        assertEquals(s.hardLimitRefusals().getOrDefault(r.tag, 0L), r.hardLimitRefusals);
        TenantRow was = before.get(r.tag);
        if (was != null) {
          assertSame(was, r, "a tenant that stays keeps its series");
        }
      }
      for (Map.Entry<String, TenantRow> e : before.entrySet()) {
        if (!e.getKey().equals("_other") && present.contains(e.getKey())) {
          assertTrue(own.containsKey(e.getKey()), "sticky: " + e.getKey() + " kept its place");
        }
      }
      assertTrue(
          other.softLimitExceeded >= prevSoft && other.hardLimitRefusals >= prevHard,
          "the aggregate's counters never go down");
      prevSoft = other.softLimitExceeded;
      prevHard = other.hardLimitRefusals;
      before = rows;
    }
  }
}
