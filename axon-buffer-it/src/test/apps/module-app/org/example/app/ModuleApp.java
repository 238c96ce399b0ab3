package org.example.app;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindRegistration;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.RegistryProblem;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartBody;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.spi.BufferKindProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Runs on the module path ({@code java -p ... -m org.example.app/org.example.app.ModuleApp
 * FILE...}) and prints tab-separated lines: {@code app} (its own module), {@code resolved} (the
 * non-JDK modules of the boot layer), {@code provider} (each kind provider the JDK's ServiceLoader
 * instantiates, with the module its class is in) or {@code serviceError}, {@code kind} and {@code problem} (the global registry),
 * {@code part} for each FILE (sent through the multipart parser as a file upload), then {@code
 * pool} with the live bytes left.
 */
public final class ModuleApp {

  private static final String BOUNDARY = "module-app-5c1e";

  private ModuleApp() {}

  public static void main(String[] args) throws IOException {
    Module self = ModuleApp.class.getModule();
    System.out.println(String.join("\t", "app", String.valueOf(self.getName()),
        Boolean.toString(self.isNamed())));
    TreeSet<String> resolved = new TreeSet<>();
    for (Module m : ModuleLayer.boot().modules()) {
      if (!m.getName().startsWith("java.") && !m.getName().startsWith("jdk.")) {
        resolved.add(m.getName());
      }
    }
    System.out.println("resolved\t" + String.join(",", resolved));
    // Each provider as the JDK's ServiceLoader instantiates it, with the module of its class.
    // One try/catch per next(): stream() and a bare for-each give up at the first bad provider.
    Iterator<BufferKindProvider> providers = ServiceLoader.load(BufferKindProvider.class).iterator();
    while (true) {
      try {
        if (!providers.hasNext()) {
          break;
        }
        BufferKindProvider p = providers.next();
        System.out.println(String.join("\t", "provider", p.getClass().getName(),
            String.valueOf(p.getClass().getModule().getName())));
      } catch (ServiceConfigurationError e) {
        System.out.println(String.join("\t", "serviceError", String.valueOf(e.getMessage())));
      }
    }

    BufferKindRegistry registry = BufferKindRegistry.global();
    for (KindRegistration r : registry.registrations()) {
      System.out.println(String.join("\t", "kind", r.kind().toString(), r.provider(),
          r.originIfKnown().orElse("-")));
    }
    for (RegistryProblem p : registry.problems()) {
      System.out.println(String.join("\t", "problem", p.type().name(), p.source(), p.message()));
    }

    try (SlabBufferPool pool = SlabBufferPool.create()) {
      for (String arg : args) {
        Path file = Path.of(arg);
        byte[] body = upload(file.getFileName().toString(), Files.readAllBytes(file));
        try (MultipartBody parts = MultipartParser.parse(new ByteArrayInputStream(body), BOUNDARY,
            pool.forTenant("module-app"), MultipartOptions.builder().registry(registry).build())) {
          for (Part part : parts.parts()) {
            String facts;
            try {
              facts = registry.inspect(part.kind(), part.payload().asReadOnlyByteBuffer())
                  .map(Map::toString).orElse("{}");
            } catch (MalformedContentException e) {
              facts = "malformed: " + e.getMessage();
            }
            System.out.println(String.join("\t", "part", part.filename().orElse("-"),
                part.kind().toString(), Integer.toString(part.size()), part.payload().sha256Hex(),
                facts, part.info().mediaType().map(m -> m.essence()).orElse("-")));
          }
        }
      }
      System.out.println("pool\tliveBytes=" + pool.snapshot().liveBytes());
    }
  }

  /** A multipart/form-data body with one file part, declared as application/octet-stream. */
  private static byte[] upload(String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + BOUNDARY + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
