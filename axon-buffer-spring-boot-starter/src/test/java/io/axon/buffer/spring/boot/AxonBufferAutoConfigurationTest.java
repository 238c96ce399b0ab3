package io.axon.buffer.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.micrometer.BufferPoolMetrics;
import io.axon.buffer.spring.PooledMultipartReader;
import io.axon.buffer.spring.PooledUploadWebFilter;
import io.axon.buffer.spring.TenantResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The auto-configuration with {@code ApplicationContextRunner}: defaults, properties, back-off. */
class AxonBufferAutoConfigurationTest {

  private final ReactiveWebApplicationContextRunner web =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AxonBufferAutoConfiguration.class,
                  WebFluxAutoConfiguration.class,
                  CodecsAutoConfiguration.class));

  @Test
  void defaultsGiveAPoolTheReaderTheFilterAndTheMetrics() {
    web.run(
        context -> {
          assertThat(context).hasNotFailed();
          SlabBufferPool pool = context.getBean(SlabBufferPool.class);
          assertThat(pool.isDirect()).isTrue();
          assertThat(pool.name()).isEqualTo("axon");
          assertThat(context).hasSingleBean(PooledUploadWebFilter.class);
          assertThat(context).hasSingleBean(BufferPoolMetrics.class);
          PooledMultipartReader reader = context.getBean(PooledMultipartReader.class);
          // Spring's defaults: 256KB in memory for non-file parts, 10KB of headers; files bounded
          // by the library's part limit (nothing spools to disk).
          assertThat(reader.maxFieldPartBytes()).isEqualTo(256 * 1024);
          assertThat(reader.maxFilePartBytes()).isEqualTo(64L << 20);
          assertThat(reader.options().maxHeaderBytesPerPart()).isEqualTo(10 * 1024);
          assertThat(reader.options().maxParts()).isEqualTo(1000);
          TenantResolver tenants = context.getBean(TenantResolver.class);
          assertThat(
                  tenants.tenantOf(
                      MockServerHttpRequest.post("/").header("X-Tenant", "acme").build()))
              .isEqualTo("acme");
          assertThat(tenants.tenantOf(MockServerHttpRequest.post("/").build())).isNull();
        });
  }

  @Test
  void theReaderReplacesWebFluxsDefaultMultipartReader() {
    web.run(
        context -> {
          PooledMultipartReader reader = context.getBean(PooledMultipartReader.class);
          ServerCodecConfigurer codecs = context.getBean(ServerCodecConfigurer.class);
          assertThat(codecs.getReaders()).contains(reader);
          assertThat(codecs.getReaders())
              .noneMatch(
                  r ->
                      r
                              instanceof
                              org.springframework.http.codec.multipart.DefaultPartHttpMessageReader
                          || r
                              instanceof
                              org.springframework.http.codec.multipart.MultipartHttpMessageReader);
        });
  }

  @Test
  void propertiesShapeThePoolTheTenantsAndTheLimits() {
    web.withPropertyValues(
            "axon.buffer.name=uploads",
            "axon.buffer.direct=false",
            "axon.buffer.default-hard-limit=1MB",
            "axon.buffer.tenants.acme.hard-limit=4MB",
            "axon.buffer.max-tenants=2",
            "axon.buffer.leak-tracing=all",
            "axon.buffer.tenant.header=X-Customer",
            "axon.buffer.tenant.default=walk-in",
            "axon.buffer.multipart.max-file-part-size=8MB",
            "spring.webflux.multipart.max-in-memory-size=1KB",
            "spring.webflux.multipart.max-headers-size=2KB",
            "spring.webflux.multipart.max-parts=5")
        .run(
            context -> {
              SlabBufferPool pool = context.getBean(SlabBufferPool.class);
              assertThat(pool.name()).isEqualTo("uploads");
              assertThat(pool.isDirect()).isFalse();
              assertThat(pool.wouldAdmit("acme", 3 << 20)).isTrue();
              assertThat(pool.wouldAdmit("acme", 5 << 20)).isFalse();
              assertThat(pool.wouldAdmit("other", 2 << 20)).isFalse();
              assertThat(pool.leakTracing().name()).isEqualTo("ALL");
              PooledMultipartReader reader = context.getBean(PooledMultipartReader.class);
              assertThat(reader.maxFieldPartBytes()).isEqualTo(1024);
              assertThat(reader.maxFilePartBytes()).isEqualTo(8L << 20);
              assertThat(reader.options().maxHeaderBytesPerPart()).isEqualTo(2048);
              assertThat(reader.options().maxParts()).isEqualTo(5);
              TenantResolver tenants = context.getBean(TenantResolver.class);
              assertThat(
                      tenants.tenantOf(
                          MockServerHttpRequest.post("/").header("X-Customer", "acme").build()))
                  .isEqualTo("acme");
              assertThat(tenants.tenantOf(MockServerHttpRequest.post("/").build()))
                  .isEqualTo("walk-in");
            });
  }

  @Test
  void springsDiskLimitBoundsFileParts() {
    web.withPropertyValues(
            "spring.webflux.multipart.max-disk-usage-per-part=3MB",
            "spring.webflux.multipart.max-in-memory-size=-1")
        .run(
            context -> {
              PooledMultipartReader reader = context.getBean(PooledMultipartReader.class);
              assertThat(reader.maxFilePartBytes()).isEqualTo(3L << 20);
              assertThat(reader.maxFieldPartBytes()).isEqualTo(3L << 20);
            });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    web.withUserConfiguration(OwnBeans.class)
        .run(
            context -> {
              assertThat(context.getBean(SlabBufferPool.class)).isSameAs(OwnBeans.POOL);
              assertThat(context.getBean(TenantResolver.class)).isSameAs(OwnBeans.TENANTS);
              assertThat(context.getBean(PooledMultipartReader.class)).isSameAs(OwnBeans.READER);
              // The filter and the metrics are still made, over the application's pool.
              assertThat(context).hasSingleBean(PooledUploadWebFilter.class);
              assertThat(context).hasSingleBean(BufferPoolMetrics.class);
              ServerCodecConfigurer codecs = context.getBean(ServerCodecConfigurer.class);
              assertThat(codecs.getReaders()).contains(OwnBeans.READER);
            });
  }

  @Test
  void theApplicationsOwnFilterAndMetricsWin() {
    web.withUserConfiguration(OwnFilterAndMetrics.class)
        .run(
            context -> {
              assertThat(context.getBean(PooledUploadWebFilter.class))
                  .isSameAs(context.getBean("ownFilter"));
              assertThat(context.getBean(BufferPoolMetrics.class))
                  .isSameAs(context.getBean("ownMetrics"));
              // The starter's pool is still made, and theirs are over it.
              assertThat(context).hasSingleBean(SlabBufferPool.class);
            });
  }

  @Test
  void thePoolIsClosedWithTheContext() {
    SlabBufferPool[] pool = new SlabBufferPool[1];
    web.run(
        context -> {
          pool[0] = context.getBean(SlabBufferPool.class);
          assertThat(pool[0].isClosed()).isFalse();
        });
    assertThat(pool[0].isClosed()).isTrue();
  }

  @Test
  void aBadPropertyValueFailsStartupNamingThePropertyAndTheValue() {
    failsNaming("axon.buffer.leak-tracing", "sometimes");
    failsNaming("axon.buffer.default-hard-limit", "lots");
    failsNaming("axon.buffer.tenants.acme.hard-limit", "-");
  }

  private void failsNaming(String property, String value) {
    web.withPropertyValues(property + "=" + value)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable bind = context.getStartupFailure();
              while (bind != null && !(bind instanceof BindException)) {
                bind = bind.getCause();
              }
              assertThat(bind).as("a BindException in the chain").isNotNull();
              assertThat(bind).hasMessageContaining(property);
              Throwable root = bind;
              while (root.getCause() != null) {
                root = root.getCause();
              }
              assertThat(root).hasMessageContaining(value);
            });
  }

  @Test
  void theConfigurationMetadataDescribesEveryProperty() throws IOException {
    String json;
    try (InputStream in =
        AxonBufferProperties.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("written by spring-boot-configuration-processor").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String property :
        List.of(
            "name",
            "direct",
            "max-slabs-per-class",
            "max-retained-bytes",
            "default-soft-limit",
            "default-hard-limit",
            "tenants",
            "max-tenants",
            "tenant-idle-timeout",
            "leak-tracing",
            "tenant.header",
            "tenant.default",
            "multipart.max-file-part-size")) {
      assertThat(json).contains("\"name\": \"axon.buffer." + property + "\"");
    }
    assertThat(json).contains("The tenant of requests without the tenant header");
  }

  @Test
  void outsideAReactiveWebApplicationOnlyThePoolAndMetricsAreMade() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AxonBufferAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasSingleBean(SlabBufferPool.class);
              assertThat(context).hasSingleBean(BufferPoolMetrics.class);
              assertThat(context).doesNotHaveBean(PooledMultipartReader.class);
              assertThat(context).doesNotHaveBean(PooledUploadWebFilter.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilterAndMetrics {
    @Bean
    PooledUploadWebFilter ownFilter(SlabBufferPool pool) {
      return new PooledUploadWebFilter(pool, request -> "mine");
    }

    @Bean
    BufferPoolMetrics ownMetrics(SlabBufferPool pool) {
      return BufferPoolMetrics.of(pool);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final SlabBufferPool POOL = SlabBufferPool.builder().name("own").build();
    static final TenantResolver TENANTS = request -> "everyone";
    static final PooledMultipartReader READER = PooledMultipartReader.builder(POOL).build();

    @Bean
    SlabBufferPool pool() {
      return POOL;
    }

    @Bean
    TenantResolver tenants() {
      return TENANTS;
    }

    @Bean
    PooledMultipartReader reader() {
      return READER;
    }
  }
}
