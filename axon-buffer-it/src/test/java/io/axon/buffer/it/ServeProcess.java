package io.axon.buffer.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code axon-buffer ... serve --port 0} running from the shaded JAR in its own small JVM, as an
 * operator runs it; stopped with SIGTERM (what Ctrl-C's SIGINT also triggers).
 */
final class ServeProcess {

  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread errPump;
  private final int port;

  private ServeProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).start();
    errPump = Jvm.pump(process.getErrorStream(), err);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // the first line, or null if it died
    Matcher m = LISTENING.matcher(String.valueOf(line));
    if (!m.find()) {
      process.destroyForcibly();
      throw new AssertionError("serve did not start: " + line + "\n" + command + "\n" + stderr());
    }
    port = Integer.parseInt(m.group(1));
  }

  /** Starts the command with {@code args} (which include {@code serve --port 0}). */
  static ServeProcess start(String... args) {
    try {
      return new ServeProcess(Jvm.cliCommand(args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String stderr() {
    return Jvm.text(err);
  }

  /** Sends SIGTERM, waits for the JVM to end, and returns everything it printed on stderr. */
  String stop() throws InterruptedException {
    if (process.isAlive()) {
      process.toHandle().destroy(); // SIGTERM; keeps our ends of its pipes open
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("serve did not stop within 20 s of SIGTERM\n" + stderr());
      }
    }
    errPump.join(5000);
    return stderr();
  }
}
