package io.axon.buffer.cli;

import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartOptions;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "Serve an ingest endpoint on 127.0.0.1: POST /upload (multipart/form-data,"
            + " billed to the X-Tenant header's tenant), GET /metrics (the pool in Prometheus text"
            + " format), GET /kinds. Sizes take k, m, g suffixes (KiB, MiB, GiB).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  axon-buffer serve --port 8080 --max-part 64m --tenant-hard-limit 512m",
      "  curl -H 'X-Tenant: acme' -F photo=@samples/photo.jpg http://127.0.0.1:8080/upload",
      "  curl http://127.0.0.1:8080/metrics"
    })
final class ServeCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "8080",
      description =
          "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one, printed at start).")
  int port;

  @Option(
      names = "--max-part",
      paramLabel = "BYTES",
      defaultValue = "64m",
      converter = ByteSizeConverter.class,
      description = "Largest part accepted, else 413 (default ${DEFAULT-VALUE}).")
  long maxPart;

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
      description = "Live bytes per tenant that an upload may not pass, else 429 (default: none).")
  Long hardLimit;

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Also write each uploaded file to DIR/<tenant>/<n>-<safe file name>.")
  Path store;

  @Option(
      names = "--max-tenants",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Distinct X-Tenant values billed at most; an upload naming one more gets 429"
              + " (default ${DEFAULT-VALUE}). Each tenant is kept, with its line in /metrics, until the server stops.")
  int maxTenants;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "8",
      description = "Worker threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new UsageError("--port must be 0..65535, was " + port);
    }
    if (threads < 1) {
      throw new UsageError("--threads must be at least 1, was " + threads);
    }
    if (maxTenants < 1) {
      throw new UsageError("--max-tenants must be at least 1, was " + maxTenants);
    }
    if (maxPart < 1 || maxPart > MultipartOptions.MAX_PART_BYTES_CEILING) {
      throw new UsageError(
          "--max-part must be 1.."
              + MultipartOptions.MAX_PART_BYTES_CEILING
              + " bytes, was "
              + maxPart);
    }
    if (store != null) {
      Files.createDirectories(store);
    }
    Plugins.load(main.pluginDirs(plugins), err);
    SlabBufferPool.Builder builder =
        SlabBufferPool.builder().name("serve").defaultSoftLimit(softLimit);
    if (hardLimit != null) {
      builder.defaultHardLimit(hardLimit);
    }
    SlabBufferPool pool = builder.build();
    MultipartOptions options = MultipartOptions.builder().maxPartBytes(maxPart).build();
    IngestServer server;
    try {
      server =
          IngestServer.start(
              port,
              pool,
              options,
              store == null ? null : store.toAbsolutePath(),
              threads,
              maxTenants);
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
}
