package io.axon.buffer.cli;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code axon-buffer multipart}: parses a raw multipart/form-data body with the streaming parser,
 * fed in chunks of {@code --chunk} bytes, and prints one line per part. Part lines are printed once
 * the whole body parsed: on an error, stdout gets nothing (or the JSON error object) and the typed
 * error's name and message go to stderr.
 */
@Command(
    name = "multipart",
    mixinStandardHelpOptions = true,
    description =
        "Parse a raw multipart/form-data body (FILE, or - for stdin), feeding it to the"
            + " streaming parser in chunks of N bytes; print one line per part: field, filename,"
            + " contentType, kind, size, sha256.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  axon-buffer multipart --content-type \"$(cat samples/upload.headers)\" samples/upload.body",
      "  axon-buffer multipart --boundary XyZ --chunk 1 --json body.bin",
      "  curl-capture | axon-buffer multipart --boundary XyZ --lenient -"
    })
final class MultipartCommand implements Callable<Integer>, Main.JsonOutput {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Mixin ParserOptions parser;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  BoundarySource boundary;

  /** Exactly one of {@code --boundary} and {@code --content-type}. */
  static final class BoundarySource {
    @Option(
        names = "--boundary",
        paramLabel = "B",
        description = "The boundary, as in the Content-Type's boundary parameter.")
    String boundary;

    @Option(
        names = "--content-type",
        paramLabel = "CT",
        description =
            "The request's Content-Type value (a leading 'Content-Type:' is accepted),"
                + " e.g. \"multipart/form-data; boundary=XyZ\".")
    String contentType;
  }

  @Option(
      names = "--chunk",
      paramLabel = "N",
      defaultValue = "8192",
      description = "Feed the parser N bytes at a time (default ${DEFAULT-VALUE}).")
  int chunk;

  @Option(names = "--json", description = "One JSON object per part.")
  boolean json;

  @Parameters(index = "0", paramLabel = "FILE", description = "The body, or - for stdin.")
  String file;

  @Override
  public boolean json() {
    return json;
  }

  @Override
  public Integer call() throws IOException {
    if (chunk < 1) {
      throw new UsageError("--chunk must be at least 1, was " + chunk);
    }
    Plugins.load(main.pluginDirs(plugins), spec.commandLine().getErr());
    MultipartOptions options = parser.options();
    String b = boundary(options);
    List<Map<String, Object>> parts = new ArrayList<>();
    AxonBufferException[] failure = new AxonBufferException[1];
    MultipartListener listener =
        new MultipartListener() {
          @Override
          public void onPart(Part part) {
            try (part) {
              parts.add(PartLine.of(part));
            }
          }

          @Override
          public void onComplete(MultipartSummary summary) {}

          @Override
          public void onError(AxonBufferException error) {
            failure[0] = error;
          }
        };
    try (SlabBufferPool pool = SlabBufferPool.builder().name("multipart").build();
        InputStream body = open()) {
      MultipartParser parser;
      try {
        parser = new MultipartParser(b, pool, options, listener);
      } catch (MultipartException e) {
        throw new UsageError("--boundary: " + e.getMessage());
      }
      byte[] buf = new byte[chunk];
      int n;
      while (!parser.isDone() && (n = body.readNBytes(buf, 0, chunk)) > 0) {
        parser.feed(ByteBuffer.wrap(buf, 0, n));
      }
      if (!parser.isDone()) {
        parser.finish();
      }
    }
    if (failure[0] != null) {
      MultipartError error = MultipartError.of(failure[0]);
      BadInput bad = new BadInput(error.type(), file + ": " + error.message(), failure[0]);
      error.details().forEach(bad::with);
      throw bad;
    }
    PrintWriter out = spec.commandLine().getOut();
    for (Map<String, Object> part : parts) {
      out.println(json ? Json.write(part) : PartLine.text(part));
    }
    return Main.OK;
  }

  private String boundary(MultipartOptions options) {
    String b = boundary.boundary;
    try {
      if (b == null) {
        String ct = boundary.contentType.trim();
        if (ct.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          ct = ct.substring("content-type:".length()).trim();
        }
        b = MultipartParser.boundaryOf(ct, options);
      }
      return b;
    } catch (MultipartException e) {
      throw new UsageError(
          (boundary.boundary == null ? "--content-type: " : "--boundary: ") + e.getMessage());
    }
  }

  private InputStream open() throws IOException {
    if (file.equals("-")) {
      return main.stdin();
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new BadInput("NoSuchFileException", "cannot read " + file + ": no such file", e);
    }
  }
}
