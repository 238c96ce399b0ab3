package io.axon.buffer;

/**
 * A tenant the pool holds no record for was refused its first memory because the pool already bills
 * as many tenants as it admits. Nothing was allocated and nothing was billed; the pool keeps no
 * record of the refused tenant.
 *
 * <p>A tenant takes a slot when memory is first billed to it and gives it back once it holds
 * nothing and stayed idle for the pool's idle timeout, so the same request may succeed later. HTTP
 * hosts answer 429 (Too Many Requests), WebSocket hosts close with 1008 (policy violation).
 */
public class TooManyTenantsException extends ResourceException {

  private static final long serialVersionUID = 1L;

  /** The tenant refused. */
  private final String tenant;

  /** The cap on tenants holding memory at once. */
  private final int maxTenants;

  /**
   * A refusal of {@code tenant} under a cap of {@code maxTenants}.
   *
   * @param tenant the tenant refused
   * @param maxTenants how many tenants the pool admits at once
   */
  public TooManyTenantsException(String tenant, int maxTenants) {
    super(
        "tenant \""
            + tenant
            + "\" refused: the pool already bills its maximum of "
            + maxTenants
            + " tenants");
    this.tenant = tenant;
    this.maxTenants = maxTenants;
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
   * How many tenants the pool admits at once.
   *
   * @return the cap that was reached
   */
  public int maxTenants() {
    return maxTenants;
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
