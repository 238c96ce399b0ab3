package io.axon.buffer.spring;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.ingest.PartInfo;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.springframework.http.codec.multipart.FilePart;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A part with a file name: a {@link FilePart} over pooled memory (see {@link PooledPart}).
 *
 * <p>{@link #transferTo(Path)} writes the part's memory to the file with gathering writes ({@code
 * FileChannel.write(ByteBuffer[])} over the view's pieces: one call for a part that fits, no copy
 * into an intermediate buffer), on the reader's blocking scheduler (Reactor's {@code
 * boundedElastic} by default), never on the event loop.
 */
public final class PooledFilePart extends PooledPart implements FilePart {

  private final Scheduler blocking;

  PooledFilePart(PartInfo info, ZeroCopyBuffer buffer, Scheduler blocking) {
    super(info, buffer);
    this.blocking = Objects.requireNonNull(blocking, "blocking");
  }

  /**
   * The file name as sent ({@code filename*} preferred, RFC 6266), unsanitised: use {@code
   * info().safeFilename()} before building a path from it.
   *
   * @return the file name
   */
  @Override
  public String filename() {
    return info().filename().orElse("");
  }

  /**
   * Writes the content to {@code dest} (created, or truncated if it exists) without a copy: the
   * view's pieces go to the file channel in gathering writes.
   *
   * @param dest the file to write
   * @return completes when the file is written and closed; fails with the {@link
   *     java.io.IOException} of the file system, or {@link io.axon.buffer.ClosedBufferException} if
   *     the part was released
   */
  @Override
  public Mono<Void> transferTo(Path dest) {
    Objects.requireNonNull(dest, "dest");
    return Mono.<Void>fromCallable(
            () -> {
              try (ZeroCopyBuffer view = buffer().share();
                  FileChannel out =
                      FileChannel.open(
                          dest,
                          StandardOpenOption.WRITE,
                          StandardOpenOption.CREATE,
                          StandardOpenOption.TRUNCATE_EXISTING)) {
                view.writeTo(out);
              }
              return null;
            })
        .subscribeOn(blocking);
  }
}
