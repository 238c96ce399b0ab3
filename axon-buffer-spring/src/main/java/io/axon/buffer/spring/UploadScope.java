package io.axon.buffer.spring;

import io.axon.buffer.core.SlabBufferPool;
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

  /** The last part registered, linked to the ones before ({@link PooledPart#nextInScope}). */
  private PooledPart last;

  private boolean ended;

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
      if (!ended) {
        part.nextInScope = last;
        last = part;
        return;
      }
    }
    part.release();
  }

  /** Releases every part registered, and every part registered later. Idempotent. */
  void end() {
    PooledPart p;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      p = last;
      last = null;
    }
    // Newest first.
    while (p != null) {
      PooledPart next = p.nextInScope;
      p.nextInScope = null;
      p.release();
      p = next;
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
