package io.axon.buffer.bench;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.kinds.media.MediaKindProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code BufferKindRegistry.detect} over a 4 KiB head with 20 registered kinds (issue 2): {@code
 * raw}, the 18 media kinds, and one kind registered in code (a 4-byte magic sniffer). Every sniffer
 * runs on every call; the content decides how far each reads: a JPEG (signature), JSON text (the
 * JSON grammar check reads at most its first 1 KiB), CSV text (the CSV check reads all 4 KiB), and
 * random bytes (nothing matches).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryDetectBenchmark {

  @Param({"jpeg", "json", "csv", "random"})
  public String content;

  BufferKindRegistry registry;
  ByteBuffer head;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    registry = BufferKindRegistry.empty();
    registry.register(new MediaKindProvider());
    registry.register(
        KindDescriptor.builder("magic4")
            .description("A code-registered kind")
            .sniffer(h -> h.remaining() >= 4 && h.getInt(h.position()) == 0x4D414749 ? 100 : 0)
            .build());
    if (registry.kinds().size() != 20) {
      throw new IllegalStateException("expected 20 kinds, got " + registry.kinds());
    }
    byte[] bytes = new byte[4096];
    switch (content) {
      case "jpeg":
        {
          BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ImageIO.write(image, "jpeg", out);
          System.arraycopy(out.toByteArray(), 0, bytes, 0, Math.min(4096, out.size()));
          break;
        }
      case "json":
        {
          StringBuilder s = new StringBuilder("[");
          for (int i = 0; s.length() < 4096; i++) {
            s.append("{\"id\": ").append(i).append(", \"name\": \"item ").append(i).append("\"}, ");
          }
          bytes = s.substring(0, 4096).getBytes(StandardCharsets.US_ASCII);
          break;
        }
      case "csv":
        {
          StringBuilder s = new StringBuilder("id,name,price\n");
          for (int i = 0; s.length() < 4096; i++) {
            s.append(i).append(",item ").append(i).append(',').append(i * 3).append(".50\n");
          }
          bytes = s.substring(0, 4096).getBytes(StandardCharsets.US_ASCII);
          break;
        }
      default:
        new Random(1).nextBytes(bytes);
    }
    head = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    Detection d = registry.detect(head);
    String expected = content.equals("random") ? "raw" : content;
    if (!d.kind().slug().equals(expected)) {
      throw new IllegalStateException(content + " detected as " + d);
    }
  }

  @Benchmark
  public Detection detect() {
    return registry.detect(head);
  }
}
