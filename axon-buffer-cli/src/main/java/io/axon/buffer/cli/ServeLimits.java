package io.axon.buffer.cli;

import io.axon.buffer.core.SlabBufferPool;
import java.time.Duration;

/**
 * What {@code serve} allows a client: how long it may stay silent, how slowly it may send a request
 * head or body, how long a response may take to be read, how many connections and tenants are kept
 * at once, how much of a refused body is read before the connection is closed. One immutable value,
 * built from the command line ({@link ServeCommand}) or by tests; every field has the default that
 * {@code serve --help} and the README show.
 *
 * @param threads worker threads that parse upload bodies (Jetty's I/O threads come on top)
 * @param idleTimeout a connection that neither sends nor accepts a byte for this long is closed
 * @param headerTimeout a request head (request line and headers) must be complete this long after
 *     its first byte (after the connection opened, for a connection's first request)
 * @param minRequestRate bytes per second a body must average, counted over the time the server
 *     waited for it, once {@code rateGrace} is spent; 0 turns the check off
 * @param rateGrace how long a body may lag behind {@code minRequestRate} at its start
 * @param writeTimeout the longest a response may take to be written out
 * @param maxConnections connections kept open at once; past it the server stops accepting until one
 *     closes
 * @param maxRequestHeaderBytes the largest request head accepted (431 above it)
 * @param drainLimit bytes of a refused body read (and dropped) before the connection is closed
 * @param maxTenants distinct tenants holding memory at once (the pool's {@link
 *     SlabBufferPool.Builder#maxTenants}, see {@link #applyTenantRules})
 * @param tenantIdleTimeout a tenant that holds nothing and bills nothing for this long gives its
 *     slot back, and its series leave {@code /metrics} (the pool's {@link
 *     SlabBufferPool.Builder#tenantIdleTimeout})
 * @param tenantHardLimit the pool's hard limit per tenant, or 0 for none
 */
record ServeLimits(
    int threads,
    Duration idleTimeout,
    Duration headerTimeout,
    long minRequestRate,
    Duration rateGrace,
    Duration writeTimeout,
    int maxConnections,
    int maxRequestHeaderBytes,
    long drainLimit,
    int maxTenants,
    Duration tenantIdleTimeout,
    long tenantHardLimit) {

  static final int DEFAULT_THREADS = 8;
  static final String DEFAULT_IDLE_TIMEOUT = "30s";
  static final String DEFAULT_HEADER_TIMEOUT = "10s";
  static final String DEFAULT_MIN_REQUEST_RATE = "1k";
  static final String DEFAULT_RATE_GRACE = "10s";
  static final String DEFAULT_WRITE_TIMEOUT = "30s";
  static final int DEFAULT_MAX_CONNECTIONS = 4096;
  static final String DEFAULT_MAX_REQUEST_HEADER = "16k";
  static final String DEFAULT_DRAIN_LIMIT = "64k";
  static final int DEFAULT_MAX_TENANTS = 1000;
  static final String DEFAULT_TENANT_IDLE_TIMEOUT = "5m";

  ServeLimits {
    positive("threads", threads);
    positive("idleTimeout", idleTimeout);
    positive("headerTimeout", headerTimeout);
    if (minRequestRate < 0) {
      throw new IllegalArgumentException("minRequestRate must be >= 0, was " + minRequestRate);
    }
    if (rateGrace.isNegative()) {
      throw new IllegalArgumentException("rateGrace must be >= 0, was " + rateGrace);
    }
    positive("writeTimeout", writeTimeout);
    positive("maxConnections", maxConnections);
    if (maxRequestHeaderBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestHeaderBytes must be at least 1024, was " + maxRequestHeaderBytes);
    }
    if (drainLimit < 0) {
      throw new IllegalArgumentException("drainLimit must be >= 0, was " + drainLimit);
    }
    positive("maxTenants", maxTenants);
    positive("tenantIdleTimeout", tenantIdleTimeout);
    if (tenantHardLimit < 0) {
      throw new IllegalArgumentException("tenantHardLimit must be >= 0, was " + tenantHardLimit);
    }
  }

  /** The defaults of {@code serve}. */
  static ServeLimits defaults() {
    return new ServeLimits(
        DEFAULT_THREADS,
        DurationConverter.parse(DEFAULT_IDLE_TIMEOUT),
        DurationConverter.parse(DEFAULT_HEADER_TIMEOUT),
        ByteSizeConverter.parse(DEFAULT_MIN_REQUEST_RATE),
        DurationConverter.parse(DEFAULT_RATE_GRACE),
        DurationConverter.parse(DEFAULT_WRITE_TIMEOUT),
        DEFAULT_MAX_CONNECTIONS,
        (int) ByteSizeConverter.parse(DEFAULT_MAX_REQUEST_HEADER),
        ByteSizeConverter.parse(DEFAULT_DRAIN_LIMIT),
        DEFAULT_MAX_TENANTS,
        DurationConverter.parse(DEFAULT_TENANT_IDLE_TIMEOUT),
        0);
  }

  /**
   * Gives {@code pool} the tenant rules of these limits: at most {@code maxTenants} tenants, idle
   * ones evicted after {@code tenantIdleTimeout}, the hard limit per tenant if any. The pool
   * enforces them; the server reads them back only to word its refusals.
   *
   * @return {@code pool}
   */
  SlabBufferPool.Builder applyTenantRules(SlabBufferPool.Builder pool) {
    pool.maxTenants(maxTenants).tenantIdleTimeout(tenantIdleTimeout);
    if (tenantHardLimit > 0) {
      pool.defaultHardLimit(tenantHardLimit);
    }
    return pool;
  }

  /** These limits with {@code threads} workers. */
  ServeLimits withThreads(int threads) {
    return with(threads, maxTenants, tenantIdleTimeout);
  }

  /** These limits with at most {@code maxTenants} tenants, idle ones freed after {@code idle}. */
  ServeLimits withTenants(int maxTenants, Duration idle) {
    return with(threads, maxTenants, idle);
  }

  private ServeLimits with(int threads, int maxTenants, Duration idle) {
    return new ServeLimits(
        threads,
        idleTimeout,
        headerTimeout,
        minRequestRate,
        rateGrace,
        writeTimeout,
        maxConnections,
        maxRequestHeaderBytes,
        drainLimit,
        maxTenants,
        idle,
        tenantHardLimit);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
