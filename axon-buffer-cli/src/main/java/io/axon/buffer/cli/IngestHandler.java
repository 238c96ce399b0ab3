package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferPool;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindRegistration;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>{@code GET /metrics}: the pool in Prometheus text, the JVM's heap and direct memory.
 *   <li>{@code GET /kinds}: the known kinds, as JSON.
 * </ul>
 *
 * <p>Threading: a non-blocking handler. Jetty may call it on an I/O thread; {@code /metrics},
 * {@code /kinds} and every refusal are answered right there (a snapshot and a short text), which is
 * why they keep answering while every upload worker is busy or every upload is stalled. Body work
 * (parsing, digesting, storing) is never done here: it goes to the workers.
 */
final class IngestHandler extends Handler.Abstract.NonBlocking {

  /** The tenant billed when a request has no {@code X-Tenant} header. */
  static final String DEFAULT_TENANT = "anonymous";

  private static final System.Logger LOG = System.getLogger(IngestHandler.class.getName());

  private final BufferPool pool;
  private final MultipartOptions options;
  private final PartStore store;
  private final ServeLimits limits;
  private final TenantSlots slots;
  private final ExecutorService workers;
  private final Scheduler scheduler;
  private final Replies replies;
  private final HeadDeadline heads;
  private final AtomicInteger problemsReported;
  private final AtomicLong slowBodies = new AtomicLong();
  private final long maxBodyBytes;

  IngestHandler(
      BufferPool pool,
      MultipartOptions options,
      PartStore store,
      ServeLimits limits,
      TenantSlots slots,
      ExecutorService workers,
      Scheduler scheduler,
      HeadDeadline heads) {
    this.pool = pool;
    this.options = options;
    this.store = store;
    this.limits = limits;
    this.slots = slots;
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

  PartStore store() {
    return store;
  }

  ServeLimits limits() {
    return limits;
  }

  TenantSlots slots() {
    return slots;
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
    slowBodies.incrementAndGet();
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
          replies.send(
              request,
              response,
              callback,
              200,
              PrometheusFormat.CONTENT_TYPE,
              PrometheusFormat.render(pool.snapshot(), slots.tenants())
                  + jvmMetrics()
                  + serveMetrics(),
              false);
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
                "NotFound", "no route " + path + " (POST /upload, GET /metrics, GET /kinds)"));
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
    if (!slots.wouldAdmit(tenant)) {
      refuse(
          request,
          response,
          callback,
          429,
          Replies.error(
              "TooManyTenants",
              "X-Tenant \""
                  + tenant
                  + "\": this server already bills "
                  + slots.maxTenants()
                  + " tenants (--max-tenants)"));
      return;
    }
    long hardLimit = limits.tenantHardLimit();
    if (hardLimit > 0) {
      long live = pool.snapshot().liveBytesByTenant().getOrDefault(tenant, 0L);
      if (live >= hardLimit) {
        Map<String, Object> e =
            Replies.error(
                "TenantLimitExceeded",
                "tenant \""
                    + tenant
                    + "\" already holds "
                    + live
                    + " bytes, its hard limit is "
                    + hardLimit
                    + " (--tenant-hard-limit)");
        e.put("fault", "TENANT_LIMIT_EXCEEDED");
        refuse(request, response, callback, 429, e);
        return;
      }
    }
    String boundary;
    try {
      boundary = MultipartParser.boundaryOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
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

  /** The clients serve cut for being too slow, by what they were slow at. */
  private String serveMetrics() {
    String name = "axon_buffer_serve_slow_clients_closed_total";
    return "# HELP "
        + name
        + " Connections closed for a request head or body slower than the limits.\n"
        + "# TYPE "
        + name
        + " counter\n"
        + name
        + "{phase=\"body\"} "
        + slowBodies.get()
        + "\n"
        + name
        + "{phase=\"head\"} "
        + heads.closedConnections()
        + "\n";
  }

  /** Heap and direct memory in use, so that an operator sees both sides of the pool. */
  static String jvmMetrics() {
    StringBuilder out = new StringBuilder();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    out.append("# HELP axon_buffer_jvm_heap_used_bytes Heap memory in use.\n")
        .append("# TYPE axon_buffer_jvm_heap_used_bytes gauge\n")
        .append("axon_buffer_jvm_heap_used_bytes ")
        .append(heap)
        .append('\n');
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        out.append(
                "# HELP axon_buffer_jvm_direct_used_bytes Direct (off-heap) buffer memory in use.\n")
            .append("# TYPE axon_buffer_jvm_direct_used_bytes gauge\n")
            .append("axon_buffer_jvm_direct_used_bytes ")
            .append(b.getMemoryUsed())
            .append('\n');
      }
    }
    return out.toString();
  }
}
