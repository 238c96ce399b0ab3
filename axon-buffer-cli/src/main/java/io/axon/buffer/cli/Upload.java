package io.axon.buffer.cli;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One {@code POST /upload} exchange, from its first body byte to its answer: a read/demand loop
 * over Jetty's request content that feeds each chunk, as Jetty read it, to the multipart parser
 * (which copies it once, into the tenant's pooled memory) and releases the chunk; then the answer.
 *
 * <ul>
 *   <li>Threading: each step runs on one of serve's upload workers, never on Jetty's I/O threads;
 *       between chunks the exchange holds no thread at all (the demand callback only hands the next
 *       step to a worker). Steps never overlap: Jetty allows one demand at a time.
 *   <li>Refusal: once the answer is known before the body ends (a parse error, a limit, a refused
 *       tenant, or a body refused before its first byte), at most {@code drainLimit} more bytes are
 *       read and dropped; if the body ends within them the answer keeps the connection, else it
 *       carries {@code Connection: close} and the rest is never read.
 *   <li>Slow bodies: a check every second compares the body's pace ({@link BodyRate}) with {@code
 *       --min-request-rate}; a body behind it is failed (its memory released at once) and answered
 *       408 with {@code Connection: close}. Jetty's idle timeout ends a silent one the same way.
 *   <li>Tenant slot: the pool's; taken when the parser first bills the tenant's memory (past the
 *       pool's cap that billing fails as {@link io.axon.buffer.TooManyTenantsException}, answered
 *       429 like any parse error), given back by the pool once the tenant is idle and holds
 *       nothing.
 * </ul>
 */
final class Upload implements Runnable {

  private static final System.Logger LOG = System.getLogger(Upload.class.getName());

  private final IngestHandler host;
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String tenant;
  private MultipartParser parser;
  private final Collector collector = new Collector();
  private final BodyRate rate;
  private final Runnable onContent;

  /** Set when the answer is decided (the parse ended or the request was refused). */
  private int status;

  private Map<String, Object> answer;
  private long drained;
  private boolean ended;
  private volatile Scheduler.Task rateCheck;

