package io.axon.buffer.spring;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.ingest.PartInfo;
import java.nio.ByteBuffer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.scheduler.Scheduler;

/**
 * One request body going through a {@link MultipartParser}: each {@link DataBuffer} of the body is
 * fed and released at once (the parser copies its bytes into the tenant's pooled memory), and the
 * parts it completes come out as {@link PooledPart}s, in a {@link PartBatch} per body buffer.
 * Internal to {@link PooledMultipartReader}.
 *
 * <h2>Limits per part type</h2>
 *
 * The parser enforces one payload limit for every part: the larger of the file-part and the
 * non-file-part limits. The smaller one is enforced here: exactly when the part ends, and while it
 * streams as soon as the bytes fed since the part began (less a delimiter's length, which the
 * parser may hold back) prove it over the limit, so that an over-limit part holds at most its limit
 * plus one chunk of pooled memory before it fails.
 *
 * <h2>Release</h2>
 *
 * Every body buffer is released by {@link #feed} whatever happens. A fault (the parser's, a limit,
 * memory refused) closes the parts completed but not yet handed out and is thrown. {@link #close()}
 * (the end of the body's subscription: completion, error or cancel) ends the parser, which releases
 * the part it was filling.
 *
 * <p>Thread-safe: the body is fed on one thread, but a cancel may close the stream from another, so
 * every method holds the stream's lock (uncontended but for that race).
 */
final class PartStream implements MultipartListener {

  private final MultipartParser parser;
  private final UploadScope scope;
  private final Scheduler blocking;
  private final long fileLimit;
  private final long fieldLimit;
  private final long parserLimit;

  /** Bytes the parser may hold back as a possible delimiter: CR LF - - boundary. */
  private final int delimiterLength;

  private PartBatch ready = new PartBatch();
  private AxonBufferException error;
  private boolean closed;
  private boolean aborting;

  /** The part being filled, once the parser said it started (null between parts). */
  private PartInfo current;

  /** {@link MultipartParser#bytesFed()} after the chunk in which {@link #current} started. */
  private long currentFrom = -1;

  PartStream(
      String boundary, BufferAllocator allocator, PooledMultipartReader reader, UploadScope scope) {
    this.scope = scope;
    this.blocking = reader.blockingScheduler();
    this.fileLimit = reader.maxFilePartBytes();
    this.fieldLimit = reader.maxFieldPartBytes();
    this.parserLimit = reader.options().maxPartBytes();
    this.delimiterLength = boundary.length() + 4;
    this.parser = new MultipartParser(boundary, allocator, reader.options(), this);
  }

  /** Feeds and releases {@code buffer}; returns the parts it completed (often none). */
  synchronized PartBatch feed(DataBuffer buffer) {
    try {
      if (closed || parser.isDone()) {
        return PartBatch.EMPTY;
      }
      try (DataBuffer.ByteBufferIterator pieces = buffer.readableByteBuffers()) {
        while (pieces.hasNext() && !parser.isDone()) {
          ByteBuffer piece = pieces.next();
          parser.feed(piece);
        }
      }
      checkStreamingLimit();
      return drain();
    } catch (RuntimeException | Error e) {
      closeReady();
      throw e;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  /** The body ended: the parser's last parts, or its fault (a truncated body, say). */
  synchronized PartBatch finish() {
    if (closed) {
      return PartBatch.EMPTY;
    }
    try {
      parser.finish();
      return drain();
    } catch (RuntimeException | Error e) {
      closeReady();
      throw e;
    }
  }

  /** Ends the parser (releasing what it holds) and the parts not handed out. Idempotent. */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    abortParser();
    closeReady();
  }

  private void abortParser() {
    if (!parser.isDone()) {
      // finish() on an unfinished body fails it as truncated, which releases the part being
      // filled; the event is ours, not a fault of the request.
      aborting = true;
      try {
        parser.finish();
      } finally {
        aborting = false;
      }
    }
  }

  private PartBatch drain() {
    if (error != null) {
      throw error;
    }
    if (ready.isEmpty()) {
      return PartBatch.EMPTY;
    }
    PartBatch out = ready;
    ready = new PartBatch();
    return out;
  }

  private void closeReady() {
    ready.release();
  }

  private long limitFor(PartInfo info) {
    return info.isFile() ? fileLimit : fieldLimit;
  }

  private void checkStreamingLimit() {
    if (current == null || limitFor(current) >= parserLimit) {
      return;
    }
    if (currentFrom < 0) {
      currentFrom = parser.bytesFed();
      return;
    }
    long atLeast = parser.bytesFed() - currentFrom - delimiterLength;
    long limit = limitFor(current);
    if (atLeast > limit) {
      PartInfo over = current;
      abortParser();
      throw overLimit(over, limit, atLeast);
    }
  }

  private static SizeLimitExceededException overLimit(PartInfo info, long limit, long actual) {
    return new SizeLimitExceededException(
        (info.isFile() ? "file part \"" : "part \"")
            + info.name()
            + "\" (the "
            + (info.isFile() ? "file" : "non-file")
            + " part limit)",
        limit,
        actual);
  }

  // ----------------------------------------------------------------- MultipartListener

  @Override
  public void onPartStart(PartInfo part) {
    current = part;
    currentFrom = -1;
  }

  @Override
  public void onPart(Part part) {
    current = null;
    PartInfo info = part.info();
    long limit = limitFor(info);
    if (part.size() > limit) {
      part.close();
      throw overLimit(info, limit, part.size());
    }
    PooledPart p;
    if (info.isFile()) {
      p = new PooledFilePart(info, part.payload(), blocking);
    } else if (PooledFormFieldPart.isFormField(info)) {
      p = new PooledFormFieldPart(info, part.payload());
    } else {
      p = new PooledPart(info, part.payload());
    }
    ready.add(p);
    if (scope != null) {
      scope.register(p);
    }
  }

  @Override
  public void onComplete(MultipartSummary summary) {}

  @Override
  public void onError(AxonBufferException e) {
    if (!aborting) {
      error = e;
    }
  }
}
