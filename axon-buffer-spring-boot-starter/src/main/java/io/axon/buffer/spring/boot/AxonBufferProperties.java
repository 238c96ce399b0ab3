package io.axon.buffer.spring.boot;

import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.spring.TenantResolver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code axon.buffer.*} properties: the pool the starter creates, who pays for a request, and
 * the multipart settings Spring's own {@code spring.webflux.multipart.*} properties do not cover.
 *
 * <pre>
 * axon.buffer.direct=true
 * axon.buffer.max-retained-bytes=128MB
 * axon.buffer.default-soft-limit=256MB
 * axon.buffer.default-hard-limit=1GB
 * axon.buffer.tenants.acme.soft-limit=64MB
 * axon.buffer.tenants.acme.hard-limit=128MB
 * axon.buffer.max-tenants=10000
 * axon.buffer.tenant-idle-timeout=10m
 * axon.buffer.leak-tracing=sampled
 * axon.buffer.tenant.header=X-Tenant
 * axon.buffer.tenant.default=anonymous
 * axon.buffer.multipart.max-file-part-size=64MB
 * </pre>
 *
 * Unset values keep {@link SlabBufferPool.Builder}'s and {@link MultipartOptions}' defaults.
 */
@ConfigurationProperties("axon.buffer")
public class AxonBufferProperties {

  /** Made by the binder. */
  public AxonBufferProperties() {}

  /** The pool's name (the {@code pool} tag of its meters). */
  private String name = "axon";

  /** Direct memory (the default: a socket read needs no extra copy) or heap. */
  private boolean direct = true;

  /** Free slabs kept per size class. */
  private Integer maxSlabsPerClass;

  /** Free memory kept across classes. */
  private DataSize maxRetainedBytes;

  /** Soft limit of every tenant (exceeding it is counted, never refused). */
  private DataSize defaultSoftLimit;

  /** Hard limit of every tenant (exceeding it is refused: 429). None by default. */
  private DataSize defaultHardLimit;

  /** Limits of named tenants, over the defaults. */
  private Map<String, TenantLimits> tenants = new LinkedHashMap<>();

  /** The most tenants billed at once (admission); unlimited by default. */
  private Integer maxTenants;

  /** How long a tenant holding nothing keeps its slot; forever by default. */
  private Duration tenantIdleTimeout;

  /** Where leaked buffers were allocated: off, sampled or all. */
  private LeakTracing leakTracing;

  /** Who pays for a request. */
  private final Tenant tenant = new Tenant();

  /** Multipart settings beyond spring.webflux.multipart.*. */
  private final Multipart multipart = new Multipart();

  /**
   * The pool's name.
   *
   * @return the name
   */
  public String getName() {
    return name;
  }

  /**
   * Sets the pool's name.
   *
   * @param name the name
   */
  public void setName(String name) {
    this.name = name;
  }

  /**
   * Whether the pool hands out direct memory.
   *
   * @return true for direct memory
   */
  public boolean isDirect() {
    return direct;
  }

  /**
   * Sets direct or heap memory.
   *
   * @param direct true for direct memory
   */
  public void setDirect(boolean direct) {
    this.direct = direct;
  }

  /**
   * Free slabs kept per size class.
   *
   * @return the bound, or null for the default
   */
  public Integer getMaxSlabsPerClass() {
    return maxSlabsPerClass;
  }

  /**
   * Sets the free slabs kept per size class.
   *
   * @param maxSlabsPerClass the bound
   */
  public void setMaxSlabsPerClass(Integer maxSlabsPerClass) {
    this.maxSlabsPerClass = maxSlabsPerClass;
  }

  /**
   * Free memory kept across classes.
   *
   * @return the bound, or null for the default
   */
  public DataSize getMaxRetainedBytes() {
    return maxRetainedBytes;
  }

  /**
   * Sets the free memory kept across classes.
   *
   * @param maxRetainedBytes the bound
   */
  public void setMaxRetainedBytes(DataSize maxRetainedBytes) {
    this.maxRetainedBytes = maxRetainedBytes;
  }

  /**
   * Soft limit of every tenant.
   *
   * @return the limit, or null for the default
   */
  public DataSize getDefaultSoftLimit() {
    return defaultSoftLimit;
  }

  /**
   * Sets the soft limit of every tenant.
   *
   * @param defaultSoftLimit the limit
   */
  public void setDefaultSoftLimit(DataSize defaultSoftLimit) {
    this.defaultSoftLimit = defaultSoftLimit;
  }

  /**
   * Hard limit of every tenant.
   *
   * @return the limit, or null for none
   */
  public DataSize getDefaultHardLimit() {
    return defaultHardLimit;
  }

  /**
   * Sets the hard limit of every tenant.
   *
   * @param defaultHardLimit the limit
   */
  public void setDefaultHardLimit(DataSize defaultHardLimit) {
    this.defaultHardLimit = defaultHardLimit;
  }

  /**
   * Limits of named tenants.
   *
   * @return the limits by tenant name
   */
  public Map<String, TenantLimits> getTenants() {
    return tenants;
  }

  /**
   * Sets the limits of named tenants.
   *
   * @param tenants the limits by tenant name
   */
  public void setTenants(Map<String, TenantLimits> tenants) {
    this.tenants = tenants;
  }

  /**
   * The most tenants billed at once.
   *
   * @return the cap, or null for none
   */
  public Integer getMaxTenants() {
    return maxTenants;
  }

  /**
   * Sets the most tenants billed at once.
   *
   * @param maxTenants the cap
   */
  public void setMaxTenants(Integer maxTenants) {
    this.maxTenants = maxTenants;
  }

