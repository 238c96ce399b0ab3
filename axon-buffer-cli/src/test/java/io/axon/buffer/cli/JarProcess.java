package io.axon.buffer.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code axon-buffer.jar} in a separate JVM, as a user would. */
final class JarProcess {

  private JarProcess() {}

  /** The JAR built by {@code package} (failsafe passes its path). */
  static Path jar() {
    Path jar =
        Path.of(System.getProperty("axon.buffer.cli.jar", "target/axon-buffer.jar"))
            .toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no " + jar + ": run the integration tests through `./mvnw verify`");
    }
    return jar;
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <jvmOptions> -jar axon-buffer.jar <args>} as a list. */
  static List<String> command(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** Runs to completion (at most a minute) with {@code stdin} as input. */
  static Cli.Result run(Path workingDir, byte[] stdin, List<String> command) {
    return run(workingDir, stdin, command, java.util.Map.of());
  }

  /** As {@link #run(Path, byte[], List)} with extra environment variables. */
  static Cli.Result run(
      Path workingDir, byte[] stdin, List<String> command, java.util.Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      if (workingDir != null) {
        pb.directory(workingDir.toFile());
      }
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread o = pump(p.getInputStream(), out);
      Thread e = pump(p.getErrorStream(), err);
      p.getOutputStream().write(stdin);
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      o.join();
      e.join();
      return new Cli.Result(
          p.exitValue(),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          out.toByteArray());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  static Cli.Result run(String... args) {
    return run(null, new byte[0], command(List.of(), args));
  }

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
            });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
