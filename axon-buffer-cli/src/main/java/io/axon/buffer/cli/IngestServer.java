package io.axon.buffer.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferPool;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindRegistration;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingest endpoint behind {@code axon-buffer serve}: the JDK's {@link HttpServer} on 127.0.0.1
 * with three routes.
 *
 * <ul>
 *   <li>{@code POST /upload}: the multipart body streams through {@link MultipartParser} into the
 *       pool, billed to the {@code X-Tenant} header's tenant ({@value #DEFAULT_TENANT} without
 *       one); the answer is JSON with each part's field, filename, contentType, kind, size and
 *       sha256. Each part's memory is released as soon as it has been digested (and stored, with a
 *       store folder), so a request holds at most one part at a time. A bad body gets the fault's
 *       4xx status ({@code 400}, {@code 413} for a limit, {@code 415} for a wrong Content-Type,
 *       {@code 429} for a tenant over its hard limit or a new tenant past the server's {@code
 *       maxTenants}) with a JSON error, after its memory went back to the pool.
 *   <li>{@code GET /metrics}: the pool snapshot in the Prometheus text format, plus the JVM's heap
 *       and direct memory in use.
 *   <li>{@code GET /kinds}: the known kinds, as JSON.
 * </ul>
 *
 * <p>With a store folder, a part that carries a file name is written to {@code
 * <store>/<tenant>/<index>-<safe base name>} with one gathering write; the client's file name never
 * reaches the file system as sent (no path traversal: only its safe base name is used, and the
 * tenant folder name is reduced to {@code [A-Za-z0-9._-]}).
 *
 * <p>Thread-safe: requests run on a fixed pool of worker threads.
 */
final class IngestServer implements AutoCloseable {

  /** The tenant billed when a request has no {@code X-Tenant} header. */
  static final String DEFAULT_TENANT = "anonymous";

  private static final int READ_CHUNK = 64 * 1024;

  /** After an error, the rest of a request body is read and dropped up to this many bytes. */
  private static final long MAX_DRAIN = 256L << 20;

  private static final System.Logger LOG = System.getLogger(IngestServer.class.getName());

  private final HttpServer server;
  private final ExecutorService workers;
  private final BufferPool pool;
  private final MultipartOptions options;
  private final Path store;
  private final AtomicInteger stored = new AtomicInteger();
  private final java.util.Set<String> tenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final int maxTenants;
  private final AtomicInteger problemsReported;

