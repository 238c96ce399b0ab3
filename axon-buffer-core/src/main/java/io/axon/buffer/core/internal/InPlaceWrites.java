package io.axon.buffer.core.internal;

import io.axon.buffer.BufferMut;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writing straight into a pooled builder's memory, for axon-buffer's own converters (the G.711
 * transcoders) whose output would otherwise be produced in a scratch array and copied in.
 *
 * <p>Not public API: this package is exported only to axon-buffer's own modules. The buffer it
 * hands out aliases pooled memory; a caller that kept it past {@link #commit} could write into a
 * slab that has since been handed to another tenant. That is why the public {@link BufferMut}
 * offers no such method, and why the callers are a few audited loops that write, commit and drop
 * the buffer within one method. The pooled builder installs its {@link Access} when its class is
 * initialised (the JDK's "shared secrets" pattern), so a builder that exists has installed it.
 */
public final class InPlaceWrites {

  /** What the pooled builder implements for this class. */
  public interface Access {
    /** See {@link InPlaceWrites#tail}. */
    ByteBuffer tail(BufferMut builder, int bytes);

    /** See {@link InPlaceWrites#commit}. */
    void commit(BufferMut builder, int bytes);
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
   * The next {@code bytes} bytes of {@code builder}'s memory, after what was appended, as a {@link
   * ByteBuffer} whose index 0 is the first byte to write and whose limit is {@code bytes} (byte
   * order big-endian: set your own); the builder grows first if needed. Null when {@code builder}
   * is not a pooled builder of the core (write through {@link BufferMut#append} then). Nothing
   * counts as appended until {@link #commit}; the buffer is valid only until the next call on the
   * builder.
   */
  public static ByteBuffer tail(BufferMut builder, int bytes) {
    Access a = access;
    return a == null ? null : a.tail(builder, bytes);
  }

  /**
   * Appends the first {@code bytes} bytes written through the last {@link #tail} of {@code
   * builder}.
   *
   * @throws IndexOutOfBoundsException if fewer than {@code bytes} bytes are writable
   */
  public static void commit(BufferMut builder, int bytes) {
    access.commit(builder, bytes);
  }
}
