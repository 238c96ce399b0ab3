/**
 * The core implementation: {@link io.axon.buffer.core.SlabBufferPool}, the ByteBuffer-backed views
 * and builders it hands out, and {@link io.axon.buffer.core.Buffers}, the factories of unpooled and
 * composite views.
 *
 * <h2>The pool's classes</h2>
 *
 * {@code SlabBufferPool} is the facade (builder, acquisition, snapshot, trim, close); each of its
 * jobs is a package-private class that owns its state and its methods:
 *
 * <ul>
 *   <li>{@code TenantLedger}: the tenant records, their limits, the rule for names, admission (the
 *       cap on tenants, idle eviction); works on byte counts only.
 *   <li>{@code Tenant} and {@code TenantCell}: one tenant's accounting and the billing algorithm
 *       (lease mode far from the limits, exact mode near them); one thread's share of it.
 *   <li>{@code SlabCache}, {@code ClassPool}, {@code Magazines}: the physical memory: size classes'
 *       free lists and permits, each thread's magazines, carving, allocation from the system.
 *   <li>{@code StripeRegistry} and {@code Stripe}: one stripe (lock and per-thread state) per
 *       thread that uses the pool, its retirement when the thread ends, the reclaimer of a pool
 *       dropped without {@code close()}, and the pool-wide operations over every stripe.
 *   <li>{@code LeakDetector} and {@code Leak}: the safety net's registration policy, the reports,
 *       and the Cleaner action of one storage.
 *   <li>{@code PoolCounters}: the hits, misses, leased and borrowed figures a snapshot sums.
 *   <li>{@code Leases}: how an acquisition, a release, a growth and an adoption compose those jobs.
 * </ul>
 *
 * <h2>Locking</h2>
 *
 * Every lock of a pool, outermost first. A thread holding one of them takes only locks further down
 * the list; every field a lock guards is marked {@code @GuardedBy} with it (checked by Error
 * Prone's GuardedBy analysis where the code lets it see the lock; the few places it cannot, a loop
 * that holds every stripe or a cell reached from the stripe that is locked, say so where they
 * suppress it).
 *
 * <ol>
 *   <li>{@code StripeRegistry.admin} ({@code ReentrantLock}): registering and retiring stripes, and
 *       the pool-wide operations (snapshot, idle-tenant eviction, trim, close). Guards the stripe
 *       list, the free stripe indexes and the counters of retired stripes.
 *   <li>{@code TenantLedger.revocation} ({@code ReentrantLock}): one tenant's switch to exact
 *       billing at a time. Never held together with {@code admin}: both are outermost.
 *   <li>{@code Stripe} (a spin lock, one per thread): guards the thread's magazines, counters and
 *       tenant cells ({@code TenantCell}'s fields are guarded by their stripe). Its owner holds
 *       only its own, and never waits for {@code admin} or {@code revocation} while holding it (a
 *       switch to exact billing lets go of the stripe first). Under {@code admin}, a snapshot or an
 *       eviction holds every stripe at once; a trim or a retirement holds one at a time, and so
 *       does a revocation under {@code revocation}.
 *   <li>{@code ClassPool.lock} ({@code ReentrantLock}, one per size class): guards the class's free
 *       list, slab permits, magazine credit and allocation counters. Taken inside a stripe's lock
 *       or under {@code admin}, one class at a time.
 *   <li>The {@code Tenant} monitor: its cells array (copy-on-write), the figures of its retired
 *       cells and its idle clock. Taken inside a stripe's lock (or with every stripe locked); takes
 *       nothing.
 *   <li>The {@code LeakDetector} monitor: the recent leak reports. Takes nothing.
 * </ol>
 *
 * Byte permits, a tenant's total ({@code granted}), admission slots and the leak counters are
 * atomics, not locks; the Cleaner's thread (leak reclamation, stripe retirement) takes the same
 * locks as any other thread, in the same order.
 */
package io.axon.buffer.core;
