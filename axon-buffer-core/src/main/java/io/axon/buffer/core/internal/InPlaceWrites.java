package io.axon.buffer.core.internal;

import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writing straight into a pooled builder's memory, for axon-buffer's own converters (the G.711
 * transcoders) whose output would otherwise be produced in a scratch array and copied in.
 *
 * <p>Not public API: this package is exported only to axon-buffer's own modules. The buffer it
 * hands out is the pooled memory itself (the slab's own {@link ByteBuffer}, shared by every builder
 * and view of that slab, so that a frame of audio costs no buffer object): callers use absolute
 * indexes only, never change its position, limit or byte order, write only inside what {@link
 * #reserve} gave them, and drop it before {@link #commit} returns. A caller that kept it could
 * write into a slab that has since been handed to another tenant. That is why the public {@link
 * BufferMut} offers no such method, and why the callers are a few audited loops that reserve,
 * write, commit and drop the buffer within one method. The pooled builder installs its {@link
 * Access} when its class is initialised (the JDK's "shared secrets" pattern), so a builder that
 * exists has installed it.
 */
public final class InPlaceWrites {

  /** What the pooled builder implements for this class. */
  public interface Access {
    /** See {@link InPlaceWrites#reserve}. */
    int reserve(BufferMut builder, int bytes);

    /** See {@link InPlaceWrites#memory}. */
    ByteBuffer memory(BufferMut builder);

    /** See {@link InPlaceWrites#commit}. */
    void commit(BufferMut builder, int bytes);

    /** See {@link InPlaceWrites#copy}. */
    boolean copy(ZeroCopyBuffer src, ByteBuffer dst, int index);
  }

  private static volatile Access access;

  private InPlaceWrites() {}

  /**
   * Installs the pooled builder's access; called once, by the core's builder class.
   *
   * @throws IllegalStateException if an access is already installed
   */
  public static synchronized void install(Access a) {
    if (access != null) {
      throw new IllegalStateException("in-place write access is already installed");
    }
    access = Objects.requireNonNull(a, "access");
  }

  /**
   * Makes room for {@code bytes} more bytes after what {@code builder} holds (growing it first if
   * needed) and returns the index, in {@link #memory}, of the first of them; -1 when {@code
   * builder} is not a pooled builder of the core (write through {@link BufferMut#append} then).
   * Nothing counts as appended until {@link #commit}.
   */
  public static int reserve(BufferMut builder, int bytes) {
    Access a = access;
    return a == null ? -1 : a.reserve(builder, bytes);
  }

  /**
   * The memory of a builder {@link #reserve} answered for: valid until the next call on the
   * builder; absolute indexes only (see the class comment).
   */
  public static ByteBuffer memory(BufferMut builder) {
    return access.memory(builder);
  }

  /**
   * Appends the first {@code bytes} bytes written after the last {@link #reserve} of {@code
   * builder}.
   *
   * @throws IndexOutOfBoundsException if fewer than {@code bytes} bytes are writable
   */
  public static void commit(BufferMut builder, int bytes) {
    access.commit(builder, bytes);
  }

  /**
   * Copies every byte of {@code src} into {@code dst} from the absolute {@code index} without a
   * buffer object when {@code src} is a view of the core (one bulk copy); false, with nothing
   * copied, for any other buffer (read its pieces then).
   *
   * @throws IndexOutOfBoundsException if {@code dst} has not room for {@code src} at {@code index}
   */
  public static boolean copy(ZeroCopyBuffer src, ByteBuffer dst, int index) {
    Access a = access;
    return a != null && a.copy(src, dst, index);
  }
}
