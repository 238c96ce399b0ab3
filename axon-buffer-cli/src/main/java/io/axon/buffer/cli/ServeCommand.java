package io.axon.buffer.cli;

import io.axon.buffer.cli.stream.StreamOptions;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code axon-buffer serve}: the ingest endpoint ({@link IngestServer}) on 127.0.0.1 until
 * interrupted. Ctrl-C (SIGINT) or SIGTERM stops it cleanly: no new connections, running uploads get
 * a second to finish, the pool is closed and reports any buffer still alive.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve an ingest endpoint on 127.0.0.1 (HTTP/1.1 and cleartext HTTP/2): POST /upload"
            + " (multipart/form-data, billed to the X-Tenant header's tenant), GET /stream"
            + " (WebSocket audio calls: binary messages or Twilio-style JSON media events,"
            + " converted as they arrive per ?kind=&rate=&channels=&to=&toRate=&echo= and echoed"
            + " back as binary messages; tenant from X-Tenant or ?tenant=), GET /metrics"
            + " (Micrometer's Prometheus registry: the pool per class and per tenant, the calls,"
            + " the JVM's memory, buffer pools, GC and threads; OpenMetrics when the Accept header"
            + " asks for it), GET /kinds. Sizes take k, m, g suffixes (KiB, MiB, GiB); times ms,"
            + " s, m, h.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  axon-buffer serve --port 8080 --max-part 64m --tenant-hard-limit 512m",
      "  curl -H 'X-Tenant: acme' -F photo=@samples/photo.jpg http://127.0.0.1:8080/upload",
      "  curl http://127.0.0.1:8080/metrics",
      "  websocat -b 'ws://127.0.0.1:8080/stream?kind=mulaw8&rate=8000&to=pcm16&toRate=16000'"
    })
