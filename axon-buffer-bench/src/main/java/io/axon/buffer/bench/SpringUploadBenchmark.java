package io.axon.buffer.bench;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.spring.PooledMultipartReader;
import io.axon.buffer.spring.PooledUploadWebFilter;
import io.axon.buffer.spring.TenantResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.JettyCoreHttpHandlerAdapter;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An upload through a WebFlux endpoint over 127.0.0.1 (issue 17): the same annotated controller, on
 * the same server, driven by the same client, with axon-buffer-spring's {@link
 * PooledMultipartReader} (and {@link PooledUploadWebFilter}, as the starter installs them) against
 * WebFlux's default multipart reader as it comes ({@code DefaultPartHttpMessageReader}: parts up to
 * 256 KiB in memory, larger file parts spooled to a temporary file, which is what a WebFlux
 * application gets unless it configures otherwise).
 *
 * <p>The handler takes {@code @RequestBody Flux<Part>}, reads every part's {@code content()} to the
 * end (releasing each {@code DataBuffer}), deletes the part and answers the parts and bytes it saw.
 * Bodies: {@code file1m} (one 1 MiB file), {@code fields100} (100 small fields), {@code file100m}
 * (one 100 MiB file). One request per operation, one connection kept alive by the JDK's {@link
 * HttpClient} (HTTP/1.1); score: time per request (lower is better). {@code transportOnly} is the
 * floor under both: the same request to a handler that drops the body unparsed. {@code readerFloor}
 * is the floor under any multipart reader on this endpoint: the same controller fed by a reader
 * that drops the body unparsed and emits the body's parts prepared before the trial (heap buffers,
 * nothing per request but the part objects), so that what remains is the transport, WebFlux's
 * handling of {@code Flux<Part>} and the controller's own work per part. No reader can be faster
 * than it; {@code springDefault / readerFloor} is the most any reader can gain over Spring's here.
 *
 * <p>The server is WebFlux on Jetty 12 core ({@code JettyCoreHttpHandlerAdapter}), not Reactor
 * Netty: this module measures on Netty 4.1 (its allocator peer), and Reactor Netty 1.3 needs Netty
 * 4.2. Client and server share the JVM, so {@code -prof gc}'s bytes per operation count both sides'
 * heap allocation, the client's being the same for both readers. The pool is direct memory: its
 * slabs are not heap allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpringUploadBenchmark {

  /** The body of every request of a trial. */
  @State(Scope.Benchmark)
  public static class Body {
    @Param({"file1m", "fields100", "file100m"})
    public String body;

    byte[] bytes;
    HttpClient client;

    /** Makes the body and the client. */
    @Setup(Level.Trial)
    public void setUp() {
      bytes = MultipartBodies.body(body);
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Posts the body to {@code server}'s {@code path}, failing unless it answers 200. */
    String post(Endpoint server, String path) throws IOException, InterruptedException {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(server.base.resolve(path))
                  .header("Content-Type", MultipartBodies.CONTENT_TYPE)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(r.statusCode() + " " + r.body());
      }
      return r.body();
    }
  }

  /** A WebFlux application on Jetty core at 127.0.0.1. */
  abstract static class Endpoint {
    AnnotationConfigApplicationContext context;
    Server jetty;
    URI base;

    /**
     * Starts the application made of {@code beans} (registered by supplier) and the {@code
     * components} (the reader's configuration and the endpoint) on a fresh port.
     */
    void start(Consumer<AnnotationConfigApplicationContext> beans, Class<?>... components)
        throws Exception {
      AnnotationConfigApplicationContext app = new AnnotationConfigApplicationContext();
      beans.accept(app);
      app.register(components);
      app.refresh();
      context = app;
      jetty = new Server();
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      jetty.setHandler(
          new JettyCoreHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(app).build()));
      jetty.start();
      base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    void stop() throws Exception {
      try {
        jetty.stop();
      } finally {
        context.close();
      }
    }
  }

  /** The application with axon-buffer's reader and filter over a direct pool. */
  @State(Scope.Benchmark)
  public static class Axon extends Endpoint {
    SlabBufferPool pool;

    /** Starts the server. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      pool = SlabBufferPool.builder().name("spring-bench").build();
      TenantResolver tenants = TenantResolver.header(TenantResolver.DEFAULT_HEADER, "bench");
      start(
          app -> {
            app.registerBean(
                PooledMultipartReader.class,
                () ->
                    PooledMultipartReader.builder(pool)
                        .tenantResolver(tenants)
                        .maxFilePartBytes(128L << 20)
                        .build());
            app.registerBean(
                PooledUploadWebFilter.class, () -> new PooledUploadWebFilter(pool, tenants));
          },
          ReaderConfig.class,
          UploadEndpoint.class);
    }

    /** Stops the server; fails if a request's memory was not given back. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
      long live = pool.snapshot().liveBytes();
      pool.close();
      if (live != 0) {
        throw new IllegalStateException(live + " live bytes after the trial");
      }
    }
  }

  /** The application with WebFlux's default multipart reader. */
  @State(Scope.Benchmark)
  public static class SpringDefault extends Endpoint {
    /** Starts the server. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start(app -> {}, DefaultConfig.class, UploadEndpoint.class);
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /** The application with {@link FloorReader}: the body's parts prepared, the body dropped. */
  @State(Scope.Benchmark)
  public static class Floor extends Endpoint {
    /**
     * Starts the server.
     *
     * @param body the body whose parts the reader hands out
     */
    @Setup(Level.Trial)
    public void setUp(Body body) throws Exception {
      FloorReader reader = new FloorReader(body.bytes);
      start(
          app -> app.registerBean(FloorReader.class, () -> reader),
          ReaderConfig.class,
          UploadEndpoint.class);
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /**
   * An upload with axon-buffer's reader.
   *
   * @return the parts and bytes the handler saw
   */
  @Benchmark
  public String axon(Body body, Axon server) throws IOException, InterruptedException {
    return body.post(server, "upload");
  }

  /**
   * The same upload with WebFlux's default reader.
   *
   * @return the parts and bytes the handler saw
   */
  @Benchmark
  public String springDefault(Body body, SpringDefault server)
      throws IOException, InterruptedException {
    return body.post(server, "upload");
  }

  /**
   * The floor under both: the same request to an endpoint that reads the body as {@code
   * DataBuffer}s and drops them, no multipart reader involved (the client, the connection, Jetty
   * and WebFlux's dispatch).
   *
   * @return the bytes the handler saw
   */
  @Benchmark
  public String transportOnly(Body body, SpringDefault server)
      throws IOException, InterruptedException {
    return body.post(server, "discard");
  }

  /**
   * The floor under any reader (see the class comment): the same endpoint with {@link FloorReader}.
   *
   * @return the parts and bytes the handler saw
   */
  @Benchmark
  public String readerFloor(Body body, Floor server) throws IOException, InterruptedException {
    return body.post(server, "upload");
  }

  /**
   * A multipart reader that parses nothing: it reads and releases the body, then emits the parts of
   * the body it was made with (cut once, at construction), each {@code content()} one heap buffer.
   * Only {@code Flux<Part>}; for measurement only.
   */
  static final class FloorReader implements HttpMessageReader<Object> {
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    FloorReader(byte[] body) {
      byte[] delimiter =
          ("\r\n--" + MultipartBodies.BOUNDARY).getBytes(StandardCharsets.ISO_8859_1);
      byte[] blank = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
      // The body starts with the delimiter less its CR LF; every part ends at the next delimiter.
      int at = delimiter.length - 2;
      while (body[at] != '-') {
        int headersEnd = indexOf(body, blank, at);
        String headers = new String(body, at, headersEnd - at, StandardCharsets.ISO_8859_1);
        int nameAt = headers.indexOf("name=\"") + 6;
        names.add(headers.substring(nameAt, headers.indexOf('"', nameAt)));
        int end = indexOf(body, delimiter, headersEnd + blank.length);
        contents.add(Arrays.copyOfRange(body, headersEnd + blank.length, end));
        at = end + delimiter.length;
      }
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
      outer:
      for (int i = from; i <= in.length - what.length; i++) {
        for (int j = 0; j < what.length; j++) {
          if (in[i + j] != what[j]) {
            continue outer;
          }
        }
        return i;
      }
      throw new IllegalArgumentException("not a body of MultipartBodies");
    }

    @Override
    public List<MediaType> getReadableMediaTypes() {
      return List.of(MediaType.MULTIPART_FORM_DATA);
    }

    @Override
    public boolean canRead(ResolvableType elementType, MediaType mediaType) {
      return Part.class.equals(elementType.toClass());
    }

    @Override
    public Flux<Object> read(
        ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
      return message
          .getBody()
          .doOnNext(DataBufferUtils::release)
          .thenMany(
              Flux.range(0, names.size())
                  .map(i -> (Object) new FloorPart(names.get(i), contents.get(i))));
    }

    @Override
    public Mono<Object> readMono(
        ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
      return Mono.error(new UnsupportedOperationException("Flux<Part> only"));
    }
  }

  /** A part of {@link FloorReader}: its content wraps the prepared bytes (no copy, no release). */
  record FloorPart(String name, byte[] bytes) implements Part {
    @Override
    public HttpHeaders headers() {
      return new HttpHeaders();
    }

    @Override
    public Flux<DataBuffer> content() {
      return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
    }
  }

  /** WebFlux with the application's one multipart reader bean (the pooled one, or the floor). */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class ReaderConfig implements WebFluxConfigurer {
    @Autowired HttpMessageReader<Object> reader;

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
      configurer.defaultCodecs().multipartReader(reader);
    }
  }

  /** WebFlux as it comes. */
  @Configuration(proxyBeanMethods = false)
  @EnableWebFlux
  static class DefaultConfig implements WebFluxConfigurer {}

  /** The endpoint, written as an application writes it: it does not know which reader runs. */
  @RestController
  static class UploadEndpoint {
    @PostMapping("/upload")
    Mono<String> upload(@RequestBody Flux<Part> parts) {
      return parts
          .concatMap(
              part ->
                  part.content()
                      .map(
                          b -> {
                            long n = b.readableByteCount();
                            DataBufferUtils.release(b);
                            return n;
                          })
                      .reduce(0L, Long::sum)
                      .flatMap(n -> part.delete().thenReturn(n)))
          .collectList()
          .map(sizes -> sizes.size() + " parts " + sizes.stream().mapToLong(n -> n).sum());
    }

    @PostMapping("/discard")
    Mono<String> discard(@RequestBody Flux<DataBuffer> body) {
      return body.map(
              b -> {
                long n = b.readableByteCount();
                DataBufferUtils.release(b);
                return n;
              })
          .reduce(0L, Long::sum)
          .map(n -> "body " + n);
    }
  }
}
