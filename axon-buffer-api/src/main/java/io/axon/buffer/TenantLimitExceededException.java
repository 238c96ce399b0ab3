package io.axon.buffer;

/**
 * An acquisition would take a tenant past its hard limit. Nothing was allocated and nothing was
 * billed: the tenant's live bytes are what they were before the call.
 */
public class TenantLimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String tenant;
  private final long hardLimitBytes;
  private final long liveBytes;
  private final long requestedBytes;

  /**
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

  /** The tenant refused. */
  public String tenant() {
    return tenant;
  }

  /** Its hard limit in bytes. */
  public long hardLimitBytes() {
    return hardLimitBytes;
  }

  /** The bytes it held when refused. */
  public long liveBytes() {
    return liveBytes;
  }

  /** The capacity the refused acquisition asked for. */
  public long requestedBytes() {
    return requestedBytes;
  }
}
