package io.axon.buffer.bench;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindInspector;
import io.axon.buffer.kinds.media.MediaKinds;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileCacheImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JPEG inspect of a 1 MiB JPEG (issue 4): the {@code jpeg} kind's inspector (every fact: size,
 * components, precision, coding process, colour space, EXIF orientation) against ImageIO reading
 * only the width and height through an {@link ImageReader} (one reader, reused). The JPEG is made
 * at setup by ImageIO's own encoder from a noise image, at quality 0.95, so that it weighs at least
 * 1 MiB.
 *
 * <p>The peer is ImageIO at its cheapest: {@link ImageIO#setUseCache}{@code (false)} (set at
 * setup), so that {@link ImageIO#createImageInputStream} caches in memory. With its default cache
 * on, ImageIO writes every stream it reads to a temporary file ({@code FileCacheImageInputStream}):
 * {@link #imageIoWithFileCache} measures that default, for reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JpegInspectBenchmark {

  byte[] jpeg;
  ByteBuffer direct;
  KindInspector inspector;
  ImageReader reader;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ImageIO.setUseCache(false);
    jpeg = makeJpeg(1 << 20);
    direct = ByteBuffer.allocateDirect(jpeg.length).put(jpeg).flip();
    inspector =
        BufferKindRegistry.global()
            .descriptor(MediaKinds.JPEG)
            .orElseThrow()
            .inspector()
            .orElseThrow();
    Map<String, Object> facts = inspector.inspect(direct.duplicate());
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    reader = readers.next();
    if (!facts.get("width").equals(imageIoWidth())) {
      throw new IllegalStateException("inspector and ImageIO disagree: " + facts);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reader.dispose();
  }

  /** A noise JPEG of at least {@code minBytes}, written by ImageIO. */
  static byte[] makeJpeg(int minBytes) throws IOException {
    int side = 512;
    while (true) {
      BufferedImage image = new BufferedImage(side, side * 3 / 4, BufferedImage.TYPE_INT_RGB);
      Random random = new Random(7);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, random.nextInt(0x1000000));
        }
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      writer.dispose();
      if (out.size() >= minBytes) {
        return out.toByteArray();
      }
      side += 128;
    }
  }

  int imageIoWidth() throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      reader.getHeight(0);
      return width;
    }
  }

  /** Every fact of the JPEG, from a heap copy. */
  @Benchmark
  public Map<String, Object> axonInspect() {
    return inspector.inspect(ByteBuffer.wrap(jpeg));
  }

  /** Every fact of the JPEG, from direct memory (as a pooled view would give it). */
  @Benchmark
  public Map<String, Object> axonInspectDirect() {
    return inspector.inspect(direct.duplicate());
  }

  /** ImageIO, width and height only, its cache off (an in-memory stream). */
  @Benchmark
  public long imageIoWidthAndHeight() throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      return widthAndHeight(in);
    }
  }

  /**
   * ImageIO, width and height only, through the stream its default ({@code setUseCache(true)})
   * gives: a temporary file written as the stream is read.
   */
  @Benchmark
  public long imageIoWithFileCache() throws IOException {
    try (ImageInputStream in =
        new FileCacheImageInputStream(new ByteArrayInputStream(jpeg), null)) {
      return widthAndHeight(in);
    }
  }

  private long widthAndHeight(ImageInputStream in) throws IOException {
    reader.setInput(in, true, true);
    return (long) reader.getWidth(0) << 32 | reader.getHeight(0);
  }
}
