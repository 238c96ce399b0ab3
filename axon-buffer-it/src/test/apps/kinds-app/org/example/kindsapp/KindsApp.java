package org.example.kindsapp;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.BufferMut;
import io.axon.buffer.Detection;
import io.axon.buffer.KindRegistration;
import io.axon.buffer.LoadResult;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.Transcoders;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.spi.BufferTranscoder;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An application written against axon-buffer's api and core only, as an adopter writes one. It is
 * compiled by the integration tests with javac and run in its own JVM with a class path the test
 * chooses (api + core; + media; + plugins), so that what it prints shows what that class path
 * brings.
 *
 * <pre>KindsApp [--load DIR]... [FILE]...</pre>
 *
 * Prints tab-separated lines: {@code kind}, {@code transcoder}, {@code problem} (the global
 * registry after start-up); {@code loaded} and {@code loadProblem} for each {@code --load DIR}
 * (every JAR of DIR in one {@link URLClassLoader}, given to {@link BufferKindRegistry#load});
 * {@code file} for each FILE (read into pooled memory, detected, inspected); and finally {@code
 * pool} with the pool's live bytes.
 */
public final class KindsApp {

  private KindsApp() {}

  public static void main(String[] args) throws IOException {
    List<Path> loadDirs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--load")) {
        loadDirs.add(Path.of(args[++i]));
      } else {
        files.add(Path.of(args[i]));
      }
    }
    BufferKindRegistry registry = BufferKindRegistry.global();
    for (KindRegistration r : registry.registrations()) {
      System.out.println(String.join("\t", "kind", r.kind().toString(), r.provider(),
          r.originIfKnown().orElse("-")));
    }
    for (BufferTranscoder t : Transcoders.global().transcoders()) {
      System.out.println(String.join("\t", "transcoder", t.from() + "->" + t.to(), t.getClass().getName()));
    }
    for (RegistryProblem p : registry.problems()) {
      System.out.println(String.join("\t", "problem", p.type().name(), p.source(), p.message()));
    }
    for (Path dir : loadDirs) {
      List<URL> jars = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
        for (Path jar : s) {
          jars.add(jar.toUri().toURL());
        }
      }
      jars.sort((a, b) -> a.toString().compareTo(b.toString()));
      URLClassLoader loader = new URLClassLoader(jars.toArray(new URL[0]), KindsApp.class.getClassLoader());
      LoadResult result = registry.load(loader);
      for (String provider : result.added()) {
        System.out.println(String.join("\t", "loaded", provider,
            registry.registrations().stream().filter(r -> r.provider().equals(provider))
                .map(r -> r.kind().toString()).reduce((a, b) -> a + "," + b).orElse("")));
      }
      for (RegistryProblem p : result.problems()) {
        System.out.println(String.join("\t", "loadProblem", p.type().name(), p.source(), p.message()));
      }
    }
    try (SlabBufferPool pool = SlabBufferPool.create()) {
      for (Path file : files) {
        System.out.println(describe(registry, pool, file));
      }
      System.out.println("pool\tliveBytes=" + pool.snapshot().liveBytes());
    }
  }

  /** Reads {@code file} into pooled memory (no heap copy), detects and inspects it. */
  private static String describe(BufferKindRegistry registry, SlabBufferPool pool, Path file)
      throws IOException {
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file)) {
      BufferMut builder = pool.acquire((int) size, "kinds-app");
      try (ZeroCopyBuffer content = fill(builder, channel)) {
        String name = file.getFileName().toString();
        Detection d = registry.detect(content, name);
        String facts;
        try {
          facts = registry.inspect(d.kind(), content.asReadOnlyByteBuffer())
              .map(Map::toString).orElse("{}");
        } catch (MalformedContentException e) {
          facts = "malformed: " + e.getMessage();
        }
        return String.join("\t", "file", name, d.kind().toString(), Integer.toString(d.score()),
            Integer.toString(content.length()), content.sha256Hex(), facts);
      }
    }
  }

  private static ZeroCopyBuffer fill(BufferMut builder, FileChannel channel) throws IOException {
    try {
      while (builder.readFrom(channel) >= 0) {
        // read to the end, straight into the pooled memory
      }
      return builder.freeze();
    } finally {
      builder.close(); // no-op once frozen; returns the memory if reading failed
    }
  }
}
