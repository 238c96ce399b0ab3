package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferPool;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindRegistration;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.TooManyTenantsException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The routes of {@code serve}, as one Jetty core handler.
 *
 * <ul>
 *   <li>{@code POST /upload}: checks what the head says (tenant name, tenant admission, the
 *       tenant's hard limit, Content-Type, Content-Length against what the multipart limits allow)
 *       and refuses at once when it can: with {@code Expect: 100-continue} before any {@code 100
 *       Continue} is sent (Jetty sends it only at the first demand for content), so the client
 *       sends no body. Otherwise the body is parsed by an {@link Upload} on serve's workers.
 *   <li>{@code GET /metrics}: {@link ServeMetrics}, Micrometer's Prometheus registry (the pool, the
 *       JVM, slow clients), in the format the {@code Accept} header asks for.
 *   <li>{@code GET /kinds}: the known kinds, as JSON.
 * </ul>
 *
 * <p>Threading: a non-blocking handler. Jetty may call it on an I/O thread; {@code /metrics},
 * {@code /kinds} and every refusal are answered right there (a scrape and a short text), which is
 * why they keep answering while every upload worker is busy or every upload is stalled. Body work
 * (parsing, digesting, storing) is never done here: it goes to the workers.
 */
final class IngestHandler extends Handler.Abstract.NonBlocking {

  /** The tenant billed when a request has no {@code X-Tenant} header. */
  static final String DEFAULT_TENANT = "anonymous";

  /** Whether billing {@code bytes} to {@code tenant} now would be refused: the pool's answer. */
  @FunctionalInterface
  interface Admission {
    boolean wouldAdmit(String tenant, long bytes);
  }

  /** A pool that answers no such question: its refusals come at the first billing. */
  private static final Admission NO_QUERY = (tenant, bytes) -> true;

  private static final System.Logger LOG = System.getLogger(IngestHandler.class.getName());

  private final BufferPool pool;
  private final Admission admission;
  private final MultipartOptions options;
  private final PartStore store;
  private final PartLine.Digest digest;
  private final ServeLimits limits;
  private final ServeMetrics metrics;
  private final ExecutorService workers;
  private final Scheduler scheduler;
  private final Replies replies;
  private final HeadDeadline heads;
  private final AtomicInteger problemsReported;
  private final long maxBodyBytes;

  IngestHandler(
      BufferPool pool,
      MultipartOptions options,
      PartStore store,
      PartLine.Digest digest,
      ServeLimits limits,
      ServeMetrics metrics,
      ExecutorService workers,
      Scheduler scheduler,
      HeadDeadline heads) {
    this.pool = pool;
    this.admission =
        pool instanceof SlabBufferPool ? ((SlabBufferPool) pool)::wouldAdmit : NO_QUERY;
    this.options = options;
    this.store = store;
    this.digest = digest;
    this.limits = limits;
    this.metrics = metrics;
    this.workers = workers;
    this.scheduler = scheduler;
    this.heads = heads;
    this.replies = new Replies(scheduler, limits.writeTimeout());
    this.problemsReported = new AtomicInteger(options.registry().problems().size());
    this.maxBodyBytes = maxBodyBytes(options);
  }

  /**
   * The largest body the multipart limits let through: every part at its largest with its largest
   * head and delimiter, the largest preamble, and an epilogue allowance of 64 KiB. A Content-Length
   * above it is refused (413) before the body.
   */
  static long maxBodyBytes(MultipartOptions o) {
    long perPart =
        o.maxPartBytes()
            + o.maxHeaderBytesPerPart()
            + MultipartParser.MAX_BOUNDARY_LENGTH
            + MultipartParser.MAX_TRANSPORT_PADDING
            + 8;
    double total =
        (double) o.maxParts() * perPart
            + o.maxPreambleBytes()
            + MultipartParser.MAX_BOUNDARY_LENGTH
            + (64 << 10);
    return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
  }

  BufferPool pool() {
    return pool;
  }

  MultipartOptions options() {
    return options;
  }

  PartLine.Digest digest() {
    return digest;
  }

  PartStore store() {
    return store;
  }

  ServeLimits limits() {
    return limits;
  }

  ExecutorService workers() {
    return workers;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  Replies replies() {
    return replies;
  }

  void countSlowBody() {
    metrics.countSlowBody();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Connection connection = request.getConnectionMetaData().getConnection();
    heads.busy(connection);
    Request.addCompletionListener(request, x -> heads.idle(connection));
    try {
      route(request, response, callback);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, request.getMethod() + " request failed", e);
      if (!response.isCommitted()) {
        replies.json(
            request, response, callback, 500, Replies.error("ServerError", e.toString()), true);
      } else {
        callback.failed(e);
      }
      if (e instanceof VirtualMachineError) {
        throw e;
      }
    } finally {
      reportNewRegistryProblems();
    }
    return true;
  }

