package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.axon.buffer.BufferMut;
import io.axon.buffer.core.SlabBufferPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link PrometheusFormat}: the order and presence of its labelled series, read back from the text.
 */
class PrometheusFormatTest {

  private static final Pattern SAMPLE =
      Pattern.compile("([a-z_]+)\\{([a-z]+)=\"([^\"]*)\"\\} (-?\\d+)");

  /** The label values of {@code metric}'s samples, in the order they appear. */
  private static List<String> labels(String text, String metric) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(metric)) {
        out.add(m.group(3));
      }
    }
    return out;
  }

  private static long value(String text, String metric, String label) {
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(metric) && m.group(3).equals(label)) {
        return Long.parseLong(m.group(4));
      }
    }
    throw new AssertionError("no " + metric + "{..=\"" + label + "\"} in\n" + text);
  }

  @Test
  void sizeClassSeriesComeInClassOrderAndEveryTenantHasASoftLimitCounter() {
    SlabBufferPool pool =
        SlabBufferPool.builder().name("prometheus-test").softLimit("loud", 1000).build();
    try {
      String text;
      try (BufferMut quiet = pool.forTenant("quiet").acquire(10);
          BufferMut loud = pool.forTenant("loud").acquire(5000)) {
        text = PrometheusFormat.render(pool.snapshot(), Set.of("idle"));
      }
      List<String> classes = List.of("small", "medium", "large", "huge", "oversize");
      for (String metric :
          List.of(
              "axon_buffer_pool_class_hits_total",
              "axon_buffer_pool_class_misses_total",
              "axon_buffer_pool_class_leased_bytes",
              "axon_buffer_pool_class_retained_slabs",
              "axon_buffer_pool_class_retained_bytes")) {
        assertEquals(classes, labels(text, metric), metric + " in\n" + text);
      }
      List<String> tenants = List.of("idle", "loud", "quiet");
      assertEquals(tenants, labels(text, "axon_buffer_tenant_live_bytes"), text);
      assertEquals(
          tenants,
          labels(text, "axon_buffer_tenant_soft_limit_exceeded_total"),
          "a soft-limit series for every tenant with a live-bytes series, before a first breach: "
              + text);
      assertEquals(1, value(text, "axon_buffer_tenant_soft_limit_exceeded_total", "loud"), text);
      assertEquals(0, value(text, "axon_buffer_tenant_soft_limit_exceeded_total", "quiet"), text);
      assertEquals(0, value(text, "axon_buffer_tenant_soft_limit_exceeded_total", "idle"), text);
      assertEquals(0, pool.snapshot().liveBytes());
    } finally {
      pool.close();
    }
  }
}
