package io.axon.buffer.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code axon-buffer} command. Its command line is a contract that scripts are written against
 * (see DESIGN.md): subcommands {@code kinds}, {@code transcoders}, {@code detect}, {@code
 * transcode}, {@code multipart}, {@code serve}; {@code --plugins DIR} before or after the
 * subcommand's name; {@code --json} prints one object per line with camelCase keys; exit codes 0
 * success, 1 bad input, 2 usage error; on failure nothing is printed to stdout except a JSON error
 * object when {@code --json} is given.
 */
@Command(
    name = "axon-buffer",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Zero-copy multimodal byte buffers: detect kinds, transcode audio, parse multipart"
            + " bodies and serve an ingest endpoint.",
    subcommands = {
      KindsCommand.class,
      TranscodersCommand.class,
      DetectCommand.class,
      TranscodeCommand.class,
      MultipartCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  axon-buffer detect samples/",
      "  axon-buffer kinds --json",
      "  axon-buffer transcoders",
      "  axon-buffer transcode --to pcm16 samples/hello-8k.ul /tmp/hello.pcm",
      "  axon-buffer multipart --content-type \"$(cat samples/upload.headers)\" samples/upload.body",
      "  axon-buffer serve --port 8080",
      "  axon-buffer --plugins plugins/ detect scan.dcm"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:bad input (the message names the file and the fault)",
      "2:usage error"
    })
public final class Main implements Callable<Integer> {

  /** Exit code of a run that did what was asked. */
  static final int OK = 0;

  /** Exit code when an input could not be used; the message names the file and the fault. */
  static final int BAD_INPUT = 1;

  /** Exit code of a command line that cannot be run. */
  static final int USAGE = 2;

  @Mixin PluginOption plugins;

  @Spec CommandSpec spec;

  private InputStream stdin = System.in;
  private Stdout stdout = new Stdout(System.out);

  /** The process's standard input (binary). */
  InputStream stdin() {
    return stdin;
  }

  /** The process's standard output for binary results ({@code transcode ... -}). */
  Stdout stdout() {
    return stdout;
  }

  /** {@code --plugins DIR}, accepted before and after the subcommand's name. */
  static final class PluginOption {
    @Option(
        names = "--plugins",
        paramLabel = "DIR",
        description =
            "Load the kind and transcoder plugin JARs found in DIR (repeatable). A failing"
                + " plugin, or a JAR that registers nothing, is reported on stderr; the rest"
                + " still work.")
    List<Path> dirs = new ArrayList<>();
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("axon-buffer: a subcommand is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** The plugin folders given before the subcommand and after it. */
  List<Path> pluginDirs(PluginOption local) {
    List<Path> all = new ArrayList<>(plugins.dirs);
    all.addAll(local.dirs);
    return all;
  }

  /**
   * Runs the command with {@code args} and returns its exit code. A run that could not write its
   * standard output ({@code out} threw, or as a {@link PrintStream} reported an error) exits 1 with
   * a message naming it, whatever it printed.
   */
  public static int run(String[] args, InputStream in, OutputStream out, PrintStream err) {
    Stdout stdout = new Stdout(out);
    PrintWriter outWriter =
        new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter errWriter =
        new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    Main main = new Main();
    main.stdin = in;
    main.stdout = stdout;
    CommandLine cl = new CommandLine(main);
    cl.setOut(outWriter);
    cl.setErr(errWriter);
    cl.setExecutionExceptionHandler(Main::handle);
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler(
        (ex, given) -> {
          // picocli prints the message and the usage on stderr; under --json, stdout gets the same
          // one JSON error object as a UsageError raised by a command.
          int code = usage.handleParseException(ex, given);
          if (jsonRequested(ex.getCommandLine(), given)) {
            outWriter.println(Json.write(jsonError("UsageError", ex.getMessage(), Map.of())));
          }
          return code;
        });
    int code = cl.execute(args);
    outWriter.flush();
    IOException failure = stdout.takeFailure();
    if (failure != null) {
      errWriter.println(
          "axon-buffer: cannot write to standard output: "
              + TerminalText.escape(IoErrors.reason(failure)));
      code = code == OK ? BAD_INPUT : code;
    }
    errWriter.flush();
    return code;
  }

  /**
   * Runs the command on the process's own standard streams, unbuffered by the JDK (the command
   * buffers what it prints itself), so that a write error reaches it and a binary result is written
   * to the file descriptor without a copy.
   */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new FileInputStream(FileDescriptor.in),
            new FileOutputStream(FileDescriptor.out),
            System.err));
  }

  /** Turns an exception out of a subcommand into its exit code and message. */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean json = cl.getCommand() instanceof JsonOutput && ((JsonOutput) cl.getCommand()).json();
    int code;
    String type;
    if (e instanceof UsageError) {
      code = USAGE;
      type = "UsageError";
    } else if (e instanceof BadInput) {
      code = BAD_INPUT;
      type = ((BadInput) e).type();
    } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
      code = BAD_INPUT;
      type = e.getClass().getSimpleName();
    } else {
      code = BAD_INPUT;
      type = e.getClass().getSimpleName();
      if (System.getenv("AXON_BUFFER_DEBUG") != null) {
        e.printStackTrace(err);
      }
    }
    err.println(
        "axon-buffer "
            + cl.getCommandName()
            + ": "
            + type
            + ": "
            + TerminalText.escape(String.valueOf(e.getMessage())));
    if (code == USAGE) {
      err.println("Try 'axon-buffer " + cl.getCommandName() + " --help'.");
    }
    if (json) {
      Map<String, Object> details = e instanceof BadInput ? ((BadInput) e).details() : Map.of();
      cl.getOut().println(Json.write(jsonError(type, e.getMessage(), details)));
    }
    return code;
  }

  /** The JSON error object printed on stdout under {@code --json}: error, details, message. */
  private static Map<String, Object> jsonError(
      String type, String message, Map<String, Object> details) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("error", type);
    o.putAll(details);
    o.put("message", message);
    return o;
  }

  /**
   * True if a command line that failed to parse asked for JSON: {@code --json} among the arguments
   * (before a {@code --}) for a command that has that option. When the error came before the
   * subcommand was reached ({@code axon-buffer --bogus detect --json}), the subcommand named in the
   * arguments decides.
   */
  static boolean jsonRequested(CommandLine failing, String[] args) {
    List<String> all = Arrays.asList(args);
    int end = all.indexOf("--");
    if (!(end < 0 ? all : all.subList(0, end)).contains("--json")) {
      return false;
    }
    CommandLine target = failing;
    if (target.getParent() == null) {
      for (String a : args) {
        CommandLine sub = failing.getSubcommands().get(a);
        if (sub != null) {
          target = sub;
          break;
        }
      }
    }
    return target.getCommandSpec().findOption("--json") != null;
  }

  /** A subcommand that may print JSON. */
  interface JsonOutput {
    boolean json();
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "axon-buffer " + (v == null ? "(development build)" : v),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
