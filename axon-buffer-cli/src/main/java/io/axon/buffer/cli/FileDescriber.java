package io.axon.buffer.cli;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code detect} reports of one file: kind, score, basis, size, sha256 and the inspector's
 * facts (or the inspector's error).
 *
 * <p>A regular file is mapped read-only (no copy); one larger than 2 GiB is hashed in mapped
 * segments and not inspected. A file with no size to map (a device, a named pipe, a {@code /proc}
 * file: {@link SpecialFiles}) is read to its end into memory from the allocator, up to a limit.
 *
 * <p>A mapped file that another process truncates while it is read fails with {@link
 * FileChangedException} (the JVM's fault on the missing pages, or a size at the end smaller than at
 * the start), which ends that file only.
 */
final class FileDescriber {

  /** Largest single mapping; larger files are hashed in segments and not inspected. */
  private static final long MAX_MAPPING = Integer.MAX_VALUE;

  private final BufferKindRegistry registry;
  private final BufferAllocator allocator;
  private final long streamLimit;
  private final Duration pipeWait;

  FileDescriber(
      BufferKindRegistry registry, BufferAllocator allocator, long streamLimit, Duration pipeWait) {
    this.registry = registry;
    this.allocator = allocator;
    this.streamLimit = streamLimit;
    this.pipeWait = pipeWait;
  }

  /**
   * Fills {@code o} with what {@code file} is, or with an {@code error} member when its content is
   * malformed.
   *
   * @throws IOException if the file cannot be read, or changed while read
   * @throws io.axon.buffer.SizeLimitExceededException if a stream is longer than the limit
   */
  void describe(Path file, Map<String, Object> o) throws IOException {
    if (SpecialFiles.readAsStream(file)) {
      try (ZeroCopyBuffer content = SpecialFiles.read(file, allocator, streamLimit, pipeWait)) {
        ByteBuffer all = content.asReadOnlyByteBuffer();
        fill(file, all, all.remaining(), sha256(null, all, all.remaining()), o);
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head;
      try {
        head =
            size == 0
                ? ByteBuffer.allocate(0)
                : ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, MAX_MAPPING));
      } catch (IOException e) {
        if (ch.size() < size) {
          throw shrank(file, size, ch.size()); // map refuses to reach past the end
        }
        throw e;
      }
      describeMapped(file, ch, head, size, o);
    }
  }

  /**
   * Describes the first {@code size} bytes of {@code ch}, whose first ones (up to 2 GiB) are mapped
   * as {@code head}: what {@link #describe} does with a regular file once it mapped it.
   */
  void describeMapped(Path file, FileChannel ch, ByteBuffer head, long size, Map<String, Object> o)
      throws IOException {
    try {
      fill(file, head, size, sha256(ch, head, size), o);
    } catch (InternalError e) {
      if (!MappedFaults.isMappedFileFault(e)) {
        throw e;
      }
      throw shrank(file, size, ch.size());
    }
    long now = ch.size();
    if (now < size) {
      throw shrank(file, size, now);
    }
  }

  private static FileChangedException shrank(Path file, long from, long to) {
    return new FileChangedException(
        file, "it shrank while it was read, from " + from + " to " + to + " bytes");
  }

  private void fill(
      Path file, ByteBuffer content, long size, String sha256, Map<String, Object> o) {
    Path name = file.getFileName();
    Detection d = registry.detect(content, name == null ? null : PathNames.of(name));
    o.put("kind", d.kind().slug());
    o.put("score", d.score());
    o.put("basis", d.basis().name().toLowerCase(Locale.ROOT));
    o.put("size", size);
    o.put("sha256", sha256);
    if (size > MAX_MAPPING) {
      o.put("facts", Map.of("skipped", "larger than 2 GiB"));
      return;
    }
    try {
      registry.inspect(d.kind(), content).ifPresent(facts -> o.put("facts", facts));
    } catch (MalformedContentException e) {
      Map<String, Object> error = error(e.getClass().getSimpleName(), e.getMessage());
      if (e.offset() >= 0) {
        error.put("offset", e.offset());
      }
      o.put("error", error);
    }
  }

  /** The {@code error} member of a file's JSON object. */
  static Map<String, Object> error(String type, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("message", message);
    return error;
  }

  /** The digest of {@code first}, then of the rest of {@code ch} up to {@code size} in segments. */
  private static String sha256(FileChannel ch, ByteBuffer first, long size) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    digest.update(first.duplicate());
    for (long at = first.capacity(); at < size; at += MAX_MAPPING) {
      MappedByteBuffer segment =
          ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(MAX_MAPPING, size - at));
      digest.update(segment);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
