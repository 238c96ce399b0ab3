package io.axon.buffer.ingest;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SegmentedBuilder;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * Reads a whole {@link ReadableByteChannel} or {@link InputStream} into pooled memory, up to a
 * limit.
 *
 * <h2>Cost</h2>
 *
 * Channel bytes are read straight into pooled memory ({@link SegmentedBuilder#readFrom}): one copy,
 * kernel to user. The memory is a chain of pieces of growing size classes (4 KiB first, then 64
 * KiB, then 1 MiB ones), never grown by copying and never larger than {@code maxBytes} leaves room
 * for, so it follows the bytes read; content larger than its first piece comes back as a composite
 * view. When the size is known up front (a {@link FileChannel}, or the {@code sizeHint} of a
 * Content-Length) the first piece holds it and the content lands in one piece; reaching the hinted
 * size (or the limit), the end is probed with a one-byte read, without another piece. An {@link
 * InputStream} other than a {@link FileInputStream} can only be read through a byte array, so its
 * bytes pass through the JDK's 8 KiB transfer array on their way in.
 *
 * <h2>Limit</h2>
 *
 * Content longer than {@code maxBytes} fails with {@link SizeLimitExceededException} as soon as
 * byte {@code maxBytes + 1} has been read (the rest is not read); everything acquired is released
 * first, as it is when the channel fails. The channel is never closed here.
 */
public final class PooledReader {

  private PooledReader() {}

  /** As {@link #read(ReadableByteChannel, BufferAllocator, long, long)} with no size hint. */
  public static ZeroCopyBuffer read(
      ReadableByteChannel channel, BufferAllocator allocator, long maxBytes) throws IOException {
    return read(channel, allocator, maxBytes, -1);
  }

  /**
   * Reads {@code channel} to its end into memory from {@code allocator} (its tenant pays), as a
   * {@code raw} view.
   *
   * @param maxBytes the most bytes accepted, 0 to {@link Integer#MAX_VALUE} - 8
   * @param sizeHint the expected size, or -1 if unknown (a FileChannel's remaining size is used
   *     when no hint is given and it has one: not a pipe's or a device's); a wrong hint costs
   *     nothing but a less tidy layout
   * @throws SizeLimitExceededException if the content is longer than {@code maxBytes}
   * @throws IOException if the channel fails
   * @throws io.axon.buffer.ResourceException if memory is refused (the tenant's hard limit, the
   *     system's memory), as the allocator threw it; everything acquired is released
   */
  public static ZeroCopyBuffer read(
      ReadableByteChannel channel, BufferAllocator allocator, long maxBytes, long sizeHint)
      throws IOException {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(allocator, "allocator");
    if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8L) {
      throw new IllegalArgumentException(
          "maxBytes must be 0.." + (Integer.MAX_VALUE - 8L) + ", was " + maxBytes);
    }
    if (sizeHint < 0 && channel instanceof FileChannel) {
      sizeHint = remaining((FileChannel) channel);
    }
    try (SegmentedBuilder out = new SegmentedBuilder(allocator, maxBytes)) {
      if (sizeHint > 0 && sizeHint <= maxBytes) {
        out.firstPieceAtLeast((int) sizeHint);
      }
      while (true) {
        long length = out.length();
        if (length > maxBytes) {
          throw new SizeLimitExceededException(describe(channel), maxBytes, length);
        }
        // At the hinted size or the limit the content should end: probe for the end without
        // taking a new piece of pooled memory for it.
        int n =
            length == sizeHint || length == maxBytes ? probe(channel, out) : out.readFrom(channel);
        if (n < 0) {
          return out.freeze(BufferKind.raw());
        }
      }
    }
  }

  /**
   * The bytes a file channel has left, or -1 if it has no size and position: the channel of a pipe
   * or a device (stdin as a {@link FileInputStream}, a named pipe) throws "Illegal seek".
   */
  private static long remaining(FileChannel file) {
    try {
      return Math.max(0, file.size() - file.position());
    } catch (IOException noPosition) {
      return -1;
    }
  }

  /** One read of at most one byte, appended; -1 at end of stream. */
  private static int probe(ReadableByteChannel channel, SegmentedBuilder out) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    int n;
    do {
      n = channel.read(one);
    } while (n == 0);
    if (n > 0) {
      out.append(one.flip());
    }
    return n;
  }

  /**
   * Reads {@code in} to its end (see {@link #read(ReadableByteChannel, BufferAllocator, long,
   * long)}). The stream is not closed.
   */
  public static ZeroCopyBuffer read(InputStream in, BufferAllocator allocator, long maxBytes)
      throws IOException {
    Objects.requireNonNull(in, "in");
    if (in instanceof FileInputStream) {
      return read(((FileInputStream) in).getChannel(), allocator, maxBytes, -1);
    }
    return read(Channels.newChannel(in), allocator, maxBytes, -1);
  }

  private static String describe(ReadableByteChannel channel) {
    return channel instanceof FileChannel ? "file channel" : "channel";
  }
}
