package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolSnapshotTest {

  private static Map<String, Long> unsorted() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("zeta", 3L);
    m.put("Acme", 1L);
    m.put("beta", 2L);
    m.put("acme", 4L);
    return m;
  }

  @Test
  void everyPerTenantMapIsSortedByTenantNameWhateverOrderItWasGivenIn() {
    PoolSnapshot s =
        PoolSnapshot.builder()
            .liveBytesByTenant(unsorted())
            .borrowedBytesByTenant(unsorted())
            .softLimitExceeded(unsorted())
            .hardLimitRefusals(unsorted())
            .build();
    List<String> order = List.of("Acme", "acme", "beta", "zeta");
    assertEquals(order, List.copyOf(s.liveBytesByTenant().keySet()));
    assertEquals(order, List.copyOf(s.borrowedBytesByTenant().keySet()));
    assertEquals(order, List.copyOf(s.softLimitExceeded().keySet()));
    assertEquals(order, List.copyOf(s.hardLimitRefusals().keySet()));
    assertEquals("Acme", s.liveBytesByTenant().firstKey());
    assertEquals("zeta", s.hardLimitRefusals().lastKey());
  }

  @Test
  void mapsAreUnmodifiableCopiesOfWhatTheBuilderWasGiven() {
    Map<String, Long> live = new HashMap<>(Map.of("acme", 10L));
    PoolSnapshot.Builder b = PoolSnapshot.builder().liveBytesByTenant(live);
    PoolSnapshot s = b.build();
    live.put("globex", 20L);
    assertEquals(Map.of("acme", 10L), s.liveBytesByTenant());
    assertThrows(UnsupportedOperationException.class, () -> s.liveBytesByTenant().put("x", 1L));
    assertThrows(
        UnsupportedOperationException.class,
        () -> s.classes().put(PoolClass.SMALL, s.of(PoolClass.SMALL)));
  }

  @Test
  void everySizeClassIsPresentInPoolClassOrderWithZerosWhenUnset() {
    PoolSnapshot.ClassStats medium = new PoolSnapshot.ClassStats(1, 2, 3, 4, 5, 6);
    PoolSnapshot s = PoolSnapshot.builder().classStats(PoolClass.MEDIUM, medium).build();
    assertEquals(List.of(PoolClass.values()), List.copyOf(s.classes().keySet()));
    assertEquals(medium, s.of(PoolClass.MEDIUM));
    assertEquals(new PoolSnapshot.ClassStats(0, 0, 0, 0, 0, 0), s.of(PoolClass.OVERSIZE));
  }

  @Test
  void snapshotsWithEqualFiguresAreEqualAndOneDifferentFigureMakesThemDiffer() {
    PoolSnapshot a = PoolSnapshot.builder().liveBytes(4096).liveBytesByTenant(unsorted()).build();
    PoolSnapshot b =
        PoolSnapshot.builder().liveBytes(4096).liveBytesByTenant(new HashMap<>(unsorted())).build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a.toString(), b.toString());
    assertNotEquals(a, PoolSnapshot.builder().liveBytes(4096).borrowedBytes(1).build());
  }

  @Test
  void perTenantLookupAnswersZeroForATenantHoldingNothing() {
    PoolSnapshot s = PoolSnapshot.builder().liveBytesByTenant(Map.of("acme", 4096L)).build();
    assertEquals(4096, s.liveBytes("acme"));
    assertEquals(0, s.liveBytes("globex"));
  }
}
