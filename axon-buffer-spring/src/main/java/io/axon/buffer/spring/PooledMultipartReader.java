package io.axon.buffer.spring;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A WebFlux {@link HttpMessageReader} for {@code multipart/form-data} that reads every part into
 * pooled memory billed to the request's tenant, in place of WebFlux's default reader:
 *
 * <pre>{@code
 * @Configuration
 * class Uploads implements WebFluxConfigurer {
 *   public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
 *     codecs.defaultCodecs().multipartReader(PooledMultipartReader.builder(pool).build());
 *   }
 * }
 * }</pre>
 *
 * (The Spring Boot starter does this, and registers {@link PooledUploadWebFilter}, by itself.)
 *
 * <h2>What changes for the application: nothing</h2>
 *
 * It reads both shapes WebFlux asks a multipart reader for: {@code Flux<Part>} ({@code @RequestBody
 * Flux<Part>}, {@code BodyExtractors.toParts()}) and {@code MultiValueMap<String, Part>}
 * ({@code @RequestPart}, {@code ServerWebExchange.getMultipartData()}, {@code
 * BodyExtractors.toMultipartData()}). The parts are {@link
 * org.springframework.http.codec.multipart.FilePart}s, {@link
 * org.springframework.http.codec.multipart.FormFieldPart}s and plain {@link Part}s as with the
 * default reader, and are in fact {@link PooledFilePart}, {@link PooledFormFieldPart} and {@link
 * PooledPart}: declare those types to reach the detected kind.
 *
 * <h2>What it does differently</h2>
 *
 * <ul>
 *   <li><b>Memory.</b> Each body buffer is copied once into pooled memory (the pool's slabs, billed
 *       to the tenant {@link TenantResolver} names) and released at once; a part is one view over
 *       that memory. Nothing goes to a temporary file: a part's limit bounds its memory instead
 *       ({@link Builder#maxFilePartBytes}, {@link Builder#maxFieldPartBytes}), and so do the
 *       tenant's hard limit and the pool's admission.
 *   <li><b>No copy out.</b> {@link Part#content()} emits pooled {@code DataBuffer}s over the view,
 *       and {@link PooledFilePart#transferTo} writes it with gathering writes.
 *   <li><b>Release.</b> Every body buffer, part and view is released on completion, on a fault (a
 *       malformed body, a limit, memory refused), on cancel (a client that aborts, a handler that
 *       stops reading) and when the application ignores a part (with {@link PooledUploadWebFilter}
 *       installed, which ends every part of a request with its exchange; WebFlux itself deletes the
 *       parts of {@code getMultipartData()}).
 *   <li><b>Faults</b> are {@link UploadRejectedException}s: a {@code ResponseStatusException} with
 *       the status of the typed fault it carries (400 malformed, 413 over a limit, 415 not {@code
 *       multipart/form-data}, 429 tenant over its hard limit or not admitted, 503 no memory).
 * </ul>
 *
 * <p>Thread-safe and stateless between requests: one instance serves every request.
 */
public final class PooledMultipartReader implements HttpMessageReader<Object> {

  private static final ResolvableType PART_MAP =
      ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, Part.class);

  private static final List<MediaType> MEDIA_TYPES = List.of(MediaType.MULTIPART_FORM_DATA);

  private final BufferPool pool;
  private final TenantResolver tenants;
  private final MultipartOptions options;
  private final long maxFilePartBytes;
  private final long maxFieldPartBytes;
  private final Scheduler blocking;

  private PooledMultipartReader(Builder b) {
    this.pool = b.pool;
    this.tenants = b.tenants;
    this.maxFilePartBytes = b.maxFilePartBytes >= 0 ? b.maxFilePartBytes : b.options.maxPartBytes();
    this.maxFieldPartBytes =
        b.maxFieldPartBytes >= 0 ? b.maxFieldPartBytes : b.options.maxPartBytes();
    this.options =
        b.options.toBuilder().maxPartBytes(Math.max(maxFilePartBytes, maxFieldPartBytes)).build();
    this.blocking = b.blocking;
  }

  /**
   * A builder for a reader over {@code pool}.
   *
   * @param pool where the parts' memory comes from
   * @return a builder with the defaults
   */
  public static Builder builder(BufferPool pool) {
    return new Builder(pool);
  }

  // ------------------------------------------------------------------- HttpMessageReader

  @Override
  public List<MediaType> getReadableMediaTypes() {
    return MEDIA_TYPES;
  }

  @Override
  public boolean canRead(ResolvableType elementType, MediaType mediaType) {
    boolean type =
        Part.class.equals(elementType.toClass()) || PART_MAP.isAssignableFrom(elementType);
    return type && (mediaType == null || MediaType.MULTIPART_FORM_DATA.isCompatibleWith(mediaType));
  }

  @Override
  public Flux<Object> read(
      ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
    if (Part.class.equals(elementType.toClass())) {
      return parts(message).cast(Object.class);
    }
    return readMono(elementType, message, hints).flux();
  }

  @Override
  public Mono<Object> readMono(
      ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
    if (Part.class.equals(elementType.toClass())) {
      return Mono.error(
          new UnsupportedOperationException(
              "a multipart body is read as Flux<Part> or MultiValueMap<String, Part>,"
                  + " not as a single Part"));
    }
    // collectList releases what it collected if the body fails half-way (a discard).
    return parts(message)
        .collectList()
        .map(
            list -> {
              MultiValueMap<String, Part> map = new LinkedMultiValueMap<>();
              for (Part p : list) {
                map.add(p.name(), p);
              }
              return (Object) map;
            });
  }

  // ------------------------------------------------------------------- reading

  /**
   * The parts of {@code message}'s body, each released if it is dropped before it reaches the
   * subscriber (cancel, error).
   *
   * @param message the request (or a response, for a client)
   * @return the parts, in the order sent
   */
  public Flux<Part> parts(ReactiveHttpInputMessage message) {
    Objects.requireNonNull(message, "message");
    return Flux.<Part>deferContextual(
            context -> {
              UploadScope scope = context.getOrDefault(UploadScope.KEY, null);
              String tenant =
                  scope != null
                      ? scope.tenant()
                      : message instanceof ServerHttpRequest
                          ? UploadScope.tenantOf(tenants, (ServerHttpRequest) message)
                          : null;
              String boundary = MultipartParser.boundaryOf(contentType(message.getHeaders()));
              return Flux.using(
                  () ->
                      new PartStream(
                          boundary, tenant == null ? pool : pool.forTenant(tenant), this, scope),
                  stream ->
                      message
                          .getBody()
                          .<PartBatch>handle(
                              (buffer, sink) -> {
                                PartBatch parts;
                                try {
                                  parts = stream.feed(buffer);
                                } catch (RuntimeException e) {
                                  sink.error(e);
                                  return;
                                }
                                if (!parts.isEmpty()) {
                                  sink.next(parts);
                                }
                              })
                          .concatWith(Mono.fromCallable(stream::finish))
                          .concatMapIterable(parts -> parts),
                  PartStream::close);
            })
        .onErrorMap(AxonBufferException.class, UploadRejectedException::new)
        // Parts Reactor drops on cancel or error: in a batch queued, or one by one. No hook for
        // DataBuffer: PartStream releases each body buffer as it feeds it (no operator here
        // queues one), and a second hook would release what WebFlux's own hook releases.
        .doOnDiscard(PartBatch.class, PartBatch::release)
        .doOnDiscard(PooledPart.class, PooledPart::release);
  }

  private static String contentType(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.CONTENT_TYPE);
    return value == null ? "" : value;
  }

  // ------------------------------------------------------------------- settings

  /**
   * The parser's options (its part limit is the larger of the two part limits).
   *
   * @return the options
   */
  public MultipartOptions options() {
    return options;
  }

  /**
   * The most bytes of a part with a file name.
   *
   * @return the limit
   */
  public long maxFilePartBytes() {
    return maxFilePartBytes;
  }

  /**
   * The most bytes of a part without a file name (form values and other parts).
   *
   * @return the limit
   */
  public long maxFieldPartBytes() {
    return maxFieldPartBytes;
  }

  /**
   * Who pays for a request's memory.
   *
   * @return the resolver
   */
  public TenantResolver tenantResolver() {
    return tenants;
  }

  /**
   * Where {@link PooledFilePart#transferTo} writes files.
   *
   * @return the scheduler
   */
  public Scheduler blockingScheduler() {
    return blocking;
  }

  /** Builds a {@link PooledMultipartReader}; every setter checks its argument. */
  public static final class Builder {
    private final BufferPool pool;
    private TenantResolver tenants = TenantResolver.header(TenantResolver.DEFAULT_HEADER, null);
    private MultipartOptions options = MultipartOptions.defaults();
    private long maxFilePartBytes = -1;
    private long maxFieldPartBytes = -1;
    private Scheduler blocking = Schedulers.boundedElastic();

    private Builder(BufferPool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * Who pays (default: the {@value TenantResolver#DEFAULT_HEADER} header, nobody without it).
     * With {@link PooledUploadWebFilter} installed, the filter's resolver decides instead (once per
     * request); give both the same one.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder tenantResolver(TenantResolver resolver) {
      this.tenants = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The parser's options: header, part-count and preamble limits, line endings, sniffing, the
     * kind registry (default {@link MultipartOptions#defaults()}). Its part limit is the default of
     * both part limits below.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(MultipartOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The most bytes of a part with a file name (default: the options' {@code maxPartBytes}), at
     * most {@link MultipartOptions#MAX_PART_BYTES_CEILING}.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxFilePartBytes(long bytes) {
      this.maxFilePartBytes = checkLimit(bytes);
      return this;
    }

    /**
     * The most bytes of a part without a file name (default: the options' {@code maxPartBytes});
     * WebFlux's {@code maxInMemorySize} for such parts.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxFieldPartBytes(long bytes) {
      this.maxFieldPartBytes = checkLimit(bytes);
      return this;
    }

    /**
     * Where file writes run (default Reactor's {@code boundedElastic}).
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder blockingScheduler(Scheduler scheduler) {
      this.blocking = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    private static long checkLimit(long bytes) {
      if (bytes < 0 || bytes > MultipartOptions.MAX_PART_BYTES_CEILING) {
        throw new IllegalArgumentException(
            "part limit must be 0 to "
                + MultipartOptions.MAX_PART_BYTES_CEILING
                + " bytes, was "
                + bytes);
      }
      return bytes;
    }

    /**
     * The reader.
     *
     * @return a new reader
     */
    public PooledMultipartReader build() {
      return new PooledMultipartReader(this);
    }
  }
}
