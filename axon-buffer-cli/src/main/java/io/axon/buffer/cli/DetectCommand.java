package io.axon.buffer.cli;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.RegistryProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code axon-buffer detect}: kind, score, size, sha256 and the inspector's facts of each file.
 * Files are mapped read-only (no copy); folders are walked in name order. A file that cannot be
 * read or whose content is malformed is reported on its own and the others are still printed; the
 * exit code is then 1.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Detect the kind of each FILE (folders are walked) and print kind, score, size,"
            + " sha256 and what the kind's inspector reads (JPEG size, WAV format, ...).",
    footerHeading = "%nExamples:%n",
    footer = {"  axon-buffer detect samples/", "  axon-buffer detect --json photo.jpg call.wav"})
final class DetectCommand implements Callable<Integer>, Main.JsonOutput {

  /** Largest single mapping; larger files are hashed in segments and not inspected. */
  private static final long MAX_MAPPING = Integer.MAX_VALUE;

  @ParentCommand Main main;
  @Mixin Main.PluginOption plugins;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per file.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files or folders.")
  List<Path> files;

  @Override
  public boolean json() {
    return json;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Plugins.load(main.pluginDirs(plugins), err);
    BufferKindRegistry registry = BufferKindRegistry.global();
    int problemsBefore = registry.problems().size();
    int failures = 0;
    for (Path file : expand(files)) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("file", file.toString());
      try {
        describe(registry, file, o);
      } catch (IOException e) {
        failures++;
        report(out, err, o, e.getClass().getSimpleName(), "cannot read " + file + ": " + reason(e));
        continue;
      }
      if (o.containsKey("error")) {
        failures++;
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) o.get("error");
        err.println(
            "axon-buffer detect: " + file + ": " + error.get("type") + ": " + error.get("message"));
      }
      if (json) {
        out.println(Json.write(o));
      } else if (!o.containsKey("error")) {
        out.println(text(o));
      }
    }
    // A plugin whose sniffer or inspector failed on these files is named (its answer counted as
    // "not this kind"; the other kinds still decided).
    List<RegistryProblem> problems = registry.problems();
    for (RegistryProblem p :
        problems.subList(Math.min(problemsBefore, problems.size()), problems.size())) {
      err.println("axon-buffer: plugin problem: " + p);
    }
    return failures == 0 ? Main.OK : Main.BAD_INPUT;
  }

  /** Files in argument order, folders expanded in name order. */
  private static List<Path> expand(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        try (Stream<Path> walk = Files.walk(arg)) {
          out.addAll(walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList()));
        }
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  private void report(
      PrintWriter out, PrintWriter err, Map<String, Object> o, String type, String message) {
    err.println("axon-buffer detect: " + type + ": " + message);
    if (json) {
      o.put("error", error(type, message));
      out.println(Json.write(o));
    }
  }

  /** The {@code error} member of a file's JSON object. */
  private static Map<String, Object> error(String type, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("message", message);
    return error;
  }

  private static String reason(IOException e) {
    return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
  }

  /** Fills {@code o} with kind, score, basis, size, sha256 and facts (or an error). */
  static void describe(BufferKindRegistry registry, Path file, Map<String, Object> o)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head =
          size == 0
              ? ByteBuffer.allocate(0)
              : ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, MAX_MAPPING));
      Detection d = registry.detect(head, file.getFileName().toString());
      o.put("kind", d.kind().slug());
      o.put("score", d.score());
      o.put("basis", d.basis().name().toLowerCase(Locale.ROOT));
      o.put("size", size);
      o.put("sha256", sha256(ch, head, size));
      if (size > MAX_MAPPING) {
        o.put("facts", Map.of("skipped", "larger than 2 GiB"));
        return;
      }
      try {
        registry.inspect(d.kind(), head).ifPresent(facts -> o.put("facts", facts));
      } catch (MalformedContentException e) {
        Map<String, Object> error = error(e.getClass().getSimpleName(), e.getMessage());
        if (e.offset() >= 0) {
          error.put("offset", e.offset());
        }
        o.put("error", error);
      }
    }
  }

  private static String sha256(FileChannel ch, ByteBuffer first, long size) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    digest.update(first.duplicate());
    for (long at = first.capacity(); at < size; at += MAX_MAPPING) {
      MappedByteBuffer segment =
          ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(MAX_MAPPING, size - at));
      digest.update(segment);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * {@code file kind score size bytes sha256:… key=value …}; "(by name)" for a name-only answer.
   */
  private static String text(Map<String, Object> o) {
    StringBuilder line = new StringBuilder();
    line.append(o.get("file"))
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
        line.append("  ").append(e.getKey()).append('=').append(e.getValue());
      }
    }
    return line.toString();
  }
}
