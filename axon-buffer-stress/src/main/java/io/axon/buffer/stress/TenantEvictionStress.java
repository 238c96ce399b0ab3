package io.axon.buffer.stress;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferMut;
import io.axon.buffer.core.LeakTracing;
import io.axon.buffer.core.SlabBufferPool;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * An idle tenant's record is never evicted under a bill: one thread acquires through an allocator
 * whose tenant record may be evicted at that very instant (a pool of one tenant slot, idle timeout
 * zero), while the other thread takes snapshots, each of which drops idle tenants. Whatever the
 * interleaving, the builder's bytes are billed to the tenant's live record, so the acquiring
 * thread's own snapshot sees them under the tenant's name, the acquisition is never refused for
 * want of a slot, and once both are done nothing is billed.
 *
 * <p>Results: r1 = the tenant's live bytes seen by the acquiring thread while it holds its builder
 * (-1 if it was refused), r2 = the pool's live bytes afterwards.
 */
@JCStressTest
@Outcome(id = "4096, 0", expect = Expect.ACCEPTABLE, desc = "Billed to the tenant's live record.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Billed to an evicted record, refused, or lost.")
@State
public class TenantEvictionStress {

  static final String TENANT = "evictable";

  static final SlabBufferPool POOL =
      SlabBufferPool.builder()
          .name("stress-tenant-eviction")
          .maxTenants(1)
          .tenantIdleTimeout(Duration.ZERO)
          .leakTracing(LeakTracing.OFF)
          .build();

  static final BufferAllocator ALLOCATOR = POOL.forTenant(TENANT);

  @Actor
  public void acquire(JJ_Result r) {
    BufferMut m;
    try {
      m = ALLOCATOR.acquire(100);
    } catch (RuntimeException refused) {
      r.r1 = -1;
      return;
    }
    r.r1 = POOL.snapshot().liveBytes(TENANT);
    m.close();
  }

  @Actor
  public void sweep() {
    POOL.snapshot();
  }

  @Arbiter
  public void after(JJ_Result r) {
    r.r2 = POOL.snapshot().liveBytes();
  }
}
