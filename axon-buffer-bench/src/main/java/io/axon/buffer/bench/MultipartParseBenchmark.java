package io.axon.buffer.bench;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SegmentedBuilder;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Multipart parse throughput (issue 5): axon-buffer's {@link MultipartParser} against Apache
 * Commons FileUpload 2's streaming API ({@code getItemIterator}) and Jetty 12's {@code
 * MultiPart.Parser}, on the same bytes fed in 8 KiB chunks (FileUpload reads an InputStream that
 * hands out at most 8 KiB per read).
 *
 * <p>Every contender hands each part's bytes to the application once: axon into pooled direct
 * memory billed to a tenant (the part's payload view, closed right after), with the kind detected
 * (the media kinds are on the class path, as in a real server); FileUpload and Jetty into a reused
 * heap array, the cheapest way to keep them (Jetty's content chunks are slices of the input, which
 * a server recycles, so a parser's user that keeps a part must copy it). {@code axonNoSniffing} is
 * axon with kind sniffing off. Score: time per body (lower is better); see RESULTS.md for the
 * ratios. {@code copyBaseline} is the physical baseline: the same chunks copied into pooled memory
 * of the same tenant with no parsing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MultipartParseBenchmark {

  private static final int CHUNK = 8192;

  @Param({"file1m", "fields100", "dashes1m"})
  public String body;

  private byte[] bytes;
  private List<ByteBuffer> chunks;
  private SlabBufferPool pool;
  private BufferAllocator allocator;
  private MultipartOptions options;
  private MultipartOptions noSniffing;
  private byte[] sink;
  private FileUpload fileUpload;

  @Setup(Level.Trial)
  public void setUp() {
    bytes = MultipartBodies.body(body);
    chunks = MultipartBodies.chunks(bytes, CHUNK);
    pool = SlabBufferPool.builder().name("bench").build();
    allocator = pool.forTenant("bench");
    options = MultipartOptions.defaults();
    noSniffing = MultipartOptions.builder().sniffBytes(0).build();
    sink = new byte[2 << 20];
    fileUpload = new FileUpload();
    fileUpload.setFileItemFactory(DiskFileItemFactory.builder().get());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool.snapshot().liveBytes() != 0) {
      throw new IllegalStateException("leak: " + pool.snapshot());
    }
    pool.close();
  }

  /**
   * Counts parts and bytes, closing each part; with {@link #digests}, keeps each part's SHA-256.
   */
  private static final class Counting implements MultipartListener {
    long bytes;
    int parts;
    AxonBufferException error;
    List<String> digests;

    @Override
    public void onPart(Part part) {
      try (part) {
        bytes += part.size();
        parts++;
        if (digests != null) {
          digests.add(part.payload().sha256Hex());
        }
      }
    }

    @Override
    public void onComplete(MultipartSummary summary) {}

    @Override
    public void onError(AxonBufferException e) {
      error = e;
    }
  }

  @Benchmark
  public long axon() {
    return runAxon(options);
  }

  @Benchmark
  public long axonNoSniffing() {
    return runAxon(noSniffing);
  }

  private long runAxon(MultipartOptions o) {
    return runAxon(o, null);
  }

  private long runAxon(MultipartOptions o, List<String> digests) {
    Counting counting = new Counting();
    counting.digests = digests;
    MultipartParser parser = new MultipartParser(MultipartBodies.BOUNDARY, allocator, o, counting);
    for (ByteBuffer chunk : chunks) {
      parser.feed(chunk.clear());
    }
    parser.finish();
    if (counting.error != null) {
      throw counting.error;
    }
    return counting.bytes + counting.parts;
  }

  /**
   * The physical baseline: the same body copied in the same 8 KiB chunks into pooled memory of the
   * same tenant (one {@link SegmentedBuilder}, frozen and closed as a part's payload is), with no
   * parsing. The one copy every contender must make; what a parser adds is measured against it.
   */
  @Benchmark
  public long copyBaseline() {
    long n;
    try (SegmentedBuilder b = new SegmentedBuilder(allocator)) {
      for (ByteBuffer chunk : chunks) {
        b.append(chunk.clear());
      }
      try (ZeroCopyBuffer copy = b.freeze()) {
        n = copy.length();
      }
    }
    return n;
  }

  @Benchmark
  public long jetty() {
    return runJetty(null);
  }

  private long runJetty(List<String> digests) {
    JettyListener listener = new JettyListener(sink);
    listener.digests = digests;
    MultiPart.Parser parser = new MultiPart.Parser(MultipartBodies.BOUNDARY, listener);
    int n = chunks.size();
    for (int i = 0; i < n; i++) {
      parser.parse(Content.Chunk.from(chunks.get(i).clear(), i == n - 1));
    }
    if (listener.failure != null) {
      throw new IllegalStateException(listener.failure);
    }
    return listener.bytes + listener.parts;
  }

  /** Copies each content chunk into the sink, as a server that keeps the part must. */
  private static final class JettyListener implements MultiPart.Parser.Listener {
    final byte[] sink;
    int at;
    long bytes;
    int parts;

    @SuppressWarnings("unused") // kept as a server that names the part would keep it
    String name;

    List<String> digests;

    Throwable failure;

    JettyListener(byte[] sink) {
      this.sink = sink;
    }

    @Override
    public void onPartHeader(String header, String value) {
      if (header.equalsIgnoreCase("Content-Disposition")) {
        name = value;
      }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      ByteBuffer b = chunk.getByteBuffer();
      int n = b.remaining();
      b.get(b.position(), sink, at, n);
      at += n;
      bytes += n;
    }

    @Override
    public void onPartEnd() {
      parts++;
      if (digests != null) {
        digests.add(sha256(sink, at));
      }
      at = 0;
    }

    @Override
    public void onFailure(Throwable t) {
      failure = t;
    }
  }

  @Benchmark
  public long fileUpload(Blackhole bh) throws IOException {
    return runFileUpload(bh, null);
  }

  private long runFileUpload(Blackhole bh, List<String> digests) throws IOException {
    FileItemInputIterator items =
        fileUpload.getItemIterator(new Request(bytes, MultipartBodies.CONTENT_TYPE));
    long total = 0;
    while (items.hasNext()) {
      FileItemInput item = items.next();
      bh.consume(item.getFieldName());
      bh.consume(item.getName());
      bh.consume(item.getContentType());
      try (InputStream in = item.getInputStream()) {
        int at = 0;
        int n;
        while ((n = in.read(sink, at, sink.length - at)) > 0) {
          at += n;
        }
        total += at + 1;
        if (digests != null) {
          digests.add(sha256(sink, at));
        }
      }
    }
    return total;
  }

  /**
   * Each part's SHA-256 as each contender delivers it, in order: axon (sniffing on), Jetty,
   * FileUpload. For the smoke test, which checks that the three see the same parts and bytes.
   */
  List<List<String>> partDigests(Blackhole bh) throws IOException {
    List<String> axon = new ArrayList<>();
    List<String> jetty = new ArrayList<>();
    List<String> commons = new ArrayList<>();
    runAxon(options, axon);
    runJetty(jetty);
    runFileUpload(bh, commons);
    return List.of(axon, jetty, commons);
  }

  private static String sha256(byte[] bytes, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(bytes, 0, length);
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** FileUpload 2 without a servlet container: parses a {@link RequestContext}. */
  static final class FileUpload
      extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {
    @Override
    public FileItemInputIterator getItemIterator(RequestContext request)
        throws FileUploadException, IOException {
      return super.getItemIterator(request);
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request)
        throws FileUploadException {
      return super.parseParameterMap(request);
    }

    @Override
    public List<DiskFileItem> parseRequest(RequestContext request) throws FileUploadException {
      return super.parseRequest(request);
    }
  }

  /** The request: the body, handed out at most 8 KiB per read, as a socket would. */
  static final class Request implements RequestContext {
    private final byte[] body;
    private final String contentType;

    Request(byte[] body, String contentType) {
      this.body = body;
      this.contentType = contentType;
    }

    @Override
    public String getCharacterEncoding() {
      return StandardCharsets.UTF_8.name();
    }

    @Override
    public Charset getCharset() {
      return StandardCharsets.UTF_8;
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public String getContentType() {
      return contentType;
    }

    @Override
    public InputStream getInputStream() {
      return new InputStream() {
        int at;

        @Override
        public int read() {
          return at < body.length ? body[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (at >= body.length) {
            return -1;
          }
          int n = Math.min(Math.min(len, CHUNK), body.length - at);
          System.arraycopy(body, at, b, off, n);
          at += n;
          return n;
        }
      };
    }

    @Override
    public boolean isMultipartRelated() {
      return false;
    }
  }
}
