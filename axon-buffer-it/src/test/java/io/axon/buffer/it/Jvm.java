package io.axon.buffer.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a fresh JVM (the one running the tests: same {@code java.home}) with an explicit class path
 * or module path, as a user's launcher would, and captures what it prints. Subprocess JVMs get a
 * small heap, class data sharing when available and the C1 compiler only: they live a second.
 */
final class Jvm {

  private Jvm() {}

  /** Options every subprocess JVM gets. */
  static final List<String> SMALL =
      List.of(
          "-Xshare:auto",
          "-Xmx64m",
          "-XX:MaxDirectMemorySize=128m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Daxon.buffer.leakTracing=all");

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** What a subprocess did. */
  record Result(List<String> command, int code, String out, String err) {

    /** The tab-separated fields of each stdout line that starts with {@code tag + "\t"}. */
    List<List<String>> rows(String tag) {
      return out.lines()
          .filter(l -> l.startsWith(tag + "\t"))
          .map(l -> List.of(l.substring(tag.length() + 1).split("\t", -1)))
          .collect(Collectors.toList());
    }

    /** The single row tagged {@code tag}. */
    List<String> row(String tag) {
      List<List<String>> rows = rows(tag);
      if (rows.size() != 1) {
        throw new AssertionError(
            "expected one \"" + tag + "\" line, got " + rows.size() + "\n" + this);
      }
      return rows.get(0);
    }

    /** Column {@code column} of every row tagged {@code tag}. */
    List<String> column(String tag, int column) {
      return rows(tag).stream().map(r -> r.get(column)).collect(Collectors.toList());
    }

    Result assertSuccess() {
      if (code != 0) {
        throw new AssertionError("exit code " + code + "\n" + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return "$ "
          + String.join(" ", command)
          + "\n[exit "
          + code
          + "]\n--- stdout\n"
          + out
          + "--- stderr\n"
          + err;
    }
  }

  /** {@code java <SMALL> <options> -cp <classPath> <mainClass> <args>}. */
  static Result classPath(
      List<String> options, List<Path> classPath, String mainClass, String... args) {
    List<String> launch = new ArrayList<>(options);
    launch.addAll(List.of("-cp", join(classPath), mainClass));
    return run(command(launch, args));
  }

  /** {@code java <SMALL> <options> -p <modulePath> -m <module/mainClass> <args>}. */
  static Result modulePath(
      List<String> options, List<Path> modulePath, String moduleAndMain, String... args) {
    List<String> launch = new ArrayList<>(options);
    launch.addAll(List.of("-p", join(modulePath), "-m", moduleAndMain));
    return run(command(launch, args));
  }

  /** {@code java <SMALL> -cp <classPath> <mainClass> <args>}. */
  static Result classPath(List<Path> classPath, String mainClass, String... args) {
    return classPath(List.of(), classPath, mainClass, args);
  }

  /** {@code java <SMALL> -p <modulePath> -m <module/mainClass> <args>}. */
  static Result modulePath(List<Path> modulePath, String moduleAndMain, String... args) {
    return modulePath(List.of(), modulePath, moduleAndMain, args);
  }

  /**
   * {@code java <SMALL> -jar axon-buffer.jar <args>}: the command, as {@code ./axon-buffer} runs
   * it.
   */
  static Result cli(String... args) {
    return run(cliCommand(args));
  }

  static List<String> cliCommand(String... args) {
    return command(List.of("-jar", ItEnv.cliJar().toString()), args);
  }

  /**
   * {@code java <SMALL> <launch> <args>}: {@code launch} says what to run ({@code -cp ... Main}).
   */
  private static List<String> command(List<String> launch, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.addAll(SMALL);
    cmd.addAll(launch);
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** Runs to completion (at most a minute). */
  static Result run(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
              .start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread o = pump(p.getInputStream(), out);
      Thread e = pump(p.getErrorStream(), err);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out after 60 s: " + command);
      }
      o.join();
      e.join();
      return new Result(command, p.exitValue(), text(out), text(err));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  private static File nullFile() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  static String text(ByteArrayOutputStream sink) {
    synchronized (sink) {
      return sink.toString(StandardCharsets.UTF_8);
    }
  }

  /** Copies {@code in} to {@code sink} on a daemon thread until end of stream. */
  static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  synchronized (sink) {
                    sink.write(buf, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
