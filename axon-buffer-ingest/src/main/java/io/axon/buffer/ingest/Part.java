package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished part: its {@link PartInfo} and its payload, a {@link ZeroCopyBuffer} over pooled
 * memory acquired from the parser's {@link BufferAllocator} (so its tenant pays), tagged with the
 * part's kind.
 *
 * <h2>Ownership</h2>
 *
 * A part handed to {@link MultipartListener#onPart} belongs to the listener: it must be closed
 * (which closes the payload view). To keep the payload past the part, take another view with {@code
 * part.payload().share()} and close that one later. The payload holds the bytes as sent: a base64
 * or quoted-printable part is decoded only by {@link #decode}.
 *
 * <p>An empty part holds no memory: its payload is an empty view billed to no tenant.
 *
 * <p>Cost: the payload was copied once, from the fed chunks into pooled memory. A part larger than
 * its first slab is a composite view over several slabs (no copy was made to join them); read it
 * with {@link ZeroCopyBuffer#asReadOnlyByteBuffers()} or {@link ZeroCopyBuffer#writeTo} to avoid
 * consolidating it.
 */
public final class Part implements AutoCloseable {

  private final PartInfo info;
  private final ZeroCopyBuffer payload;

  Part(PartInfo info, ZeroCopyBuffer payload) {
    this.info = Objects.requireNonNull(info, "info");
    this.payload = Objects.requireNonNull(payload, "payload");
  }

  /** The part's headers and kind. */
  public PartInfo info() {
    return info;
  }

  /** The payload as sent; valid until this part is closed. */
  public ZeroCopyBuffer payload() {
    return payload;
  }

  /** Shortcut for {@code info().name()}. */
  public String name() {
    return info.name();
  }

  /** Shortcut for {@code info().filename()}. */
  public Optional<String> filename() {
    return info.filename();
  }

  /** Shortcut for {@code info().contentType()}. */
  public Optional<String> contentType() {
    return info.contentType();
  }

  /** Shortcut for {@code info().kind()}. */
  public BufferKind kind() {
    return info.kind();
  }

  /** The payload size in bytes, as sent. */
  public int size() {
    return payload.length();
  }

  /**
   * The content with its transfer encoding undone, as a new view the caller must close: base64 and
   * quoted-printable are decoded into memory from {@code allocator} (one pass, no intermediate copy
   * of the payload); any other encoding returns {@code payload().share()}.
   *
   * @param allocator where the decoded content goes; its tenant pays
   * @return the content, a view the caller closes
   * @throws MultipartException with fault {@link MultipartFault#MALFORMED_ENCODING} if the payload
   *     is not valid in its encoding (nothing is kept allocated)
   * @throws io.axon.buffer.ResourceException if memory is refused, as the allocator threw it
   */
  public ZeroCopyBuffer decode(BufferAllocator allocator) {
    Objects.requireNonNull(allocator, "allocator");
    switch (info.transferEncoding()) {
      case BASE64:
        return TransferDecoder.base64(payload, allocator, info);
      case QUOTED_PRINTABLE:
        return TransferDecoder.quotedPrintable(payload, allocator, info);
      default:
        return payload.share();
    }
  }

  /** Closes the payload view. Idempotent. */
  @Override
  public void close() {
    payload.close();
  }

  @Override
  public String toString() {
    return info + " size=" + (payload.isClosed() ? "(closed)" : String.valueOf(payload.length()));
  }
}
