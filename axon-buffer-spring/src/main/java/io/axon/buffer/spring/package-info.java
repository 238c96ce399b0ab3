/**
 * Spring WebFlux uploads into axon-buffer's pooled, tenant-billed memory.
 *
 * <ul>
 *   <li>{@link io.axon.buffer.spring.PooledMultipartReader}: the multipart reader WebFlux uses in
 *       place of its default one ({@code
 *       ServerCodecConfigurer.defaultCodecs().multipartReader(reader)}); {@code Flux<Part>}, {@code
 *       MultiValueMap<String, Part>} and {@code @RequestPart} work unchanged.
 *   <li>{@link io.axon.buffer.spring.PooledPart}, {@link io.axon.buffer.spring.PooledFilePart},
 *       {@link io.axon.buffer.spring.PooledFormFieldPart}: the parts it gives, each backed by one
 *       view billed to the request's tenant, with the detected {@link io.axon.buffer.BufferKind}.
 *   <li>{@link io.axon.buffer.spring.PooledUploadWebFilter}: refuses a tenant over its hard limit
 *       with 429 before the body is read, and releases every part of a request when its exchange
 *       ends.
 *   <li>{@link io.axon.buffer.spring.TenantResolver}: who pays for a request's memory.
 *   <li>{@link io.axon.buffer.spring.UploadRejectedException}: every fault of an upload as the HTTP
 *       status its {@link io.axon.buffer.AxonBufferException} names.
 * </ul>
 *
 * The Spring Boot starter ({@code axon-buffer-spring-boot-starter}) wires all of it from {@code
 * axon.buffer.*} and {@code spring.webflux.multipart.*} properties.
 */
package io.axon.buffer.spring;
