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
 *   <caption>Every fault, by branch</caption>
 *   <thead>
 *     <tr><th>exception</th><th>when</th><th>carries</th><th>HTTP</th><th>close code</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>{@link io.axon.buffer.AxonBufferException} (abstract)</td>
 *         <td>the root: catch it at a host's edge</td>
 *         <td>message; {@code httpStatus()}, {@code webSocketCloseCode()}</td>
 *         <td></td><td></td></tr>
 *     <tr><td>{@link io.axon.buffer.ContentException} (abstract)</td>
 *         <td>content is not what it claims to be, or cannot be had as the kind asked for</td>
 *         <td></td><td>400</td><td>1007</td></tr>
 *     <tr><td>{@link io.axon.buffer.MalformedContentException}</td>
 *         <td>an inspector or transcoder found a fault in the bytes</td>
 *         <td>kind, offset of the fault</td><td>400</td><td>1007</td></tr>
 *     <tr><td>{@link io.axon.buffer.UnsupportedContentException}</td>
 *         <td>valid content in a variant the operation does not handle (a WAV in ADPCM asked for as
 *             {@code pcm16})</td>
 *         <td>kind</td><td>415</td><td>1003</td></tr>
 *     <tr><td>{@link io.axon.buffer.NoTranscoderPathException}</td>
 *         <td>no chain of transcoders leads from the content's kind to the kind asked for</td>
 *         <td>from, to</td><td>415</td><td>1003</td></tr>
 *     <tr><td>{@link io.axon.buffer.IngestException} (abstract)</td>
 *         <td>a body, a message or a stream refused while it was ingested</td>
 *         <td></td><td></td><td></td></tr>
 *     <tr><td>{@code io.axon.buffer.ingest.MultipartException}</td>
 *         <td>a multipart body breaks the grammar, a parser limit, or is cut short</td>
 *         <td>{@code MultipartFault}, the {@code MultipartLimit} and its value, body offset, part
 *             index</td>
 *         <td>415 for a Content-Type that is not {@code multipart/form-data}, 413 for a limit, else
 *             400</td>
 *         <td>1003, 1009, else 1007</td></tr>
 *     <tr><td>{@code io.axon.buffer.ingest.WebSocketProtocolException}</td>
 *         <td>a WebSocket peer breaks RFC 6455, or a message or frame passes its limit</td>
 *         <td>{@code WebSocketFault} (which names the close code)</td>
 *         <td>413 for a message too big, 415 for a text message to a binary endpoint, else 400</td>
 *         <td>the fault's: 1002, 1003, 1007, 1009, or 1006 (reported, never sent) for input cut
 *             short</td></tr>
 *     <tr><td>{@link io.axon.buffer.SizeLimitExceededException}</td>
 *         <td>content longer than the limit it was read under, or than a view holds</td>
 *         <td>what was read, limit, size seen</td><td>413</td><td>1009</td></tr>
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
 * <p>Where each is met: inspectors and transcoders throw the content branch; the multipart parser
 * reports its faults through {@code MultipartListener.onError} (and its whole-body helper throws
 * them); the WebSocket accumulator and frame decoder throw theirs; channel and file reads throw
 * {@link io.axon.buffer.SizeLimitExceededException}. A resource fault passes through every ingest
 * path as itself, never wrapped: a multipart listener's {@code onError} receives the {@link
 * io.axon.buffer.TenantLimitExceededException} the parser met. When any of them is raised or
 * reported, every pooled buffer of the failed operation has been released.
 */
package io.axon.buffer;
