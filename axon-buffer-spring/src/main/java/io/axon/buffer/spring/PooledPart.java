package io.axon.buffer.spring;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.HeaderField;
import io.axon.buffer.ingest.PartInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.multipart.Part;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A multipart part whose content is one {@link ZeroCopyBuffer} over pooled memory billed to the
 * request's tenant, read by {@link PooledMultipartReader}. Parts with a file name are {@link
 * PooledFilePart}s, plain form values {@link PooledFormFieldPart}s, every other part (a JSON part
 * without a file name, say) a {@code PooledPart}, as WebFlux's own reader decides.
 *
 * <h2>Kind</h2>
 *
 * {@link #kind()} is the part's detected {@link BufferKind}: its declared Content-Type refined by
 * sniffing its first bytes (see {@link PartInfo}). Reach it from a handler by declaring the part's
 * type: {@code @RequestPart("file") PooledFilePart file}, or by casting a {@code Part}.
 *
 * <h2>Content without a copy</h2>
 *
 * {@link #content()} emits one {@link DataBuffer} per subscription: a {@link
 * org.springframework.core.io.buffer.PooledDataBuffer} (Netty's) over a new view of the same
 * memory, whose last {@code release()} closes that view. Subscribe as often as you like; whoever
 * receives a buffer releases it, as with every {@code DataBuffer} ({@code
 * DataBufferUtils.release}). Spring's decoders and Reactor Netty's response do.
 *
 * <h2>Lifetime</h2>
 *
 * The part's own view is released by {@link #delete()}, by {@link #release()}, and at the latest
 * when the request's exchange ends (by {@link PooledUploadWebFilter}; WebFlux also deletes the
 * parts of {@code getMultipartData()} then). After that {@link #content()} and {@link #buffer()}
 * fail with {@link io.axon.buffer.ClosedBufferException}; buffers emitted before stay valid until
 * released. To keep the bytes past the request, take {@code buffer().share()} and close it when
 * done.
 *
 * <p>Thread-safe. Costs: the part object (its {@link #headers()} are built only if asked for), and
 * nothing per byte.
 */
public class PooledPart implements Part {

  private static final VarHandle HEADERS;

  static {
    try {
      HEADERS =
          MethodHandles.lookup().findVarHandle(PooledPart.class, "headers", HttpHeaders.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PartInfo info;
  private final ZeroCopyBuffer buffer;
  private final int size;

  /** Built from {@link #info} when first asked for (most handlers never ask). */
  private volatile HttpHeaders headers;

  /**
   * The next part of the same {@link UploadScope} (its list of parts to release); guarded by it.
   */
  PooledPart nextInScope;

  PooledPart(PartInfo info, ZeroCopyBuffer buffer) {
    this.info = Objects.requireNonNull(info, "info");
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.size = buffer.length();
  }

  /**
   * The field name from the part's Content-Disposition.
   *
   * @return the name, empty for a part that names none
   */
  @Override
  public String name() {
    String name = info.name();
    return name == null ? "" : name;
  }

  /**
   * The part's headers, in the order sent: built from {@link #info()} when first asked for, then
   * the same instance every time.
   *
   * @return the headers
   */
  @Override
  public HttpHeaders headers() {
    HttpHeaders h = headers;
    if (h != null) {
      return h;
    }
    h = new HttpHeaders();
    for (HeaderField f : info.headers()) {
      h.add(f.name(), f.value());
    }
    HttpHeaders won = (HttpHeaders) HEADERS.compareAndExchange(this, null, h);
    return won == null ? h : won;
  }

  /**
   * The content as one pooled {@link DataBuffer} over a new view of the part's memory (see the
   * class comment); the subscriber releases it. Fails with {@link
   * io.axon.buffer.ClosedBufferException} once the part was released.
   *
   * @return the content, without a copy
   */
  @Override
  public Flux<DataBuffer> content() {
    return PartContent.of(buffer);
  }

  /**
   * Releases the part's view (its memory goes back to the pool once every buffer taken from it is
   * released too). Idempotent.
   *
   * @return a {@code Mono} that releases when subscribed
   */
  @Override
  public Mono<Void> delete() {
    return Mono.fromRunnable(this::release);
  }

  /** Releases the part's view now (as {@link #delete()} does when subscribed). Idempotent. */
  public void release() {
    buffer.close();
  }

  /**
   * The detected kind of the content (see the class comment).
   *
   * @return the kind
   */
  public BufferKind kind() {
    return info.kind();
  }

  /**
   * What the part's header block says, and its kind.
   *
   * @return the part's info
   */
  public PartInfo info() {
    return info;
  }

  /**
   * The part's view (the bytes as sent), valid until the part is released: read it, or {@code
   * share()} it to keep the bytes longer.
   *
   * @return the part's own view; do not close it (use {@link #release()})
   */
  public ZeroCopyBuffer buffer() {
    return buffer;
  }

  /**
   * The content's length in bytes.
   *
   * @return the size as sent
   */
  public long size() {
    return size;
  }

  /**
   * The tenant billed for this part's memory.
   *
   * @return the tenant, or empty when the request was billed to nobody
   */
  public Optional<String> tenant() {
    return buffer.tenant();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + info + "]";
  }
}
