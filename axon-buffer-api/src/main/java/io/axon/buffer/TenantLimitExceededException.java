package io.axon.buffer;

/**
 * An acquisition would take a tenant past its hard limit. Nothing was allocated and nothing was
 * billed: the tenant's live bytes are what they were before the call.
 *
 * <p>HTTP hosts answer 429 (Too Many Requests), WebSocket hosts close with 1008 (policy violation):
 * the same request may succeed once the tenant released memory.
 */
public class TenantLimitExceededException extends ResourceException {

  private static final long serialVersionUID = 1L;

  /** The tenant refused. */
  private final String tenant;

  /** The tenant's hard limit. */
  private final long hardLimitBytes;

  /** The bytes billed to the tenant when it was refused. */
  private final long liveBytes;

  /** The bytes it asked for. */
  private final long requestedBytes;

  /**
   * A refusal of {@code requestedBytes} more for {@code tenant}.
   *
   * @param tenant the tenant refused
   * @param hardLimitBytes its hard limit
   * @param liveBytes the bytes it held when refused
   * @param requestedBytes the capacity the refused acquisition would have billed
   */
  public TenantLimitExceededException(
      String tenant, long hardLimitBytes, long liveBytes, long requestedBytes) {
    super(
        "tenant \""
            + tenant
            + "\" would exceed its hard limit of "
            + hardLimitBytes
            + " bytes: it holds "
            + liveBytes
            + " and asked for "
            + requestedBytes
            + " more");
    this.tenant = tenant;
    this.hardLimitBytes = hardLimitBytes;
    this.liveBytes = liveBytes;
    this.requestedBytes = requestedBytes;
  }

  /**
   * The tenant refused.
   *
   * @return its name
   */
  public String tenant() {
    return tenant;
  }

  /**
   * The tenant's hard limit.
   *
   * @return the limit in bytes
   */
  public long hardLimitBytes() {
    return hardLimitBytes;
  }

  /**
   * The bytes the tenant held when refused (pooled and borrowed).
   *
   * @return live bytes
   */
  public long liveBytes() {
    return liveBytes;
  }

  /**
   * The capacity the refused acquisition asked for.
   *
   * @return requested bytes
   */
  public long requestedBytes() {
    return requestedBytes;
  }

  /** {@return 429, Too Many Requests} */
  @Override
  public int httpStatus() {
    return 429;
  }

  /** {@return 1008, policy violation} */
  @Override
  public int webSocketCloseCode() {
    return 1008;
  }
}
