package io.axon.buffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Hands out {@link BufferMut} builders over pooled memory, billed to one tenant (or to none).
 * Parsers and transcoders take an allocator rather than a pool, so that whoever calls them decides
 * who pays: {@code pool.forTenant("acme")}.
 *
 * <p>Thread-safe.
 */
public interface BufferAllocator {

  /**
   * A new empty builder able to hold at least {@code capacityHint} bytes before growing; the hint
   * picks the {@link PoolClass} (0 picks {@link PoolClass#SMALL}).
   *
   * @param capacityHint the bytes the builder holds before it grows
   * @return a new empty builder
   * @throws IllegalArgumentException if {@code capacityHint} is negative
   * @throws TenantLimitExceededException if the tenant's hard limit would be passed (nothing is
   *     allocated)
   * @throws TooManyTenantsException if this is the tenant's first billing and its pool already
   *     bills as many tenants as it admits (nothing is allocated)
   * @throws BufferAllocationException if the system has no memory for it
   */
  BufferMut acquire(int capacityHint);

  /**
   * Foreign memory as one view of kind {@code kind}, without a copy: {@code pieces} (their bytes
   * from position to limit, in order; positions do not move) stay owned by whoever made them (a
   * Netty {@code ByteBuf}, a Jetty chunk, memory native code filled) until {@code release} runs.
   * Billed to this allocator's tenant as <b>borrowed bytes</b>: they count toward its soft and hard
   * limits and admission like pooled bytes, and are reported apart ({@link
   * PoolSnapshot#borrowedBytes()}).
   *
   * <ul>
   *   <li>{@code release} runs exactly once, when the last view of any piece is closed (the one
   *       returned and every view derived from it), and the bytes are unbilled then.
   *   <li>If this method throws (a limit, admission), {@code release} is not run and nothing is
   *       billed: the caller still owns the memory.
   *   <li>Views that become unreachable without {@code close()} are caught by the safety net: the
   *       release runs and the leak is counted.
   * </ul>
   *
   * @param kind the view's kind
   * @param pieces the memory, in order
   * @param release gives the memory back to its owner; what it throws is logged, never passed on
   * @return the view; a composite view when several pieces hold bytes
   * @throws TenantLimitExceededException if the tenant's hard limit refuses the bytes
   * @throws TooManyTenantsException if the tenant has no slot and none is free
   * @throws IllegalArgumentException if the pieces add up to more than {@link Integer#MAX_VALUE}
   *     bytes
   */
  ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release);

  /**
   * The tenant this allocator bills.
   *
   * @return the tenant's name, or empty for an allocator that bills nobody
   */
  Optional<String> tenant();
}
