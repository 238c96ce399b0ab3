package io.axon.buffer.spring.boot;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.micrometer.BufferPoolMetrics;
import io.axon.buffer.spring.PooledMultipartReader;
import io.axon.buffer.spring.PooledUploadWebFilter;
import io.axon.buffer.spring.TenantResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Spring Boot auto-configuration for axon-buffer: with the starter on the class path, a WebFlux
 * application's multipart uploads go to pooled, tenant-billed memory and nothing else changes.
 *
 * <ul>
 *   <li>a {@link SlabBufferPool} from {@code axon.buffer.*} ({@link AxonBufferProperties}), closed
 *       with the context;
 *   <li>a {@link TenantResolver}: the {@code axon.buffer.tenant.header} header ({@code X-Tenant}),
 *       else {@code axon.buffer.tenant.default} (nobody);
 *   <li>in a reactive web application: the {@link PooledMultipartReader} (limits from {@code
 *       spring.webflux.multipart.*}, see {@link SpringMultipartLimits}) in place of WebFlux's
 *       default reader, registered by a {@code CodecCustomizer} (Boot 4) or a {@code
 *       WebFluxConfigurer} (Boot 3, where {@code CodecCustomizer} lives elsewhere), and the {@link
 *       PooledUploadWebFilter} (429 before the body; every part released with its exchange);
 *   <li>with Micrometer: {@link BufferPoolMetrics} as a {@code MeterBinder} bean, which Boot binds
 *       to the application's registries ({@code /actuator/prometheus} then shows the pool, per
 *       class and per tenant).
 * </ul>
 *
 * Each bean backs off when the application defines its own of that type.
 */
@AutoConfiguration
@ConditionalOnClass({SlabBufferPool.class, PooledMultipartReader.class})
@EnableConfigurationProperties(AxonBufferProperties.class)
public class AxonBufferAutoConfiguration {

  /** Made by Spring. */
  public AxonBufferAutoConfiguration() {}

  /**
   * The pool.
   *
   * @param properties {@code axon.buffer.*}
   * @return the pool
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SlabBufferPool axonBufferPool(AxonBufferProperties properties) {
    return properties.buildPool();
  }

  /**
   * Who pays for a request.
   *
   * @param properties {@code axon.buffer.tenant.*}
   * @return the resolver
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantResolver axonTenantResolver(AxonBufferProperties properties) {
    return TenantResolver.header(
        properties.getTenant().getHeader(), properties.getTenant().getDefault());
  }

  /** The WebFlux side: the reader, the filter, and the reader's registration. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(WebFluxConfigurer.class)
  static class WebFluxUploads {

    @Bean
    @ConditionalOnMissingBean
    PooledMultipartReader axonMultipartReader(
        SlabBufferPool pool,
        TenantResolver tenants,
        Environment env,
        AxonBufferProperties properties) {
      return SpringMultipartLimits.apply(
              PooledMultipartReader.builder(pool).tenantResolver(tenants), env, properties)
          .build();
    }

    @Bean
    @ConditionalOnMissingBean
    PooledUploadWebFilter axonUploadWebFilter(SlabBufferPool pool, TenantResolver tenants) {
      return new PooledUploadWebFilter(pool, tenants);
    }

    /** Boot 4: a {@code CodecCustomizer}, applied by Boot's WebFlux configuration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.http.codec.CodecCustomizer")
    static class BootCodecs {
      @Bean
      CodecCustomizer axonMultipartCodecCustomizer(PooledMultipartReader reader) {
        return configurer -> {
          // Servers only: a WebClient reading a multipart response keeps its own reader.
          if (configurer instanceof ServerCodecConfigurer) {
            configurer.defaultCodecs().multipartReader(reader);
          }
        };
      }
    }

    /** Boot 3 (no Boot 4 {@code CodecCustomizer}): Spring Framework's own hook. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.http.codec.CodecCustomizer")
    static class FrameworkCodecs {
      @Bean
      WebFluxConfigurer axonMultipartWebFluxConfigurer(PooledMultipartReader reader) {
        return new WebFluxConfigurer() {
          @Override
          public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
            configurer.defaultCodecs().multipartReader(reader);
          }
        };
      }
    }
  }

  /** Micrometer: the pool's meters, bound by Boot to every registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    BufferPoolMetrics axonBufferPoolMetrics(SlabBufferPool pool) {
      return BufferPoolMetrics.of(pool);
    }
  }
}
