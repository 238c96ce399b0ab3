package io.axon.buffer.netty;

import io.axon.buffer.BufferKind;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.WebSocketMessageAccumulator;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings of {@link WebSocketMessageHandler}: immutable and shareable between channels.
 *
 * <pre>{@code
 * WebSocketMessageConfig audio = WebSocketMessageConfig.builder(pool)
 *     .messageKind(BufferKind.of("pcm16"))
 *     .maxMessageBytes(1 << 20)
 *     .build();
 * }</pre>
 */
public final class WebSocketMessageConfig {

  /** The default largest message: 16 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L << 20;

  private final SlabBufferPool pool;
  private final Function<HttpHeaders, String> tenant;
  private final long maxMessageBytes;
  private final BufferKind messageKind;

  private WebSocketMessageConfig(Builder b) {
    this.pool = b.pool;
    this.tenant = b.tenant;
    this.maxMessageBytes = b.maxMessageBytes;
    this.messageKind = b.messageKind;
  }

  /**
   * A builder with the defaults: the tenant is the upgrade request's {@value
   * MultipartUploadConfig#DEFAULT_TENANT_HEADER} header, messages of at most {@value
   * #DEFAULT_MAX_MESSAGE_BYTES} bytes, tagged {@code raw}.
   *
   * @param pool the pool whose tenants pay for the messages
   * @return a new builder
   */
  public static Builder builder(SlabBufferPool pool) {
    return new Builder(pool);
  }

  /** {@return the pool the messages' memory comes from} */
  public SlabBufferPool pool() {
    return pool;
  }

  /**
   * The tenant of a connection, from its upgrade request's headers (empty headers when the handler
   * saw no server handshake, as on a client's pipeline).
   *
   * @param upgradeHeaders the upgrade request's headers
   * @return the tenant's name, or null if none is named (the connection is then closed with 1008)
   */
  public String tenantOf(HttpHeaders upgradeHeaders) {
    return tenant.apply(upgradeHeaders);
  }

  /** {@return the largest message, in bytes} */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** {@return the kind every message is tagged with} */
  public BufferKind messageKind() {
    return messageKind;
  }

  /** Builds a {@link WebSocketMessageConfig}. Not thread-safe. */
  public static final class Builder {
    private final SlabBufferPool pool;
    private Function<HttpHeaders, String> tenant =
        h -> h.get(MultipartUploadConfig.DEFAULT_TENANT_HEADER);
    private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private BufferKind messageKind = BufferKind.raw();

    private Builder(SlabBufferPool pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The tenant of a connection, from its upgrade request's headers; called once per connection,
     * on its event loop.
     *
     * @param tenant the function (null result: no tenant)
     * @return this builder
     */
    public Builder tenant(Function<HttpHeaders, String> tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /**
     * The largest message: a message that passes it closes the connection with 1009, checked on the
     * fragment that crosses it, before it is copied. Keep Netty's {@code maxFramePayloadLength} at
     * least as large, or large messages sent as one frame fail in Netty's decoder first.
     *
     * @param bytes the limit, 0 to {@link WebSocketMessageAccumulator#MAX_MESSAGE_BYTES_CEILING}
     * @return this builder
     */
    public Builder maxMessageBytes(long bytes) {
      if (bytes < 0 || bytes > WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be 0.."
                + WebSocketMessageAccumulator.MAX_MESSAGE_BYTES_CEILING
                + ", was "
                + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * The kind every message is tagged with (say {@code pcm16} for an audio stream).
     *
     * @param kind the kind
     * @return this builder
     */
    public Builder messageKind(BufferKind kind) {
      this.messageKind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** {@return the settings} */
    public WebSocketMessageConfig build() {
      return new WebSocketMessageConfig(this);
    }
  }
}
