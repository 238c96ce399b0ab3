package io.axon.buffer.ingest;

import io.axon.buffer.BufferKind;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Maps a file read-only into a {@link ZeroCopyBuffer}: no copy, no pooled memory, pages read on
 * demand by the operating system.
 *
 * <h2>Lifetime and cost</h2>
 *
 * The view is not billed to any tenant (the memory is the page cache's, not the pool's). Closing it
 * releases the view, but the JDK unmaps a mapping only when the garbage collector reclaims it (Java
 * 17 has no supported explicit unmap): the file may stay mapped (and, on Windows, locked) for a
 * while. A file changed by another process while mapped shows the change, and a file truncated
 * while mapped makes reads fail with an {@link InternalError} from the JVM: map files that do not
 * change, or read them with {@link PooledReader} instead. Files up to 2 GiB - 9 bytes (the largest
 * view).
 */
public final class MappedFiles {

  /** The largest file {@link #map} accepts. */
  public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8L;

  private MappedFiles() {}

  /** Maps {@code file} as a {@code raw} view. */
  public static ZeroCopyBuffer map(Path file) throws IOException {
    return map(file, BufferKind.raw());
  }

  /**
   * Maps {@code file} read-only as a view tagged {@code kind}.
   *
   * @throws SizeLimitExceededException if the file is larger than {@link #MAX_FILE_BYTES}
   * @throws IOException if the file cannot be opened or mapped
   */
  public static ZeroCopyBuffer map(Path file, BufferKind kind) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > MAX_FILE_BYTES) {
        throw new SizeLimitExceededException(file.toString(), MAX_FILE_BYTES, size);
      }
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return Buffers.wrap(kind, mapped);
    }
  }
}
