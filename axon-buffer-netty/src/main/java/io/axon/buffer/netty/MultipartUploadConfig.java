package io.axon.buffer.netty;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings of {@link MultipartUploadHandler}: immutable and shareable, so that one instance
 * serves every channel (each channel gets its own handler, built from it in the {@code
 * ChannelInitializer}).
 *
 * <pre>{@code
 * MultipartUploadConfig uploads = MultipartUploadConfig.builder(pool)
 *     .accept(request -> request.uri().startsWith("/upload"))
 *     .tenant(request -> request.headers().get("X-Tenant"))
 *     .maxBodyBytes(256L << 20)
 *     .build();
 * }</pre>
 */
public final class MultipartUploadConfig {

  /** The header the default tenant function reads. */
  public static final String DEFAULT_TENANT_HEADER = "X-Tenant";

  /** Default bound on the bytes of a refused request's body read (and dropped) before closing. */
  public static final long DEFAULT_MAX_DRAIN_BYTES = 256 * 1024;

  /** Default bound on the time a refused request's body is drained before closing. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

  private final SlabBufferPool pool;
  private final Predicate<HttpRequest> accept;
  private final Function<HttpRequest, String> tenant;
  private final MultipartOptions options;
  private final long maxBodyBytes;
  private final long maxDrainBytes;
  private final Duration drainTimeout;

  private MultipartUploadConfig(Builder b) {
    this.pool = b.pool;
    this.accept = b.accept;
    this.tenant = b.tenant;
    this.options = b.options;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxDrainBytes = b.maxDrainBytes;
    this.drainTimeout = b.drainTimeout;
  }

  /**
   * A builder with the defaults: every {@code POST} and {@code PUT} is taken as an upload, the
   * tenant is the {@value #DEFAULT_TENANT_HEADER} header, {@link MultipartOptions#defaults()}, no
   * body limit beyond the parser's own limits, refused bodies drained up to {@value
   * #DEFAULT_MAX_DRAIN_BYTES} bytes or 2 seconds.
   *
   * @param pool the pool whose tenants pay for the parts, and which admits them
   * @return a new builder
   */
  public static Builder builder(SlabBufferPool pool) {
    return new Builder(pool);
  }

  /** {@return the pool the parts' memory comes from} */
  public SlabBufferPool pool() {
    return pool;
  }

  /**
   * Whether the handler takes {@code request} as an upload (else it passes the request on).
   *
   * @param request the request's head
   * @return true if it is the handler's
   */
  public boolean accepts(HttpRequest request) {
    return accept.test(request);
  }

  /**
   * The tenant that pays for {@code request}'s parts.
   *
   * @param request the request's head
   * @return the tenant's name, or null if the request names none (answered 400)
   */
  public String tenantOf(HttpRequest request) {
    return tenant.apply(request);
  }

  /** {@return the parser's limits and modes} */
  public MultipartOptions options() {
    return options;
  }

  /** {@return the most body bytes of one request (Content-Length or received)} */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /** {@return the most bytes of a refused request's body read and dropped before closing} */
  public long maxDrainBytes() {
    return maxDrainBytes;
  }

  /** {@return the longest a refused request's body is drained before closing} */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** Builds a {@link MultipartUploadConfig}. Not thread-safe. */
  public static final class Builder {
    private final SlabBufferPool pool;
    private Predicate<HttpRequest> accept =
        r -> r.method().equals(HttpMethod.POST) || r.method().equals(HttpMethod.PUT);
    private Function<HttpRequest, String> tenant = r -> r.headers().get(DEFAULT_TENANT_HEADER);
    private MultipartOptions options = MultipartOptions.defaults();
    private long maxBodyBytes = Long.MAX_VALUE;
    private long maxDrainBytes = DEFAULT_MAX_DRAIN_BYTES;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder(SlabBufferPool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * Which requests are uploads; the others (and their content) pass on down the pipeline
     * untouched. A request taken whose Content-Type is not {@code multipart/form-data} is answered
     * 415.
     *
     * @param accept true for the requests to parse
     * @return this builder
     */
    public Builder accept(Predicate<HttpRequest> accept) {
      this.accept = Objects.requireNonNull(accept, "accept");
      return this;
    }

    /**
     * The tenant of a request: a name checked by {@link SlabBufferPool#checkTenantName}, or null
     * when the request names none. Both refusals are answered 400 before the body. Called on the
     * event loop once per request; it must not block.
     *
     * @param tenant the function
     * @return this builder
     */
    public Builder tenant(Function<HttpRequest, String> tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /**
     * The parser's limits and modes.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(MultipartOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The most bytes one request's body may have: a larger Content-Length is refused (413) before
     * the body, and a chunked body is refused when it passes the limit.
     *
     * @param bytes the limit, at least 0
     * @return this builder
     */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = requireNonNegative(bytes, "maxBodyBytes");
      return this;
    }

    /**
     * After refusing a request whose body is on its way, the handler reads and drops at most this
     * many more bytes of it, so that the client reads the answer before the connection closes (a
     * close with unread bytes makes the system send a reset, which may destroy the answer), and
     * closes once the body ends or the bound is passed.
     *
     * @param bytes the bound, at least 0
     * @return this builder
     */
    public Builder maxDrainBytes(long bytes) {
      this.maxDrainBytes = requireNonNegative(bytes, "maxDrainBytes");
      return this;
    }

    /**
     * The longest a refused request's body is drained before the connection is closed.
     *
     * @param timeout the bound, positive
     * @return this builder
     */
    public Builder drainTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("drainTimeout must be positive, was " + timeout);
      }
      this.drainTimeout = timeout;
      return this;
    }

    /** {@return the settings} */
    public MultipartUploadConfig build() {
      return new MultipartUploadConfig(this);
    }

    private static long requireNonNegative(long value, String what) {
      if (value < 0) {
        throw new IllegalArgumentException(what + " must be >= 0, was " + value);
      }
      return value;
    }
  }
}
