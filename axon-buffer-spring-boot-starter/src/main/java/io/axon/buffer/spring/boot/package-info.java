/**
 * The Spring Boot starter of axon-buffer: {@link
 * io.axon.buffer.spring.boot.AxonBufferAutoConfiguration} and its {@link
 * io.axon.buffer.spring.boot.AxonBufferProperties} ({@code axon.buffer.*}).
 */
package io.axon.buffer.spring.boot;