  /**
   * How long an idle tenant keeps its slot.
   *
   * @return the timeout, or null for forever
   */
  public Duration getTenantIdleTimeout() {
    return tenantIdleTimeout;
  }

  /**
   * Sets how long an idle tenant keeps its slot.
   *
   * @param tenantIdleTimeout the timeout
   */
  public void setTenantIdleTimeout(Duration tenantIdleTimeout) {
    this.tenantIdleTimeout = tenantIdleTimeout;
  }

  /**
   * Leak tracing.
   *
   * @return the mode, or null for the default
   */
  public LeakTracing getLeakTracing() {
    return leakTracing;
  }

  /**
   * Sets leak tracing.
   *
   * @param leakTracing the mode
   */
  public void setLeakTracing(LeakTracing leakTracing) {
    this.leakTracing = leakTracing;
  }

  /**
   * Who pays for a request.
   *
   * @return the tenant settings
   */
  public Tenant getTenant() {
    return tenant;
  }

  /**
   * Multipart settings.
   *
   * @return the multipart settings
   */
  public Multipart getMultipart() {
    return multipart;
  }

  /** The pool built from these properties. */
  SlabBufferPool buildPool() {
    SlabBufferPool.Builder b = SlabBufferPool.builder().name(name).direct(direct);
    if (maxSlabsPerClass != null) {
      b.maxSlabsPerClass(maxSlabsPerClass);
    }
    if (maxRetainedBytes != null) {
      b.maxRetainedBytes(maxRetainedBytes.toBytes());
    }
    if (defaultSoftLimit != null) {
      b.defaultSoftLimit(defaultSoftLimit.toBytes());
    }
    if (defaultHardLimit != null) {
      b.defaultHardLimit(defaultHardLimit.toBytes());
    }
    tenants.forEach(
        (tenantName, limits) -> {
          if (limits.getSoftLimit() != null) {
            b.softLimit(tenantName, limits.getSoftLimit().toBytes());
          }
          if (limits.getHardLimit() != null) {
            b.hardLimit(tenantName, limits.getHardLimit().toBytes());
          }
        });
    if (maxTenants != null) {
      b.maxTenants(maxTenants);
    }
    if (tenantIdleTimeout != null) {
      b.tenantIdleTimeout(tenantIdleTimeout);
    }
    if (leakTracing != null) {
      b.leakTracing(leakTracing);
    }
    return b.build();
  }

  /** One tenant's limits. */
  public static class TenantLimits {
    /** The tenant's soft limit (exceeding it is counted, never refused). */
    private DataSize softLimit;

    /** The tenant's hard limit (exceeding it is refused: 429). */
    private DataSize hardLimit;

    /** Made by the binder. */
    public TenantLimits() {}

    /**
     * The tenant's soft limit.
     *
     * @return the limit, or null for the default
     */
    public DataSize getSoftLimit() {
      return softLimit;
    }

    /**
     * Sets the tenant's soft limit.
     *
     * @param softLimit the limit
     */
    public void setSoftLimit(DataSize softLimit) {
      this.softLimit = softLimit;
    }

    /**
     * The tenant's hard limit.
     *
     * @return the limit, or null for the default
     */
    public DataSize getHardLimit() {
      return hardLimit;
    }

    /**
     * Sets the tenant's hard limit.
     *
     * @param hardLimit the limit
     */
    public void setHardLimit(DataSize hardLimit) {
      this.hardLimit = hardLimit;
    }
  }

  /** Who pays for a request: a header, and the tenant of requests without it. */
  public static class Tenant {
    /** The request header naming the tenant. */
    private String header = TenantResolver.DEFAULT_HEADER;

    /** The tenant of requests without the header; none (unbilled) by default. */
    private String defaultTenant;

    /** Made by the binder. */
    public Tenant() {}

    /**
     * The header naming the tenant.
     *
     * @return the header's name
     */
    public String getHeader() {
      return header;
    }

    /**
     * Sets the header naming the tenant.
     *
     * @param header the header's name
     */
    public void setHeader(String header) {
      this.header = header;
    }

    /**
     * The tenant of requests without the header ({@code axon.buffer.tenant.default}).
     *
     * @return the tenant, or null to bill them to nobody
     */
    public String getDefault() {
      return defaultTenant;
    }

    /**
     * Sets the tenant of requests without the header.
     *
     * @param defaultTenant the tenant, or null to bill them to nobody
     */
    public void setDefault(String defaultTenant) {
      this.defaultTenant = defaultTenant;
    }
  }

  /** Multipart settings that Spring's {@code spring.webflux.multipart.*} do not cover. */
  public static class Multipart {
    /**
     * The most bytes of a file part when spring.webflux.multipart.max-disk-usage-per-part is
     * unlimited (its default); 64MB by default.
     */
    private DataSize maxFilePartSize;

    /** Made by the binder. */
    public Multipart() {}

    /**
     * The most bytes of a file part when {@code spring.webflux.multipart.max-disk-usage-per-part}
     * is unlimited (-1, its default): parts are held in pooled memory, not spooled to disk, so the
     * library bounds them ({@link MultipartOptions}' 64 MiB by default).
     *
     * @return the limit, or null for the default
     */
    public DataSize getMaxFilePartSize() {
      return maxFilePartSize;
    }

    /**
     * Sets the most bytes of a file part.
     *
     * @param maxFilePartSize the limit
     */
    public void setMaxFilePartSize(DataSize maxFilePartSize) {
      this.maxFilePartSize = maxFilePartSize;
    }
  }
}
