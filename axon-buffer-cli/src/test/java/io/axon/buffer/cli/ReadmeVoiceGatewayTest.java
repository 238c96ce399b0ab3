package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.BufferPool;
import io.axon.buffer.TranscodeOptions;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A voice gateway in 30 lines", as a user copies it: the class compiles as written
 * against the library alone, and fed {@code samples/hello-8k.ul} in 20 ms frames it hands the
 * speech model exactly what the offline chain gives ({@code mulaw8 → pcm16 @ 16 kHz}), with every
 * pooled byte back at the end.
 */
class ReadmeVoiceGatewayTest {

  @TempDir Path tmp;

  /** The fenced java block right after {@code <!-- voice-gateway: NAME -->}. */
  static String block(String readme, String name) {
    String marker = "<!-- voice-gateway: " + name + " -->";
    int at = readme.indexOf(marker);
    assertTrue(at >= 0, "README.md has no " + marker);
    int start = readme.indexOf("```java\n", at);
    assertTrue(start >= 0 && readme.substring(at + marker.length(), start).isBlank());
    start += "```java\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theGatewayCompilesAsWrittenAndHandsTheModelTheOfflineChainsAudio() throws Exception {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String source = block(readme, "VoiceGateway.java");
    long lines = source.lines().filter(l -> !l.isBlank() && !l.startsWith("import ")).count();
    assertTrue(lines <= 30, "30 lines besides imports and blank lines, not " + lines);
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path out = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(src.resolve("VoiceGateway.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-Xlint:all,-path,-processing",
            "-proc:none",
            "-Werror",
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            out.toString(),
            src.resolve("VoiceGateway.java").toString());
    assertEquals(0, rc, "the README's VoiceGateway.java compiles without a warning");

    byte[] ul = Cli.bytes(Cli.sample("hello-8k.ul"));
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    try (SlabBufferPool pool = SlabBufferPool.builder().name("readme").build();
        URLClassLoader loader =
            new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> type = loader.loadClass("VoiceGateway");
      Consumer<ZeroCopyBuffer> speech =
          pcm -> {
            try (pcm) {
              model.writeBytes(pcm.toByteArray());
            }
          };
      Object gateway =
          type.getConstructor(BufferPool.class, String.class, Consumer.class)
              .newInstance(pool, "acme", speech);
      var onFrame = type.getMethod("onFrame", boolean.class, int.class, ByteBuffer.class);
      for (int at = 0; at < ul.length; at += 160) {
        int n = Math.min(160, ul.length - at);
        // a 20 ms frame in two fragments, as a host may hand them on
        onFrame.invoke(gateway, false, 2, ByteBuffer.wrap(ul, at, n / 2));
        onFrame.invoke(gateway, true, 0, ByteBuffer.wrap(ul, at + n / 2, n - n / 2));
      }
      ((AutoCloseable) gateway).close();
      assertEquals(0, pool.snapshot().liveBytes(), "every buffer back to the pool");

      try (BufferMut m = pool.acquire(ul.length, "offline")) {
        m.append(ul);
        try (ZeroCopyBuffer in = m.freeze(BufferKind.of("mulaw8"));
            ZeroCopyBuffer expected =
                Transcoders.global()
                    .transcode(
                        in,
                        BufferKind.of("pcm16"),
                        TranscodeOptions.none().withRate(8000).withTargetRate(16000),
                        pool.forTenant("offline"))) {
          assertArrayEquals(expected.toByteArray(), model.toByteArray());
        }
      }
    }
  }
}
