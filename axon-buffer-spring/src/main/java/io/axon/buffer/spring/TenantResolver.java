package io.axon.buffer.spring;

import java.util.Objects;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Names the tenant that pays for a request's pooled memory: every part of an upload is billed to
 * it, and {@link PooledUploadWebFilter} refuses it before the body when it is over its hard limit.
 *
 * <p>The answer must be a valid tenant name ({@link
 * io.axon.buffer.core.SlabBufferPool#checkTenantName}); an invalid one fails the request with 400.
 * {@code null} bills the request to nobody (it then counts only in the pool's totals, and no tenant
 * limit applies).
 *
 * <p>Called once per multipart request, on the thread that handles it: keep it cheap and
 * non-blocking. A tenant that comes from authentication (a principal) is best resolved by a
 * resolver that reads what the security layer put in a header or attribute before {@link
 * PooledUploadWebFilter} runs (its order is 0, after Spring Security's chain).
 */
@FunctionalInterface
public interface TenantResolver {

  /** The header the default resolver reads. */
  String DEFAULT_HEADER = "X-Tenant";

  /**
   * The tenant that pays for {@code request}'s uploads.
   *
   * @param request the request (headers, path, attributes; never its body)
   * @return the tenant's name, or {@code null} to bill nobody
   */
  String tenantOf(ServerHttpRequest request);

  /**
   * A resolver that reads the tenant from a request header, falling back to {@code whenAbsent} when
   * the request has none (or an empty one).
   *
   * @param header the header's name, such as {@value #DEFAULT_HEADER}
   * @param whenAbsent the tenant of requests without the header; {@code null} bills them to nobody
   * @return the resolver
   */
  static TenantResolver header(String header, String whenAbsent) {
    Objects.requireNonNull(header, "header");
    return request -> {
      String value = request.getHeaders().getFirst(header);
      return value == null || value.isEmpty() ? whenAbsent : value;
    };
  }
}
