package io.axon.buffer.spring;

import io.axon.buffer.core.SlabBufferPool;
import java.net.URI;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.JettyCoreHttpHandlerAdapter;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real WebFlux application ({@link UploadController} behind {@code @EnableWebFlux}, the pooled
 * reader in place of the default one, {@link PooledUploadWebFilter}) on 127.0.0.1, on Reactor Netty
 * or on Jetty 12 core; or the same application with WebFlux's default reader, for comparison.
 */
final class TestServer implements AutoCloseable {

  /** The servers WebFlux runs on here. */
  enum Host {
    REACTOR_NETTY,
    JETTY_CORE
  }

  private final AnnotationConfigApplicationContext context;
  private final DisposableServer netty;
  private final Server jetty;
  private final int port;

  private TestServer(Host host, AnnotationConfigApplicationContext context) throws Exception {
    this.context = context;
    HttpHandler handler = WebHttpHandlerBuilder.applicationContext(context).build();
    if (host == Host.REACTOR_NETTY) {
      netty =
          HttpServer.create()
              .host("127.0.0.1")
              .port(0)
              .handle(new ReactorHttpHandlerAdapter(handler))
              .bindNow();
      jetty = null;
      port = netty.port();
    } else {
      netty = null;
      jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      jetty.setHandler(new JettyCoreHttpHandlerAdapter(handler));
      jetty.start();
      port = connector.getLocalPort();
    }
  }

  /** The application with the pooled reader over {@code pool}, tuned by {@code reader}. */
  static TestServer pooled(
      Host host, SlabBufferPool pool, Consumer<PooledMultipartReader.Builder> reader)
      throws Exception {
    TenantResolver tenants = TenantResolver.header(TenantResolver.DEFAULT_HEADER, "anonymous");
    PooledMultipartReader.Builder b = PooledMultipartReader.builder(pool).tenantResolver(tenants);
    reader.accept(b);
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.registerBean(PooledMultipartReader.class, b::build);
    context.registerBean(
        PooledUploadWebFilter.class, () -> new PooledUploadWebFilter(pool, tenants));
    context.register(PooledWebConfig.class, UploadController.class);
    context.refresh();
    return new TestServer(host, context);
  }

  /** The same application with WebFlux's default multipart reader. */
  static TestServer springDefault(Host host) throws Exception {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.register(DefaultWebConfig.class, UploadController.class);
    context.refresh();
    return new TestServer(host, context);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      if (netty != null) {
        netty.disposeNow();
      }
      if (jetty != null) {
        jetty.stop();
      }
    } catch (Exception e) {
      throw new IllegalStateException("stopping the server", e);
    } finally {
      context.close();
    }
  }

  /** WebFlux with the pooled reader. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class PooledWebConfig implements WebFluxConfigurer {
    @Autowired PooledMultipartReader reader;

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
      configurer.defaultCodecs().multipartReader(reader);
    }
  }

  /** WebFlux as it comes. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class DefaultWebConfig implements WebFluxConfigurer {}
}
