package io.axon.buffer.spring;

import io.axon.buffer.core.SlabBufferPool;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;

/**
 * One request's upload: the tenant that pays (resolved once) and every part read for it, released
 * together when the exchange ends. {@link PooledUploadWebFilter} opens it and puts it in the
 * Reactor context, where {@link PooledMultipartReader} finds it. Internal.
 *
 * <p>Thread-safe: parts are registered on the thread that reads the body, the scope ends on the one
 * that completes the exchange.
 */
final class UploadScope {

  /** The Reactor context key. */
  static final Class<UploadScope> KEY = UploadScope.class;

  private final String tenant;
  private List<PooledPart> parts = new ArrayList<>();

  UploadScope(String tenant) {
    this.tenant = tenant;
  }

  /** The tenant, or null for nobody. */
  String tenant() {
    return tenant;
  }

  /** Keeps {@code part} for {@link #end()}; releases it at once if the scope already ended. */
  void register(PooledPart part) {
    synchronized (this) {
      if (parts != null) {
        parts.add(part);
        return;
      }
    }
    part.release();
  }

  /** Releases every part registered, and every part registered later. Idempotent. */
  void end() {
    List<PooledPart> ended;
    synchronized (this) {
      ended = parts;
      parts = null;
    }
    if (ended != null) {
      for (PooledPart p : ended) {
        p.release();
      }
    }
  }

  /**
   * {@code resolver}'s tenant for {@code request}, checked: an invalid name fails the request with
   * 400 naming it.
   */
  static String tenantOf(TenantResolver resolver, ServerHttpRequest request) {
    String tenant = resolver.tenantOf(request);
    if (tenant != null) {
      try {
        SlabBufferPool.checkTenantName(tenant);
      } catch (IllegalArgumentException e) {
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
      }
    }
    return tenant;
  }
}
