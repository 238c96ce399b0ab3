package io.axon.buffer.netty;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SegmentedBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Bytes across the border between axon-buffer and Netty, each way without a copy where the memory
 * allows it.
 *
 * <h2>Out: a view as a {@link ByteBuf}, no copy</h2>
 *
 * {@link #toByteBuf(ZeroCopyBuffer)} hands a view to Netty as a read-only {@code ByteBuf} that owns
 * one reference of the view. Netty's reference counting applies unchanged: {@code retain()} and
 * {@code release()} count as on any {@code ByteBuf}, derived buffers ({@code slice()}, {@code
 * duplicate()}, {@code retainedSlice()}) share the count, and the {@code release()} that brings it
 * to zero closes the view, exactly once (the view's storage then goes back to its pool when its
 * last view is closed). Writing the buffer to a channel releases it, as Netty always does.
 *
 * <ul>
 *   <li><b>Pieces.</b> {@code nioBufferCount()} is the view's number of pieces (1 for a plain view,
 *       one per part for a composite), and {@code nioBuffers()} returns read-only duplicates of
 *       them: Netty's socket transports write a composite view with one gathering write, straight
 *       from pooled memory. The buffer is direct when every piece is (the pool's default), so NIO
 *       and epoll write it without first copying it into a direct buffer.
 *   <li><b>{@code nioBuffer()} on several pieces copies.</b> It returns a read-only heap copy when
 *       the range spans pieces (as Netty's {@code CompositeByteBuf} does), and the piece itself
 *       when the range lies in one; {@code internalNioBuffer()} refuses a range across pieces.
 *       Netty's transports never call either on a buffer with {@code nioBufferCount() > 1}; code
 *       that wants the bytes without a copy calls {@code nioBuffers()}.
 *   <li><b>Read-only.</b> Every write throws {@link java.nio.ReadOnlyBufferException}; {@code
 *       hasArray()} and {@code hasMemoryAddress()} are false (the memory is reached through NIO
 *       buffers only).
 *   <li><b>After the last release</b> the buffer throws Netty's {@code
 *       IllegalReferenceCountException}, as any released {@code ByteBuf}; NIO buffers taken from it
 *       before must not be used after it (the memory may belong to another tenant by then), the
 *       same rule as for a pooled {@code ByteBuf}'s.
 *   <li><b>Leaks.</b> Each buffer is tracked by Netty's {@link io.netty.util.ResourceLeakDetector}
 *       (sampled as Netty's own buffers are; every one at {@code paranoid}): a buffer collected
 *       without its last release is logged as a Netty {@code LEAK:}, and its view is then found by
 *       the pool's own leak net.
 * </ul>
 *
 * <p>No {@code FileRegion} path: a {@code FileRegion} is for bytes that live in a file (Netty hands
 * them to {@code sendfile}); a view's bytes live in memory, which the gathering write above sends
 * without a copy already. A view over a mapped file ({@code MappedFiles}) is memory too, and goes
 * the same way.
 *
 * <h2>In: a {@code ByteBuf} as a view</h2>
 *
 * {@link #adopt} takes a buffer's readable bytes as a view without a copy: the view reads Netty's
 * memory, and the last close of any view of it releases the buffer, exactly once; its bytes are
 * billed to the allocator's tenant as borrowed bytes for as long. {@link #copyOf} copies them once
 * into pooled memory billed to the tenant instead: for bytes that must outlive Netty's buffer
 * (adopting a slice of a large buffer keeps all of it), or be billed as pooled memory.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ByteBufViews {

  private ByteBufViews() {}

  /**
   * {@code view} as a read-only {@link ByteBuf} with reference count 1 that owns the caller's
   * reference of {@code view}: do not close the view yourself, release the buffer. See the class
   * comment for what the buffer guarantees. Costs the buffer object and one read-only {@link
   * ByteBuffer} per piece; no byte is copied.
   *
   * @param view the view to hand over (its reference now belongs to the buffer, even if this method
   *     throws)
   * @return a read-only buffer over the view's bytes, reader index 0, writer index {@code
   *     view.length()}, allocating copies (if any are asked for) from {@link
   *     ByteBufAllocator#DEFAULT}
   * @throws io.axon.buffer.ClosedBufferException if {@code view} is closed
   */
  public static ByteBuf toByteBuf(ZeroCopyBuffer view) {
    return toByteBuf(view, ByteBufAllocator.DEFAULT);
  }

  /**
   * As {@link #toByteBuf(ZeroCopyBuffer)}, with {@code alloc} as the buffer's {@link
   * ByteBuf#alloc()} (where {@code copy()} takes its memory); pass the channel's allocator.
   *
   * @param view the view to hand over (its reference now belongs to the buffer, even if this method
   *     throws)
   * @param alloc the allocator the buffer reports
   * @return a read-only buffer over the view's bytes
   * @throws io.axon.buffer.ClosedBufferException if {@code view} is closed
   */
  public static ByteBuf toByteBuf(ZeroCopyBuffer view, ByteBufAllocator alloc) {
    Objects.requireNonNull(view, "view");
    try {
      return new ViewByteBuf(view, Objects.requireNonNull(alloc, "alloc"));
    } catch (RuntimeException | Error e) {
      view.close();
      throw e;
    }
  }

  /**
   * {@code buf}'s readable bytes as a view, without a copy: the view's pieces are {@code buf}'s NIO
   * buffers ({@code nioBuffers()}: one piece per component of a composite), and the caller's
   * reference of {@code buf} now belongs to the view's storage: the last close of the returned view
   * and of every view derived from it releases {@code buf} once (on the thread that closes it). The
   * bytes are billed to {@code allocator}'s tenant as borrowed bytes ({@link
   * io.axon.buffer.PoolSnapshot#borrowedBytes()}) until then. {@code buf}'s indexes are not moved,
   * and its bytes must not change while a view shows them (Netty's decoders hand out buffers that
   * nobody writes again: a frame's or a content's).
   *
   * <p>A view that becomes unreachable without {@code close()} is caught by the pool's leak net,
   * which releases {@code buf}; Netty's leak detector sees nothing wrong meanwhile.
   *
   * @param buf the buffer whose reference is handed over (retain it first to keep one)
   * @param allocator whose tenant is billed
   * @param kind the view's kind
   * @return a view of the readable bytes; a composite view when {@code buf} has several pieces
   * @throws io.axon.buffer.TenantLimitExceededException if the tenant's hard limit refuses the
   *     bytes ({@code buf} is not released: the caller still owns its reference)
   * @throws io.axon.buffer.TooManyTenantsException if the pool admits no new tenant (likewise)
   * @throws IllegalArgumentException if {@code buf} exposes no NIO buffers ({@code nioBufferCount()
   *     < 0}: use {@link #copyOf}) or has no reference left
   */
  public static ZeroCopyBuffer adopt(ByteBuf buf, BufferAllocator allocator, BufferKind kind) {
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(kind, "kind");
    if (buf.refCnt() <= 0) {
      throw new IllegalArgumentException("the buffer was released: " + buf);
    }
    int count = buf.nioBufferCount();
    if (count < 0) {
      throw new IllegalArgumentException(
          "the buffer exposes no NIO buffers, so it cannot be adopted without a copy (use copyOf): "
              + buf);
    }
    List<ByteBuffer> pieces =
        count == 1
            ? List.of(buf.nioBuffer())
            : Arrays.asList(buf.nioBuffers(buf.readerIndex(), buf.readableBytes()));
    return allocator.adopt(kind, pieces, buf::release);
  }

  /**
   * A view holding a copy of {@code buf}'s readable bytes in pooled memory from {@code allocator}
   * (whose tenant pays): one copy, in pieces sized by the pool's classes (a composite view above
   * one piece; see {@link SegmentedBuilder}). {@code buf} is neither released nor moved: its reader
   * index stays where it was.
   *
   * @param buf the buffer to copy
   * @param allocator where the copy's memory comes from
   * @param kind the view's kind
   * @return a new view the caller closes
   * @throws io.axon.buffer.TenantLimitExceededException if the tenant's hard limit refuses the
   *     memory (nothing stays allocated)
   * @throws io.axon.buffer.TooManyTenantsException if the pool admits no new tenant
   * @throws io.axon.buffer.BufferAllocationException if the system has no memory for it
   */
  public static ZeroCopyBuffer copyOf(ByteBuf buf, BufferAllocator allocator, BufferKind kind) {
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(kind, "kind");
    int length = buf.readableBytes();
    try (SegmentedBuilder copy = new SegmentedBuilder(allocator, length)) {
      if (buf.nioBufferCount() > 0) {
        for (ByteBuffer b : buf.nioBuffers(buf.readerIndex(), length)) {
          copy.append(b);
        }
      } else {
        byte[] chunk = new byte[Math.min(length, 8192)];
        for (int done = 0; done < length; ) {
          int n = Math.min(chunk.length, length - done);
          buf.getBytes(buf.readerIndex() + done, chunk, 0, n);
          copy.append(chunk, 0, n);
          done += n;
        }
      }
      return copy.freeze(kind);
    }
  }
}