final class ServeCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Mixin ParserOptions parser;
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "8080",
      description =
          "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one, printed at start).")
  int port;

  @Option(
      names = "--tenant-soft-limit",
      paramLabel = "BYTES",
      defaultValue = "256m",
      converter = ByteSizeConverter.class,
      description =
          "Live bytes per tenant above which acquisitions are counted in /metrics (default ${DEFAULT-VALUE}).")
  long softLimit;

  @Option(
      names = "--tenant-hard-limit",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description =
          "Live bytes per tenant that an upload may not pass, else 429 (default: none). Also the"
              + " largest part when smaller than --max-part.")
  Long hardLimit;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description =
          "Also write each uploaded file to DIR/<tenant>/<n>-<safe file name>, and each /stream"
              + " call's converted audio to DIR/stream/<call id>.wav (the id is the server's;"
              + " default: none).")
  Path store;

  @Option(
      names = "--max-tenants",
      paramLabel = "N",
      defaultValue = "" + ServeLimits.DEFAULT_MAX_TENANTS,
      description =
          "Tenants holding a slot in the pool at once; an upload of one more gets 429 (default"
              + " ${DEFAULT-VALUE}). A tenant takes a slot when memory is first billed to it (its"
              + " first body byte stored; a refused or body-less request takes none) and gives it"
              + " back, with its series in /metrics, once it has held and billed nothing for"
              + " --tenant-idle-timeout.")
  int maxTenants;

  @Option(
      names = "--tenant-idle-timeout",
      paramLabel = "TIME",
      defaultValue = ServeLimits.DEFAULT_TENANT_IDLE_TIMEOUT,
      converter = DurationConverter.class,
      description =
          "How long a tenant that holds and bills nothing keeps its slot (default"
              + " ${DEFAULT-VALUE}).")
  Duration tenantIdleTimeout;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "" + ServeLimits.DEFAULT_THREADS,
      description =
          "Worker threads that parse upload bodies (default ${DEFAULT-VALUE}); Jetty's I/O"
              + " threads, which also answer /metrics and /kinds, come on top.")
  int threads;

  @Option(
      names = "--idle-timeout",
      paramLabel = "TIME",
      defaultValue = ServeLimits.DEFAULT_IDLE_TIMEOUT,
      converter = DurationConverter.class,
      description =
          "A connection that sends and reads nothing for this long is closed (default"
              + " ${DEFAULT-VALUE}). Times take ms, s, m, h suffixes.")
  Duration idleTimeout;

  @Option(
      names = "--header-timeout",
      paramLabel = "TIME",
      defaultValue = ServeLimits.DEFAULT_HEADER_TIMEOUT,
      converter = DurationConverter.class,
      description =
          "A request head must be complete this long after it began, else the connection is"
              + " closed (default ${DEFAULT-VALUE}).")
  Duration headerTimeout;

  @Option(
      names = "--min-request-rate",
      paramLabel = "BYTES",
      defaultValue = ServeLimits.DEFAULT_MIN_REQUEST_RATE,
      converter = ByteSizeConverter.class,
      description =
          "Bytes per second an upload body must average (over the time the server waits for"
              + " it), else 408 and the connection closed; 0 for no minimum (default"
              + " ${DEFAULT-VALUE}).")
  long minRequestRate;

  @Option(
      names = "--min-rate-grace",
      paramLabel = "TIME",
      defaultValue = ServeLimits.DEFAULT_RATE_GRACE,
      converter = DurationConverter.class,
      description = "How far a body may lag behind --min-request-rate (default ${DEFAULT-VALUE}).")
  Duration rateGrace;

  @Option(
      names = "--write-timeout",
      paramLabel = "TIME",
      defaultValue = ServeLimits.DEFAULT_WRITE_TIMEOUT,
      converter = DurationConverter.class,
      description =
          "The longest an answer may take to be read by the client, else the connection is"
              + " closed (default ${DEFAULT-VALUE}).")
  Duration writeTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + ServeLimits.DEFAULT_MAX_CONNECTIONS,
      description =
          "Connections open at once; past it new ones wait until one closes (default"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-request-header",
      paramLabel = "BYTES",
      defaultValue = ServeLimits.DEFAULT_MAX_REQUEST_HEADER,
      converter = ByteSizeConverter.class,
      description =
          "Largest request head (request line and headers), else 431 (default ${DEFAULT-VALUE}).")
  long maxRequestHeader;

  @Option(
      names = "--drain-limit",
      paramLabel = "BYTES",
      defaultValue = ServeLimits.DEFAULT_DRAIN_LIMIT,
      converter = ByteSizeConverter.class,
      description =
          "Bytes of a refused body read before the answer and the connection's close; a client"
              + " that sends Expect: 100-continue is refused before it sends any (default"
              + " ${DEFAULT-VALUE}).")
  long drainLimit;

  @Option(
      names = "--digest",
      paramLabel = "sha256|none",
      defaultValue = "sha256",
      converter = DigestConverter.class,
      description =
          "Whether each part's answer carries its sha256 (default ${DEFAULT-VALUE}); none skips"
              + " reading every part's bytes a second time, for uploads whose client checks"
              + " nothing.")
  PartLine.Digest digest;

  @Option(
      names = "--stream-max-message",
      paramLabel = "BYTES",
      defaultValue = StreamOptions.DEFAULT_MAX_MESSAGE,
      converter = ByteSizeConverter.class,
      description =
          "/stream: the largest WebSocket message (binary audio, or one JSON event), else the"
              + " call is closed with 1009 (default ${DEFAULT-VALUE}).")
  long streamMaxMessage;

  @Option(
      names = "--stream-max-calls",
      paramLabel = "N",
      defaultValue = "" + StreamOptions.DEFAULT_MAX_CALLS_PER_TENANT,
      description =
          "/stream: calls one tenant may have open at once; one more is closed with 1008"
              + " TOO_MANY_CALLS (default ${DEFAULT-VALUE}).")
  int streamMaxCalls;

  @Option(
      names = "--stream-speed",
      paramLabel = "FACTOR",
      defaultValue = StreamOptions.DEFAULT_SPEED_FACTOR,
      description =
          "/stream: how many times faster than real time a call's audio may arrive (plus"
              + " --stream-burst); a faster sender is refused, closed with 1008 TOO_FAST, not"
              + " throttled (default ${DEFAULT-VALUE}).")
  double streamSpeed;

  @Option(
      names = "--stream-burst",
      paramLabel = "TIME",
      defaultValue = StreamOptions.DEFAULT_BURST,
      converter = DurationConverter.class,
      description =
          "/stream: audio a call may send ahead of --stream-speed's pace (default"
              + " ${DEFAULT-VALUE}).")
  Duration streamBurst;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new UsageError("--port must be 0..65535, was " + port);
    }
    ServeLimits limits;
    try {
      limits =
          new ServeLimits(
              threads,
              idleTimeout,
              headerTimeout,
              minRequestRate,
              rateGrace,
              writeTimeout,
              maxConnections,
              (int) Math.min(Integer.MAX_VALUE, maxRequestHeader),
              drainLimit,
              maxTenants,
              tenantIdleTimeout,
              hardLimit == null ? 0 : hardLimit);
    } catch (IllegalArgumentException e) {
      throw new UsageError(optionNamed(e.getMessage()));
    }
    if (store != null) {
      Files.createDirectories(store);
    }
    StreamOptions streams;
    try {
      streams =
          new StreamOptions(
              streamMaxMessage,
              streamMaxCalls,
              streamSpeed,
              streamBurst,
              StreamOptions.DEFAULT_MAX_PENDING_OUTPUT_BYTES,
              store == null ? null : store.toAbsolutePath());
    } catch (IllegalArgumentException e) {
      throw new UsageError(optionNamed(e.getMessage()));
    }
    Plugins.load(main.pluginDirs(plugins), err);
    SlabBufferPool pool =
        limits
            .applyTenantRules(SlabBufferPool.builder().name("serve").defaultSoftLimit(softLimit))
            .build();
    // A part can never be larger than its tenant's hard limit, so the part limit is the smaller
    // of the two: the parser then sizes a part's pieces to fit under the hard limit (a
    // 1,000,000-byte part fits 1 MiB), and a larger part is a 413 before its memory is billed.
    MultipartOptions options = parser.options();
    if (hardLimit != null && hardLimit < options.maxPartBytes()) {
      options = options.toBuilder().maxPartBytes(hardLimit).build();
    }
    IngestServer server;
    try {
      server =
          IngestServer.start(
              port,
              pool,
              options,
              store == null ? null : store.toAbsolutePath(),
              limits,
              streams,
              digest);
    } catch (BindException e) {
      pool.close();
      throw new UsageError("--port " + port + ": " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              pool.close();
              err.println(
                  "axon-buffer serve: stopped; "
                      + pool.snapshot().liveBytes()
                      + " live bytes left");
              err.flush();
              stopped.countDown();
            },
            "axon-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("axon-buffer serve: listening on http://127.0.0.1:" + server.port());
    out.flush();
    stopped.await();
    return Main.OK;
  }

  /** {@code --digest}: {@code sha256} or {@code none}, in any case. */
  static final class DigestConverter
      implements picocli.CommandLine.ITypeConverter<PartLine.Digest> {
    @Override
    public PartLine.Digest convert(String value) {
      for (PartLine.Digest d : PartLine.Digest.values()) {
        if (d.name().equalsIgnoreCase(value)) {
          return d;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "--digest must be sha256 or none, was \"" + value + "\"");
    }
  }

  /** A limit's message with its option's name: "threads must ..." -> "--threads must ...". */
  private static String optionNamed(String message) {
    String[][] names = {
      {"threads", "--threads"},
      {"idleTimeout", "--idle-timeout"},
      {"headerTimeout", "--header-timeout"},
      {"minRequestRate", "--min-request-rate"},
      {"rateGrace", "--min-rate-grace"},
      {"writeTimeout", "--write-timeout"},
      {"maxConnections", "--max-connections"},
      {"maxRequestHeaderBytes", "--max-request-header"},
      {"drainLimit", "--drain-limit"},
      {"maxTenants", "--max-tenants"},
      {"tenantIdleTimeout", "--tenant-idle-timeout"},
      {"tenantHardLimit", "--tenant-hard-limit"},
      {"maxMessageBytes", "--stream-max-message"},
      {"maxCallsPerTenant", "--stream-max-calls"},
      {"speedFactor", "--stream-speed"},
      {"burst", "--stream-burst"}
    };
    for (String[] n : names) {
      if (message.startsWith(n[0] + " ")) {
        return n[1] + message.substring(n[0].length());
      }
    }
    return message;
  }
}
