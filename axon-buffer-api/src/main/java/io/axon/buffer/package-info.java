/**
 * Kinds ({@link io.axon.buffer.BufferKind}, {@link io.axon.buffer.KindDescriptor}, {@link
 * io.axon.buffer.BufferKindRegistry}), buffers ({@link io.axon.buffer.ZeroCopyBuffer}, {@link
 * io.axon.buffer.BufferMut}) and pools ({@link io.axon.buffer.BufferPool}, {@link
 * io.axon.buffer.PoolSnapshot}). The implementations live in {@code axon-buffer-core}.
 *
 * <h2>Exceptions</h2>
 *
 * Every fault of input or of resources is an unchecked {@link io.axon.buffer.AxonBufferException},
 * which says how a host answers it ({@link io.axon.buffer.AxonBufferException#httpStatus()}, {@link
 * io.axon.buffer.AxonBufferException#webSocketCloseCode()}). Checked {@link java.io.IOException}s
 * are kept for real I/O (a channel, a socket or a file failing); caller bugs stay {@link
 * java.lang.IllegalArgumentException}, {@link java.lang.IndexOutOfBoundsException}, {@link
 * java.lang.NullPointerException} and {@link io.axon.buffer.ClosedBufferException}.
 *
 * <table class="striped">
 *   <caption>The resource branch</caption>
 *   <thead>
 *     <tr><th>exception</th><th>when</th><th>carries</th><th>HTTP</th><th>close code</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>{@link io.axon.buffer.ResourceException} (abstract)</td>
 *         <td>a request refused for lack of a resource, before anything was allocated</td>
 *         <td></td><td></td><td></td></tr>
 *     <tr><td>{@link io.axon.buffer.TenantLimitExceededException}</td>
 *         <td>an acquisition would take a tenant past its hard limit</td>
 *         <td>tenant, hard limit, live bytes, requested bytes</td><td>429</td><td>1008</td></tr>
 *     <tr><td>{@link io.axon.buffer.TooManyTenantsException}</td>
 *         <td>a new tenant's first billing while the pool bills its maximum of tenants</td>
 *         <td>tenant, maximum of tenants</td><td>429</td><td>1008</td></tr>
 *     <tr><td>{@link io.axon.buffer.BufferAllocationException}</td>
 *         <td>the system had no memory for a slab (direct memory exhausted)</td>
 *         <td>requested bytes, the system's error as cause</td><td>503</td><td>1011</td></tr>
 *   </tbody>
 * </table>
 *
 * A resource fault passes through every ingest path as itself, never wrapped.
 */
package io.axon.buffer;