  private IngestServer(
      HttpServer server,
      ExecutorService workers,
      BufferPool pool,
      MultipartOptions options,
      Path store,
      int maxTenants) {
    this.server = server;
    this.workers = workers;
    this.pool = pool;
    this.options = options;
    this.store = store;
    this.maxTenants = maxTenants;
    this.problemsReported = new AtomicInteger(options.registry().problems().size());
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param port the port, 0 for any free one
   * @param pool the memory every upload lands in
   * @param options multipart limits (maximum part size, ...)
   * @param store where file parts are written, or null to write nothing
   * @param threads worker threads
   * @param maxTenants how many distinct tenants the server bills at most; an upload naming one more
   *     is refused (429) before anything is allocated
   */
  static IngestServer start(
      int port, BufferPool pool, MultipartOptions options, Path store, int threads, int maxTenants)
      throws IOException {
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants must be at least 1, was " + maxTenants);
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "axon-serve-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    IngestServer s = new IngestServer(server, workers, pool, options, store, maxTenants);
    server.setExecutor(workers);
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  /** The port the server listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets running exchanges finish for up to a second, stops the workers. */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException | Error e) {
        // A bug, ours or a plugin's, still gets a clear answer (the parser aborted and released
        // the request's memory before the exception reached here); the server goes on.
        LOG.log(
            System.Logger.Level.WARNING,
            exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " failed",
            e);
        if (exchange.getResponseCode() == -1) {
          exchange.getResponseHeaders().set("Connection", "close");
          respondJson(exchange, 500, error("ServerError", e.toString()));
        }
        if (e instanceof VirtualMachineError) {
          throw e;
        }
      } finally {
        reportNewRegistryProblems();
      }
    }
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

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/upload":
        if (allows(exchange, "POST")) {
          upload(exchange);
        }
        break;
      case "/metrics":
        if (allows(exchange, "GET")) {
          respond(
              exchange,
              200,
              PrometheusFormat.CONTENT_TYPE,
              PrometheusFormat.render(pool.snapshot(), tenants) + jvmMetrics());
        }
        break;
      case "/kinds":
        if (allows(exchange, "GET")) {
          respondJson(exchange, 200, kinds());
        }
        break;
      default:
        respondJson(
            exchange,
            404,
            error("NotFound", "no route " + path + " (POST /upload, GET /metrics, GET /kinds)"));
    }
  }

  // ------------------------------------------------------------------------ upload

  private void upload(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    String tenant = exchange.getRequestHeaders().getFirst("X-Tenant");
    if (tenant == null) {
      tenant = DEFAULT_TENANT;
    }
    BufferAllocator allocator;
    try {
      allocator = allocatorFor(tenant);
    } catch (IllegalArgumentException e) {
      refuse(exchange, 400, error("InvalidTenant", "X-Tenant: " + e.getMessage()));
      return;
    }
    if (allocator == null) {
      refuse(
          exchange,
          429,
          error(
              "TooManyTenants",
              "X-Tenant \""
                  + tenant
                  + "\": this server already bills "
                  + maxTenants
                  + " tenants (--max-tenants)"));
      return;
    }
    MultipartParser parser;
    Collector collector = new Collector(tenant);
    try {
      String boundary =
          MultipartParser.boundaryOf(exchange.getRequestHeaders().getFirst("Content-Type"));
      parser = new MultipartParser(boundary, allocator, options, collector);
    } catch (MultipartException e) {
      refuse(exchange, e);
      return;
    }
    byte[] buf = new byte[READ_CHUNK];
    try {
      int n;
      while (!parser.isDone() && (n = body.read(buf)) >= 0) {
        parser.feed(ByteBuffer.wrap(buf, 0, n));
      }
      if (!parser.isDone()) {
        parser.finish();
      }
    } catch (IOException e) {
      // The client went away mid-upload: end the parse so that every buffer goes back to the pool.
      parser.finish();
      throw e;
    } catch (java.io.UncheckedIOException e) {
      // Storing a part failed: the parser has released what it held.
      refuse(
          exchange, 500, error("StoreFailed", e.getMessage() + ": " + e.getCause().getMessage()));
      return;
    }
    if (collector.error != null) {
      refuse(exchange, collector.error);
      return;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("tenant", tenant);
    answer.put("parts", collector.parts);
    respondJson(exchange, 200, answer);
  }

  /**
   * The allocator of {@code tenant}, admitting it if it is new and there is room; null when it is
   * new and {@code maxTenants} are already known. Every tenant costs a record in the pool and a
   * line per metric in {@code /metrics} for the server's lifetime, so a client inventing names must
   * not grow them without bound.
   *
   * @throws IllegalArgumentException if the name is not a valid tenant name (nothing admitted)
   */
  private BufferAllocator allocatorFor(String tenant) {
    if (tenants.contains(tenant)) {
      return pool.forTenant(tenant);
    }
    SlabBufferPool.checkTenantName(tenant);
    synchronized (tenants) {
      if (!tenants.contains(tenant) && tenants.size() >= maxTenants) {
        return null;
      }
      BufferAllocator allocator = pool.forTenant(tenant);
      tenants.add(tenant);
      return allocator;
    }
  }

  /** Digests (and stores) each part as it completes, then releases it. */
  private final class Collector implements MultipartListener {
    final String tenant;
    final List<Map<String, Object>> parts = new ArrayList<>();
    AxonBufferException error;

    Collector(String tenant) {
      this.tenant = tenant;
    }

    @Override
    public void onPart(Part part) {
      try (part) {
        Map<String, Object> line = PartLine.of(part);
        if (store != null && part.info().isFile()) {
          line.put("storedAs", storeFile(tenant, part));
        }
        parts.add(line);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot store part " + part.info().index(), e);
      }
    }

    @Override
    public void onComplete(MultipartSummary summary) {}

    @Override
    public void onError(AxonBufferException e) {
      error = e;
    }
  }

  private String storeFile(String tenant, Part part) throws IOException {
    String base = part.info().safeFilename().orElse("");
    String name =
        stored.incrementAndGet() + "-" + (base.isEmpty() ? "part" + part.info().index() : base);
    Path dir = store.resolve(safeDirName(tenant));
    Files.createDirectories(dir);
    Path file;
    try {
      file = dir.resolve(name).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      // A name this file system cannot spell (e.g. non-ASCII under a C locale): a made-up one.
      file = dir.resolve(stored.incrementAndGet() + "-part" + part.info().index());
    }
    if (!file.getParent().equals(dir.normalize())) {
      throw new IOException("refusing to store outside " + dir + ": " + file);
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      part.payload().writeTo(ch);
    }
    return store.relativize(file).toString();
  }

  /** A tenant name as one folder name: {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..}. */
  static String safeDirName(String tenant) {
    StringBuilder out = new StringBuilder(tenant.length());
    for (int i = 0; i < tenant.length(); i++) {
      char c = tenant.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      out.append(ok ? c : '_');
    }
    String s = out.toString();
    return s.chars().allMatch(c -> c == '.') ? s.replace('.', '_') : s;
  }

  private static void drain(InputStream body) {
    byte[] sink = new byte[READ_CHUNK];
    long total = 0;
    try {
      int n;
      while (total < MAX_DRAIN && (n = body.read(sink)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // the client is gone; nothing to drain
    }
  }

  /** Answers a failed multipart request with the fault's status and a JSON error naming it. */
  private static void refuse(HttpExchange exchange, AxonBufferException e) throws IOException {
    MultipartError error = MultipartError.of(e);
    Map<String, Object> o = error(error.type(), error.message());
    o.putAll(error.details());
    refuse(exchange, e.httpStatus(), o);
  }

  private static Map<String, Object> error(String type, String message) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("error", type);
    o.put("message", message);
    return o;
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

  // ------------------------------------------------------------------------ responses

  /** True if the request uses method {@code allowed}; else answers 405 and returns false. */
  private static boolean allows(HttpExchange exchange, String allowed) throws IOException {
    if (exchange.getRequestMethod().equals(allowed)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    refuse(
        exchange,
        405,
        error(
            "MethodNotAllowed",
            exchange.getRequestMethod()
                + " "
                + exchange.getRequestURI().getPath()
                + ": use "
                + allowed));
    return false;
  }

  /** Drains what is left of the request body (up to {@link #MAX_DRAIN}), then answers the error. */
  private static void refuse(HttpExchange exchange, int status, Map<String, Object> error)
      throws IOException {
    drain(exchange.getRequestBody());
    respondJson(exchange, status, error);
  }

  private static void respondJson(HttpExchange exchange, int status, Object body)
      throws IOException {
    respond(exchange, status, "application/json", Json.write(body) + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public String toString() {
    return "IngestServer{127.0.0.1:"
        + port()
        + ", "
        + pool
        + "}"
        + (store == null ? "" : " storing in " + store);
  }
}
