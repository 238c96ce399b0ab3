package io.axon.buffer.core;

import io.axon.buffer.PoolClass;
import java.util.Optional;

/**
 * One leak found by a {@link SlabBufferPool}: storage whose views (or whose builder) all became
 * unreachable without {@code close()}. The memory was returned to the pool when it was found.
 *
 * @param pool the pool's name
 * @param poolClass the size class of the memory
 * @param capacity its capacity in bytes
 * @param tenant the tenant it was billed to, if any
 * @param allocationSite where it was acquired (a stack trace, innermost frame first) when leak
 *     tracing recorded it, else empty
 */
public record LeakReport(
    String pool,
    PoolClass poolClass,
    long capacity,
    Optional<String> tenant,
    Optional<String> allocationSite) {

  /** A one-paragraph description naming the allocation site when known. */
  public String describe() {
    StringBuilder sb =
        new StringBuilder("LEAK in pool ")
            .append(pool)
            .append(": ")
            .append(capacity)
            .append(" bytes (")
            .append(poolClass)
            .append(')');
    tenant.ifPresent(t -> sb.append(" billed to tenant \"").append(t).append('"'));
    sb.append(" became unreachable without close()");
    if (allocationSite.isPresent()) {
      sb.append("; allocated at:\n").append(allocationSite.get());
    } else {
      sb.append("; set ")
          .append(LeakTracing.PROPERTY)
          .append("=all (or the pool builder's leakTracing) to record where it was allocated");
    }
    return sb.toString();
  }
}