  private Upload(
      IngestHandler host, Request request, Response response, Callback callback, String tenant) {
    this.host = host;
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.tenant = tenant;
    this.rate = new BodyRate(host.limits().minRequestRate(), host.limits().rateGrace().toNanos());
    this.onContent = Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::dispatch);
  }

  /**
   * Starts reading a multipart body with {@code boundary}, billed to {@code tenant}.
   *
   * @throws MultipartException if the parser refuses the boundary (nothing read yet)
   */
  static void parse(
      IngestHandler host,
      Request request,
      Response response,
      Callback callback,
      String tenant,
      String boundary)
      throws MultipartException {
    Upload upload = new Upload(host, request, response, callback, tenant);
    upload.parser =
        new MultipartParser(
            boundary, host.pool().forTenant(tenant), host.options(), upload.collector);
    upload.begin();
  }

  /**
   * Answers {@code status} with {@code error} after reading at most {@code drainLimit} bytes of the
   * body that nobody will parse.
   */
  static void refuse(
      IngestHandler host,
      Request request,
      Response response,
      Callback callback,
      int status,
      Map<String, Object> error) {
    Upload upload = new Upload(host, request, response, callback, null);
    upload.status = status;
    upload.answer = error;
    upload.begin();
  }

  private void begin() {
    scheduleRateCheck();
    dispatch();
  }

  private void scheduleRateCheck() {
    rateCheck = host.scheduler().schedule(this::checkRate, 1, TimeUnit.SECONDS);
  }

  private void checkRate() {
    synchronized (this) {
      if (ended) {
        return;
      }
    }
    if (rate.tooSlow(System.nanoTime())) {
      host.countSlowBody();
      request.fail(
          new SlowBodyException(
              "request body slower than "
                  + host.limits().minRequestRate()
                  + " bytes/s (--min-request-rate) after "
                  + host.limits().rateGrace().toSeconds()
                  + " s"));
    } else {
      scheduleRateCheck();
    }
  }

  /** Runs the next step on a worker (inline if the workers are gone: the server is stopping). */
  private void dispatch() {
    try {
      host.workers().execute(this);
    } catch (RejectedExecutionException e) {
      run();
    }
  }

  @Override
  public void run() {
    try {
      step();
    } catch (RuntimeException | Error e) {
      // A bug, ours or a plugin's (the parser released its memory before rethrowing): a clear 500,
      // the connection closed, the server goes on.
      LOG.log(System.Logger.Level.WARNING, "POST /upload failed", e);
      if (parser != null && !parser.isDone()) {
        parser.finish();
      }
      end(500, Replies.error("ServerError", e.toString()), true);
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    }
  }

  private void step() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        rate.waiting(System.nanoTime());
        request.demand(onContent);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        failed(chunk.getFailure());
        return;
      }
      boolean last = chunk.isLast();
      try {
        int n = chunk.remaining();
        rate.arrived(n, System.nanoTime());
        if (status == 0) {
          feed(chunk, n, last);
        } else {
          drained += n;
        }
      } finally {
        chunk.release();
      }
      if (last) {
        end(status, answer, false);
        return;
      }
      if (status != 0 && drained > host.limits().drainLimit()) {
        end(status, answer, true);
        return;
      }
    }
  }

  /** Feeds one chunk to the parser; decides the answer when the parse ends. */
  private void feed(Content.Chunk chunk, int n, boolean last) {
    try {
      parser.feed(chunk.getByteBuffer());
      if (!parser.isDone() && last) {
        parser.finish();
      }
    } catch (UncheckedIOException e) {
      // Storing a part failed; the parser released what it held. The reason names server paths:
      // it goes to the log, not to the client.
      LOG.log(System.Logger.Level.WARNING, "cannot store a part of tenant " + tenant, e.getCause());
      decide(500, Replies.error("StoreFailed", e.getMessage()));
      return;
    }
    if (parser.isDone()) {
      if (collector.error != null) {
        decide(collector.error.httpStatus(), errorOf(collector.error));
      } else {
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("tenant", tenant);
        ok.put("parts", collector.parts);
        decide(200, ok);
      }
    }
  }

  private void decide(int status, Map<String, Object> answer) {
    this.status = status;
    this.answer = answer;
  }

  /** The body could not be read: the client left, timed out, or was too slow. */
  private void failed(Throwable cause) {
    if (parser != null && !parser.isDone()) {
      parser.finish(); // releases every buffer of the unfinished part
    }
    if (cause instanceof SlowBodyException) {
      end(408, Replies.error("RequestTimeout", cause.getMessage()), true);
    } else if (cause instanceof TimeoutException) {
      end(
          408,
          Replies.error(
              "RequestTimeout",
              "no request bytes for "
                  + host.limits().idleTimeout().toSeconds()
                  + " s (--idle-timeout)"),
          true);
    } else {
      finish();
      callback.failed(cause);
    }
  }

  private void end(int status, Map<String, Object> answer, boolean close) {
    finish();
    if (response.isCommitted()) {
      callback.failed(new IOException("upload ended after its answer was committed"));
      return;
    }
    host.replies().json(request, response, callback, status, answer, close);
  }

  /** Stops the rate check; idempotent. */
  private void finish() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    Scheduler.Task check = rateCheck;
    if (check != null) {
      check.cancel();
    }
  }

  /** The JSON error of a failed parse: its type, message and details ({@link MultipartError}). */
  static Map<String, Object> errorOf(AxonBufferException e) {
    MultipartError error = MultipartError.of(e);
    Map<String, Object> o = Replies.error(error.type(), error.message());
    o.putAll(error.details());
    return o;
  }

  /** Digests (and stores) each part as it completes, then releases it. */
  private final class Collector implements MultipartListener {
    final List<Map<String, Object>> parts = new ArrayList<>();
    AxonBufferException error;

    @Override
    public void onPart(Part part) {
      try (part) {
        Map<String, Object> line = PartLine.of(part, host.digest());
        if (host.store() != null && part.info().isFile()) {
          line.put("storedAs", host.store().store(tenant, part));
        }
        parts.add(line);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store part " + part.info().index(), e);
      }
    }

    @Override
    public void onComplete(MultipartSummary summary) {}

    @Override
    public void onError(AxonBufferException e) {
      error = e;
    }
  }

  /** A body that fell behind {@code --min-request-rate}. */
  static final class SlowBodyException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    SlowBodyException(String message) {
      super(message);
    }
  }
}
