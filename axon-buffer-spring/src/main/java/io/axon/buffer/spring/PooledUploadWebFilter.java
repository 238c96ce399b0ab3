package io.axon.buffer.spring;

import io.axon.buffer.PoolClass;
import io.axon.buffer.core.SlabBufferPool;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The companion of {@link PooledMultipartReader} for {@code multipart/form-data} requests (others
 * pass through untouched):
 *
 * <ol>
 *   <li><b>Refuses before the body.</b> It resolves the request's tenant once and asks the pool
 *       whether it would bill it ({@link SlabBufferPool#wouldAdmit}: the tenant's hard limit and
 *       the pool's admission of tenants) for the request's {@code Content-Length} (or, without one,
 *       the smallest slab a part takes). If not, the request fails with 429 before anything
 *       subscribes to its body: a client that sent {@code Expect: 100-continue} never gets {@code
 *       100 Continue} and never sends the body (Reactor Netty answers the expectation only when the
 *       body is first requested). Without a 100-continue the client sends the body anyway: the
 *       filter reads and drops it (up to 1 MiB, then answers at once) before it answers, so that
 *       the server does not close the connection under a body still arriving, which can lose the
 *       answer; no pooled memory is taken.
 *   <li><b>Releases at the end.</b> Every part the reader makes for the request is released when
 *       the exchange ends (the handler's response written, or failed), so a part the application
 *       ignores never leaks. A part the application still needs after that must be copied or shared
 *       ({@code buffer().share()}) before.
 * </ol>
 *
 * Its order is 0 by default: after Spring Security's filter chain (-100), so that a resolver may
 * read what authentication put on the request.
 *
 * <p>Thread-safe; one instance serves every request. Costs per multipart request: the resolver
 * call, one map lookup in the pool, and a small object in the Reactor context.
 */
public final class PooledUploadWebFilter implements WebFilter, Ordered {

  private final SlabBufferPool pool;
  private final TenantResolver tenants;
  private final int order;

  /**
   * A filter over {@code pool} at order 0.
   *
   * @param pool the pool the reader bills (the one {@link SlabBufferPool#wouldAdmit} asks)
   * @param tenants who pays: the same resolver as the reader's
   */
  public PooledUploadWebFilter(SlabBufferPool pool, TenantResolver tenants) {
    this(pool, tenants, 0);
  }

  /**
   * A filter over {@code pool} at {@code order}.
   *
   * @param pool the pool the reader bills
   * @param tenants who pays: the same resolver as the reader's
   * @param order the filter's order among WebFlux's filters (lower runs first)
   */
  public PooledUploadWebFilter(SlabBufferPool pool, TenantResolver tenants, int order) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.order = order;
  }

  /** The most bytes of a refused request's body read and dropped before the refusal (1 MiB). */
  static final long MAX_DRAIN_BYTES = 1 << 20;

  @Override
  public int getOrder() {
    return order;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    MediaType type;
    try {
      type = request.getHeaders().getContentType();
    } catch (RuntimeException e) {
      // An unparseable Content-Type is not ours: the reader (if asked) refuses it with 415.
      return chain.filter(exchange);
    }
    if (type == null || !MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
      return chain.filter(exchange);
    }
    String tenant;
    try {
      tenant = UploadScope.tenantOf(tenants, request);
    } catch (ResponseStatusException e) {
      return Mono.error(e);
    }
    if (tenant != null) {
      long length = request.getHeaders().getContentLength();
      long bytes = length >= 0 ? length : PoolClass.SMALL.slabBytes();
      if (!pool.wouldAdmit(tenant, bytes)) {
        Mono<Void> refusal =
            Mono.error(
                new ResponseStatusException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "tenant \""
                        + tenant
                        + "\" cannot be billed "
                        + bytes
                        + " more bytes now (over its hard limit, or the pool admits no new"
                        + " tenant)"));
        return expectsContinue(request) ? refusal : drainThen(request, refusal);
      }
    }
    UploadScope scope = new UploadScope(tenant);
    return chain
        .filter(exchange)
        .contextWrite(context -> context.put(UploadScope.KEY, scope))
        .doFinally(signal -> scope.end());
  }

  /** Whether the client waits for {@code 100 Continue} before it sends the body. */
  private static boolean expectsContinue(ServerHttpRequest request) {
    return "100-continue".equalsIgnoreCase(request.getHeaders().getFirst(HttpHeaders.EXPECT));
  }

  /**
   * {@code refusal} after the body is read and dropped, up to {@link #MAX_DRAIN_BYTES}: a client
   * that did not ask for {@code 100 Continue} sends its body anyway, and a server that answers and
   * closes with that body unread resets the connection, which can lose the answer (Jetty does;
   * Reactor Netty drains by itself). Nothing is kept: each buffer is released as it comes. Past the
   * bound the refusal is answered at once.
   */
  private static Mono<Void> drainThen(ServerHttpRequest request, Mono<Void> refusal) {
    return request
        .getBody()
        .map(
            buffer -> {
              long n = buffer.readableByteCount();
              DataBufferUtils.release(buffer);
              return n;
            })
        .scan(0L, Long::sum)
        .takeUntil(read -> read > MAX_DRAIN_BYTES)
        .then(refusal);
  }
}
