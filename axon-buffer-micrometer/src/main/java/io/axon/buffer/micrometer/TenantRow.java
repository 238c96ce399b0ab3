package io.axon.buffer.micrometer;

/**
 * The figures behind one value of the {@code tenant} tag: one tenant's, or the sum of the tenants
 * aggregated under {@link BufferPoolMetrics#OTHER_TENANTS}. The meters of that tag value read these
 * fields; {@link TenantSelection} writes them at each snapshot.
 *
 * <p>A row is one series' life: when its tenant disappears the row is dropped (its meters are
 * removed) and keeps its last figures for a scrape that was already reading it; a tenant that comes
 * back gets a new row. Rows compare by identity.
 *
 * <p>Threading: written under {@link TenantSelection}'s lock, read by any thread (volatile fields).
 */
final class TenantRow {

  /** The tag value: the tenant's name, or {@link BufferPoolMetrics#OTHER_TENANTS}. */
  final String tag;

  volatile long liveBytes;
  volatile long borrowedBytes;
  volatile long softLimitExceeded;
  volatile long hardLimitRefusals;

  TenantRow(String tag) {
    this.tag = tag;
  }

  @Override
  public String toString() {
    return "TenantRow[" + tag + "]";
  }
}