  private void route(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    switch (path) {
      case "/upload":
        if (allows(request, response, callback, "POST")) {
          upload(request, response, callback);
        }
        break;
      case "/metrics":
        if (allows(request, response, callback, "GET")) {
          ServeMetrics.Scrape scrape = metrics.scrape(request.getHeaders().get(HttpHeader.ACCEPT));
          replies.send(
              request, response, callback, 200, scrape.contentType(), scrape.body(), false);
        }
        break;
      case "/kinds":
        if (allows(request, response, callback, "GET")) {
          replies.json(request, response, callback, 200, kinds(), false);
        }
        break;
      default:
        refuse(
            request,
            response,
            callback,
            404,
            Replies.error(
                "NotFound",
                "no route " + path + " (POST /upload, GET /stream, GET /metrics, GET /kinds)"));
    }
  }

  // ------------------------------------------------------------------------ upload

  private void upload(Request request, Response response, Callback callback) {
    String tenant = request.getHeaders().get("X-Tenant");
    if (tenant == null) {
      tenant = DEFAULT_TENANT;
    }
    try {
      SlabBufferPool.checkTenantName(tenant);
    } catch (IllegalArgumentException e) {
      refuse(
          request,
          response,
          callback,
          400,
          Replies.error("InvalidTenant", "X-Tenant: " + e.getMessage()));
      return;
    }
    // The pool's admission and the tenant's hard limit, asked without billing: can the tenant bill
    // anything at all now? 0 bytes is refused only by admission (no slot free), 1 byte also by a
    // hard limit already reached.
    if (!admission.wouldAdmit(tenant, 0)) {
      TooManyTenantsException e = new TooManyTenantsException(tenant, limits.maxTenants());
      refuse(request, response, callback, e.httpStatus(), Upload.errorOf(e));
      return;
    }
    if (!admission.wouldAdmit(tenant, 1)) {
      Map<String, Object> e =
          Replies.error(
              "TenantLimitExceeded",
              "tenant \""
                  + tenant
                  + "\" already holds its hard limit of "
                  + limits.tenantHardLimit()
                  + " bytes (--tenant-hard-limit)");
      e.put("fault", "TENANT_LIMIT_EXCEEDED");
      refuse(request, response, callback, 429, e);
      return;
    }
    String boundary;
    try {
      boundary =
          MultipartParser.boundaryOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE), options);
    } catch (MultipartException e) {
      refuse(request, response, callback, e.httpStatus(), Upload.errorOf(e));
      return;
    }
    long length = request.getLength();
    if (length > maxBodyBytes) {
      Map<String, Object> e =
          Replies.error(
              "PayloadTooLarge",
              "Content-Length "
                  + length
                  + " is more than the multipart limits allow ("
                  + maxBodyBytes
                  + " bytes: --max-part and the parser's part count and header limits)");
      e.put("fault", "LIMIT_EXCEEDED");
      refuse(request, response, callback, 413, e);
      return;
    }
    try {
      Upload.parse(this, request, response, callback, tenant, boundary);
    } catch (MultipartException e) {
      refuse(request, response, callback, e.httpStatus(), Upload.errorOf(e));
    }
  }

  /**
   * Answers {@code status} without reading the body when the client waits for {@code 100 Continue}
   * or sent none; else after reading (and dropping) at most {@code --drain-limit} bytes of it.
   */
  private void refuse(
      Request request,
      Response response,
      Callback callback,
      int status,
      Map<String, Object> error) {
    boolean expects100 =
        request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    if (expects100 || request.getLength() == 0) {
      // Jetty closes an HTTP/1.1 connection whose announced body was not read.
      replies.json(request, response, callback, status, error, false);
    } else {
      Upload.refuse(this, request, response, callback, status, error);
    }
  }

  /** True if the request uses method {@code allowed}; else answers 405 and returns false. */
  private boolean allows(Request request, Response response, Callback callback, String allowed) {
    if (request.getMethod().equals(allowed)) {
      return true;
    }
    response.getHeaders().put(HttpHeader.ALLOW, allowed);
    refuse(
        request,
        response,
        callback,
        405,
        Replies.error(
            "MethodNotAllowed",
            request.getMethod() + " " + Request.getPathInContext(request) + ": use " + allowed));
    return false;
  }

  /**
   * Logs the registry problems (a plugin's sniffer that threw, ...) recorded since the last call.
   */
  private void reportNewRegistryProblems() {
    List<RegistryProblem> all = options.registry().problems();
    int seen = problemsReported.get();
    if (all.size() > seen && problemsReported.compareAndSet(seen, all.size())) {
      for (RegistryProblem p : all.subList(seen, all.size())) {
        LOG.log(System.Logger.Level.WARNING, "plugin problem: " + p);
      }
    }
  }

  // ------------------------------------------------------------------------ kinds, metrics

  private static List<Object> kinds() {
    List<Object> out = new ArrayList<>();
    for (KindRegistration r : BufferKindRegistry.global().registrations()) {
      KindDescriptor d = r.descriptor();
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("kind", d.slug());
      o.put("description", d.description());
      o.put("mediaTypes", d.mediaTypes());
      o.put("extensions", d.extensions());
      o.put("provider", r.provider());
      out.add(o);
    }
    return out;
  }
}
