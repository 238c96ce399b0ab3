package io.axon.buffer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server of the loopback harnesses in its own JVM: {@code serve} from the command's JAR, or one
 * of this module's peers ({@link BareJettyUpload}, {@link JdkHttpServerUpload}) from the benchmarks
 * JAR; started with the same heap, read for its port, destroyed at the end.
 */
final class ServeProcesses implements AutoCloseable {

  private static final Pattern PORT =
      Pattern.compile("listening on (?:http://127\\.0\\.0\\.1:)?(\\d+)");

  final String name;
  final Process process;
  final int port;

  private ServeProcesses(String name, List<String> command) throws IOException {
    this.name = name;
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    process = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = PORT.matcher(String.valueOf(line));
    if (!m.find()) {
      process.destroyForcibly();
      throw new IOException(name + " did not start: " + line);
    }
    port = Integer.parseInt(m.group(1));
  }

  static List<String> java(String... jvm) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-Xmx512m");
    c.add("-XX:MaxDirectMemorySize=1g");
    c.addAll(List.of(jvm));
    return c;
  }

  /** {@code serve} from {@code jar} with {@code options}. */
  static ServeProcesses serve(Path jar, String... options) throws IOException {
    List<String> c = java("-jar", jar.toString(), "serve", "--port", "0");
    c.addAll(List.of(options));
    return new ServeProcesses("serve", c);
  }

  /** A peer main class of this module, from the JAR or class path this JVM runs on. */
  static ServeProcesses peer(Class<?> main, String... args) throws IOException {
    List<String> c = java("-cp", System.getProperty("java.class.path"), main.getName());
    c.addAll(List.of(args));
    return new ServeProcesses(main.getSimpleName(), c);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
