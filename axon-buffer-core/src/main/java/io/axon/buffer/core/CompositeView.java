package io.axon.buffer.core;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ZeroCopyBuffer} over several views read as one (a header and a payload): no
 * concatenation copy. Reads locate the part by binary search; {@link #writeTo} is one gathering
 * write when the channel supports it; {@link #asReadOnlyByteBuffers()} gives the pieces. Only
 * {@link #asReadOnlyByteBuffer()} of a range spanning parts copies (into one heap buffer).
 *
 * <p>The lifetime rules are those of {@link ZeroCopyBuffer}: shares, slices and retags hold their
 * own reference to the composite's parts; a slice inside one part is a plain view of that part.
 *
 * <p>Tenant: the one its parts share, none when they differ ({@link CompositeStorage}). Every view
 * derived from a composite (share, slice, retag, compact) reports the composite's tenant, whichever
 * parts it covers: a slice inside one part whose own tenant differs stays a composite view (reads
 * cost a part lookup more) rather than becoming a plain view of that part.
 */
final class CompositeView implements ZeroCopyBuffer {

  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(CompositeView.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CompositeStorage storage;
  private final int offset;
  private final int length;
  private final BufferKind kind;

  @SuppressWarnings("unused") // through CLOSED
  private volatile boolean closed;

  CompositeView(CompositeStorage storage, int offset, int length, BufferKind kind) {
    this.storage = storage;
    this.offset = offset;
    this.length = length;
    this.kind = kind;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public BufferKind kind() {
    return kind;
  }

  @Override
  public Optional<String> tenant() {
    return storage.tenant();
  }

  @Override
  public byte get(int index) {
    Objects.checkIndex(index, length);
    checkOpen();
    int pos = offset + index;
    int p = storage.partAt(pos);
    return storage.parts[p].get(pos - storage.starts[p]);
  }

  @Override
  public void getBytes(int index, byte[] dst, int dstOffset, int length) {
    Objects.checkFromIndexSize(index, length, this.length);
    Objects.checkFromIndexSize(dstOffset, length, dst.length);
    checkOpen();
    copyRange(offset + index, length, dst, dstOffset);
  }

  private void copyRange(int pos, int len, byte[] dst, int dstOffset) {
    forEachPiece(pos, len, (part, from, n, done) -> part.getBytes(from, dst, dstOffset + done, n));
  }

  /** What a walk over a range does with each piece: {@code n} bytes of a part from {@code from}. */
  private interface PieceVisitor {
    /** {@code done}: the bytes of the range visited before this piece. */
    void visit(ZeroCopyBuffer part, int from, int n, int done);
  }

  /** Visits the pieces of bytes {@code [pos, pos + len)} of the storage, in order. */
  private void forEachPiece(int pos, int len, PieceVisitor visitor) {
    int end = pos + len;
    int p = len == 0 ? 0 : storage.partAt(pos);
    for (int at = pos; at < end; p++) {
      int n = Math.min(end, storage.starts[p + 1]) - at;
      visitor.visit(storage.parts[p], at - storage.starts[p], n, at - pos);
      at += n;
    }
  }

  @Override
  public ZeroCopyBuffer share() {
    checkOpen();
    storage.retain(0, null);
    return new CompositeView(storage, offset, length, kind);
  }

  @Override
  public ZeroCopyBuffer slice(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    checkOpen();
    int start = offset + from;
    int end = offset + to;
    if (end > start) {
      int p = storage.partAt(start);
      ZeroCopyBuffer part = storage.parts[p];
      // Inside one part: a plain view of it, unless the part would report another tenant than the
      // composite (parts of different tenants): then a composite view keeps the composite's answer.
      if (end <= storage.starts[p + 1] && part.tenant().equals(storage.tenant())) {
        return slicePart(part, start - storage.starts[p], end - storage.starts[p]);
      }
    }
    storage.retain(0, null);
    return new CompositeView(storage, start, end - start, kind);
  }

  private ZeroCopyBuffer slicePart(ZeroCopyBuffer part, int from, int to) {
    if (part instanceof View) {
      return ((View) part).slice(from, to, kind);
    }
    ZeroCopyBuffer slice = part.slice(from, to);
    if (slice.kind().equals(kind)) {
      return slice;
    }
    try (slice) {
      return slice.retag(kind);
    }
  }

  @Override
  public ZeroCopyBuffer retag(BufferKind kind) {
    Objects.requireNonNull(kind, "kind");
    checkOpen();
    storage.retain(0, null);
    return new CompositeView(storage, offset, length, kind);
  }

  /** The pieces of the visible range, one read-only buffer per part it touches. */
  private List<ByteBuffer> pieces() {
    List<ByteBuffer> out = new ArrayList<>();
    forEachPiece(
        offset,
        length,
        (part, from, n, done) -> out.add(part.asReadOnlyByteBuffer().slice(from, n)));
    return out;
  }

  @Override
  public ByteBuffer asReadOnlyByteBuffer() {
    checkOpen();
    pin();
    try {
      List<ByteBuffer> pieces = pieces();
      if (pieces.size() == 1) {
        return pieces.get(0);
      }
      ByteBuffer joined = ByteBuffer.allocate(length);
      for (ByteBuffer b : pieces) {
        joined.put(b);
      }
      return joined.flip().asReadOnlyBuffer();
    } finally {
      storage.release(0);
    }
  }

  @Override
  public List<ByteBuffer> asReadOnlyByteBuffers() {
    checkOpen();
    return Collections.unmodifiableList(pieces());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return Unwrapping.unwrap(type, this, pieceCount());
  }

  @Override
  public boolean canUnwrap(Class<?> type) {
    return Unwrapping.canUnwrap(type, pieceCount());
  }

  /** The number of parts the visible range touches (0 when empty). */
  private int pieceCount() {
    return length == 0 ? 0 : storage.partAt(offset + length - 1) - storage.partAt(offset) + 1;
  }

  @Override
  public byte[] toByteArray() {
    checkOpen();
    pin();
    try {
      byte[] out = new byte[length];
      copyRange(offset, length, out, 0);
      return out;
    } finally {
      storage.release(0);
    }
  }

  @Override
  public byte[] sha256() {
    checkOpen();
    pin();
    try {
      MessageDigest md = Digests.sha256();
      forEachPiece(
          offset,
          length,
          (part, from, n, done) -> {
            if (part instanceof View) {
              ((View) part).digestInto(md, from, from + n);
            } else {
              md.update(part.asReadOnlyByteBuffer().slice(from, n));
            }
          });
      return md.digest();
    } finally {
      storage.release(0);
    }
  }

  @Override
  public long writeTo(WritableByteChannel channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    checkOpen();
    pin();
    try {
      ByteBuffer[] pieces = pieces().toArray(new ByteBuffer[0]);
      if (channel instanceof GatheringByteChannel) {
        GatheringByteChannel g = (GatheringByteChannel) channel;
        int first = 0;
        while (first < pieces.length) {
          g.write(pieces, first, pieces.length - first);
          while (first < pieces.length && !pieces[first].hasRemaining()) {
            first++;
          }
        }
      } else {
        for (ByteBuffer b : pieces) {
          while (b.hasRemaining()) {
            channel.write(b);
          }
        }
      }
      return length;
    } finally {
      storage.release(0);
    }
  }

  @Override
  public int sharers() {
    return storage.refs();
  }

  @Override
  public boolean isClosed() {
    return (boolean) CLOSED.getOpaque(this);
  }

  @Override
  public ZeroCopyBuffer compact() {
    checkOpen();
    for (ZeroCopyBuffer part : storage.parts) {
      if (part instanceof View) {
        ZeroCopyBuffer copy = ((View) part).storage.pooledCopy(this, storage.tenant().isPresent());
        if (copy != null) {
          return copy;
        }
      }
    }
    return Buffers.copyOf(kind, toByteArray());
  }

  @Override
  public void close() {
    try {
      if (CLOSED.compareAndSet(this, false, true)) {
        storage.release(0);
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private void checkOpen() {
    if ((boolean) CLOSED.getOpaque(this)) {
      throw closedException();
    }
  }

  /** A reference for the duration of a bulk read. */
  private void pin() {
    if (!storage.tryRetainForRead()) {
      throw closedException();
    }
  }

  private ClosedBufferException closedException() {
    return new ClosedBufferException(
        "composite view of " + kind + " (" + length + " bytes) is closed");
  }

  @Override
  public String toString() {
    return "ZeroCopyBuffer[kind="
        + kind
        + ", length="
        + length
        + ", parts="
        + storage.parts.length
        + storage.tenant().map(t -> ", tenant=" + t).orElse("")
        + (isClosed() ? ", closed" : "")
        + "]";
  }
}
