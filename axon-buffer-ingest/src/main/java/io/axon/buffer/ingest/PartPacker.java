package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.BuilderRanges;
import java.nio.ByteBuffer;

/**
 * Small parts' bytes packed back to back into shared {@link PoolClass#SMALL} slabs, each part its
 * own view ({@link BuilderRanges}), for one {@link MultipartParser}. Internal.
 *
 * <p>Why: a slab per part would make a body of many tiny fields hold (and bill) 4 KiB of pooled
 * memory per field whose bytes number a few dozen, 80 times what the sender sent. Packed, parts of
 * at most {@link #MAX_PART} bytes (half a slab) fill each slab to more than half before the next is
 * taken, so the slabs they hold are at most twice their bytes, plus the one being filled. A slab
 * returns to the pool when the packer has moved on from it (or {@link #close}d) and its last part
 * is closed: a part kept long keeps its whole slab (copy it with {@code compact()} to keep less).
 *
 * <p>Cost per part: one append and one view (one atomic increment), instead of a slab acquired and
 * frozen; one slab acquisition per slab. Not thread-safe (the parser's thread); the views it hands
 * out may be closed on any thread.
 */
final class PartPacker {

  /** The largest part packed: half a slab, so that a slab is more than half full when left. */
  static final int MAX_PART = PoolClass.SMALL.slabBytes() / 2;

  private final BufferAllocator allocator;

  /** The slab being filled, or null. */
  private BufferMut slab;

  /** False once the allocator's builders turned out not to be the core's (they cannot share). */
  private boolean sharing = true;

  PartPacker(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * A view of kind {@code kind} of a copy of {@code bytes}' remaining bytes, packed after the
   * previous parts; consumes them. Null, with {@code bytes} untouched, when there are none or more
   * than {@link #MAX_PART}, or when the allocator's builders cannot share ranges (not the core's
   * pool: from then on, this packer answers null at once): the caller copies into a buffer of the
   * part's own.
   *
   * @throws io.axon.buffer.ResourceException if a new slab is refused (a tenant over its hard
   *     limit), as the allocator throws it
   */
  ZeroCopyBuffer pack(ByteBuffer bytes, BufferKind kind) {
    int n = bytes.remaining();
    if (!sharing || n == 0 || n > MAX_PART) {
      return null;
    }
    if (slab == null || slab.capacity() - slab.length() < n) {
      close();
      BufferMut next = allocator.acquire(PoolClass.SMALL.slabBytes());
      if (!BuilderRanges.canShare(next)) {
        sharing = false;
        next.close();
        return null;
      }
      slab = next;
    }
    int from = slab.length();
    slab.append(bytes);
    return BuilderRanges.share(slab, from, from + n, kind);
  }

  /** Leaves the slab being filled (its parts keep it until they are closed). Idempotent. */
  void close() {
    BufferMut s = slab;
    if (s != null) {
      slab = null;
      s.close();
    }
  }
}
