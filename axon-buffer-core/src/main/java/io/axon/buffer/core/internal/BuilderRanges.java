package io.axon.buffer.core.internal;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.util.Objects;

/**
 * Frozen views of a pooled builder's bytes taken while the builder goes on appending, for
 * axon-buffer's own parsers: many small payloads packed into one slab, each handed out as its own
 * view, instead of one slab per payload (what {@code BytesMut::split().freeze()} does in Rust's
 * {@code bytes}).
 *
 * <p>Not public API: this package is exported only to axon-buffer's own modules. Once a builder has
 * shared a range it never grows (an append past its capacity is refused with {@link
 * IllegalStateException}: growing would move the bytes its views read), so callers append only what
 * fits ({@code capacity() - length()}). The builder and the views each hold a reference to the
 * memory: it returns to the pool (and stops being billed) when the builder has ended ({@code
 * close()} or {@code freeze()}) and the last view is closed. A view keeps the whole slab alive, the
 * other payloads' bytes included. The pooled builder installs its {@link Access} when its class is
 * initialised (the JDK's "shared secrets" pattern), as {@link InPlaceWrites} does.
 */
public final class BuilderRanges {

  /** What the pooled builder implements for this class. */
  public interface Access {
    /** See {@link BuilderRanges#canShare}. */
    boolean canShare(BufferMut builder);

    /** See {@link BuilderRanges#share}; null if {@code builder} is not a pooled builder. */
    ZeroCopyBuffer share(BufferMut builder, int from, int to, BufferKind kind);
  }

  private static volatile Access access;

  private BuilderRanges() {}

  /**
   * Installs the pooled builder's access; called once, by the core's builder class.
   *
   * @throws IllegalStateException if an access is already installed
   */
  public static synchronized void install(Access a) {
    if (access != null) {
      throw new IllegalStateException("builder range access is already installed");
    }
    access = Objects.requireNonNull(a, "access");
  }

  /**
   * Whether {@code builder} is a pooled builder of the core, whose ranges {@link #share} can share:
   * asked before appending, so that a caller with another builder copies only once.
   */
  public static boolean canShare(BufferMut builder) {
    Access a = access;
    return a != null && a.canShare(builder);
  }

  /**
   * A view of {@code kind} of the bytes {@code [from, to)} already appended to {@code builder},
   * which stays open for more appends (that never grow it past its capacity). Costs one atomic
   * increment and the view object.
   *
   * @return the view, or null when {@code builder} is not a pooled builder of the core (copy into a
   *     builder of its own then)
   * @throws IndexOutOfBoundsException if the range is not within the appended bytes
   * @throws io.axon.buffer.ClosedBufferException if the builder is frozen or closed
   */
  public static ZeroCopyBuffer share(BufferMut builder, int from, int to, BufferKind kind) {
    Access a = access;
    return a == null ? null : a.share(builder, from, to, kind);
  }
}
