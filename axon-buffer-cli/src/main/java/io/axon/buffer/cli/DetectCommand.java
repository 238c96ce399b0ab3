package io.axon.buffer.cli;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.core.SlabBufferPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code axon-buffer detect}: kind, score, size, sha256 and the inspector's facts of each file
 * ({@link FileDescriber}); folders are walked in name order ({@link FileWalk}). A file or folder
 * that cannot be read, a file that changes while read, and a file whose content is malformed are
 * each reported on their own and the others are still printed; the exit code is then 1. Names are
 * printed with their real bytes ({@link PathNames}), and text output escapes what a terminal would
 * obey ({@link TerminalText}).
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Detect the kind of each FILE (folders are walked) and print kind, score, size,"
            + " sha256 and what the kind's inspector reads (JPEG size, WAV format, ...). Devices,"
            + " named pipes and /proc files are read to their end as streams.",
    footerHeading = "%nExamples:%n",
    footer = {"  axon-buffer detect samples/", "  axon-buffer detect --json photo.jpg call.wav"})
final class DetectCommand implements Callable<Integer>, Main.JsonOutput {

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Mixin InputOptions.PipeWait pipeWait;
  @Mixin InputOptions.StreamLimit streamLimit;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per file.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders.")
  List<String> files;

  @Override
  public boolean json() {
    return json;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> paths = new ArrayList<>();
    for (String f : files) {
      paths.add(PathNames.path("FILE", f));
    }
    Plugins.load(main.pluginDirs(plugins), err);
    BufferKindRegistry registry = BufferKindRegistry.global();
    int problemsBefore = registry.problems().size();
    int failures = 0;
    try (SlabBufferPool pool = SlabBufferPool.builder().name("detect").build()) {
      FileDescriber describer =
          new FileDescriber(registry, pool, streamLimit.bytes(), pipeWait.duration());
      for (FileWalk.Entry entry : FileWalk.expand(paths)) {
        Path file = entry.path();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", PathNames.of(file));
        if (entry.failure() != null) {
          failures++;
          String what = Files.isDirectory(file) ? "cannot list folder " : "cannot read ";
          report(out, err, o, entry.failure(), what + PathNames.of(file));
          continue;
        }
        try {
          describer.describe(file, o);
        } catch (IOException | AxonBufferException e) {
          failures++;
          report(out, err, o, e, "cannot read " + PathNames.of(file));
          continue;
        }
        if (o.containsKey("error")) {
          failures++;
          @SuppressWarnings("unchecked")
          Map<String, Object> error = (Map<String, Object>) o.get("error");
          err.println(
              TerminalText.escape(
                  "axon-buffer detect: "
                      + PathNames.of(file)
                      + ": "
                      + error.get("type")
                      + ": "
                      + error.get("message")));
        }
        if (json) {
          out.println(Json.write(o));
        } else if (!o.containsKey("error")) {
          out.println(text(o));
        }
      }
    }
    // A plugin whose sniffer or inspector failed on these files is named (its answer counted as
    // "not this kind"; the other kinds still decided).
    List<RegistryProblem> problems = registry.problems();
    for (RegistryProblem p :
        problems.subList(Math.min(problemsBefore, problems.size()), problems.size())) {
      err.println(TerminalText.escape("axon-buffer: plugin problem: " + p));
    }
    return failures == 0 ? Main.OK : Main.BAD_INPUT;
  }

  /** Reports one file's failure on stderr and, with {@code --json}, as its object's error. */
  private void report(
      PrintWriter out, PrintWriter err, Map<String, Object> o, Exception e, String what) {
    String type = e.getClass().getSimpleName();
    String message =
        e instanceof IOException
            ? what + ": " + IoErrors.reason((IOException) e)
            : e instanceof SizeLimitExceededException
                ? what
                    + ": larger than the --stream-limit of "
                    + ((SizeLimitExceededException) e).limitBytes()
                    + " bytes"
                : what + ": " + e.getMessage();
    err.println(TerminalText.escape("axon-buffer detect: " + type + ": " + message));
    if (json) {
      o.put("error", FileDescriber.error(type, message));
      out.println(Json.write(o));
    }
  }

  /**
   * {@code file kind score size bytes sha256:… key=value …}; "(by name)" for a name-only answer.
   * Every value a file or a plugin chose is escaped for the terminal.
   */
  private static String text(Map<String, Object> o) {
    StringBuilder line = new StringBuilder();
    line.append(TerminalText.escape(String.valueOf(o.get("file"))))
        .append("  ")
        .append(o.get("kind"))
        .append(' ')
        .append(o.get("score"))
        .append("name".equals(o.get("basis")) ? " (by name)" : "")
        .append("  ")
        .append(o.get("size"))
        .append(" bytes  sha256:")
        .append(o.get("sha256"));
    Object facts = o.get("facts");
    if (facts instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) facts).entrySet()) {
        line.append("  ")
            .append(TerminalText.escape(String.valueOf(e.getKey())))
            .append('=')
            .append(TerminalText.escape(String.valueOf(e.getValue())));
      }
    }
    return line.toString();
  }
}
