package io.axon.buffer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The module on the module path: its descriptor resolves against the api, core and Micrometer's
 * automatic modules, and a pool bound through it reports in a registry, all in a module layer of
 * their own (the unit tests otherwise run on the class path).
 */
class ModulePathTest {

  @Test
  void theBinderWorksAsANamedModule() throws Exception {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      if (e.contains("axon-buffer-api/target/classes")
          || e.contains("axon-buffer-core/target/classes")
          || e.contains("axon-buffer-micrometer/target/classes")
          || e.matches(".*/axon-buffer-(api|core)-[^/]*\\.jar")
          || e.matches(".*/micrometer-(core|commons|observation)-[^/]*\\.jar")
          || e.matches(".*/(jspecify|HdrHistogram|LatencyUtils)-[^/]*\\.jar")) {
        entries.add(Path.of(entry));
      }
    }
    ModuleFinder finder = ModuleFinder.of(entries.toArray(Path[]::new));
    Configuration config =
        ModuleLayer.boot()
            .configuration()
            .resolve(
                finder,
                ModuleFinder.of(),
                Set.of("io.axon.buffer.micrometer", "io.axon.buffer.core"));
    ModuleLayer layer =
        ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
    ClassLoader loader = layer.findLoader("io.axon.buffer.micrometer");

    Class<?> metrics = loader.loadClass("io.axon.buffer.micrometer.BufferPoolMetrics");
    assertEquals("io.axon.buffer.micrometer", metrics.getModule().getName());
    assertTrue(metrics.getModule().isNamed());

    Class<?> slab = loader.loadClass("io.axon.buffer.core.SlabBufferPool");
    Object builder = slab.getMethod("builder").invoke(null);
    builder.getClass().getMethod("name", String.class).invoke(builder, "modular");
    Object pool = builder.getClass().getMethod("build").invoke(builder);
    Class<?> registryType =
        loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry");
    Object registry = registryType.getConstructor().newInstance();
    Class<?> poolType = loader.loadClass("io.axon.buffer.BufferPool");
    Object binder = metrics.getMethod("of", poolType).invoke(null, pool);
    Class<?> meterRegistry = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
    metrics.getMethod("bindTo", meterRegistry).invoke(binder, registry);

    Object search =
        meterRegistry.getMethod("find", String.class).invoke(registry, BufferPoolMetrics.POOL_LIVE);
    Object gauge = search.getClass().getMethod("gauge").invoke(search);
    assertEquals(0.0, gauge.getClass().getMethod("value").invoke(gauge));
    metrics.getMethod("close").invoke(binder);
    slab.getMethod("close").invoke(pool);
  }
}
