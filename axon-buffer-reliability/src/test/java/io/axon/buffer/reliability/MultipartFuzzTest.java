package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.AxonBufferException;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.ingest.PartInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fuzzes the multipart push parser ({@link MultipartParser}) with hostile bodies fed in random
 * chunks.
 *
 * <p>Input layout: one flags byte (bit 0 lenient line endings, bit 1 small limits, bits 2-7 the
 * chunking seed), the boundary up to the first {@code \n} (at most 80 bytes; "b" if there is no
 * line break there), then the body. Seeds are the curl and Python bodies of the shared corpus in
 * that layout.
 *
 * <p>Properties, for every input:
 *
 * <ul>
 *   <li>only {@link MultipartException} ever reports a fault (through {@code onError}, or from the
 *       constructor for a bad boundary): feed and finish throw nothing;
 *   <li>events come in order (each {@code onPart} after its {@code onPartStart}) and exactly one
 *       terminal event follows {@code finish()};
 *   <li>the outcome (parts, their kinds, sizes and digests, or the fault) is the same whether the
 *       body arrives whole or in random chunks;
 *   <li>every pooled byte goes back once the parts are closed (live bytes 0);
 *   <li>no allocation exceeds {@code max(4 KiB, the slab that holds a part's sniffed head, 16 x
 *       body length)}: memory follows the bytes received and the configuration, never a number read
 *       from them.
 * </ul>
 */
class MultipartFuzzTest {

  static final int MAX_BOUNDARY_LINE = 80;

  @FuzzTest(maxDuration = "5m")
  void parseInRandomChunks(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int flags = input[0] & 0xff;
    int nl = -1;
    for (int i = 1; i < Math.min(input.length, 1 + MAX_BOUNDARY_LINE + 1); i++) {
      if (input[i] == '\n') {
        nl = i;
        break;
      }
    }
    String boundary = nl < 0 ? "b" : new String(input, 1, nl - 1, StandardCharsets.ISO_8859_1);
    byte[] body =
        nl < 0
            ? Arrays.copyOfRange(input, 1, input.length)
            : Arrays.copyOfRange(input, nl + 1, input.length);
    MultipartOptions options = options((flags & 1) != 0, (flags & 2) != 0);

    Outcome whole = parse(boundary, body, options, null);
    Outcome chunked = parse(boundary, body, options, new Random(flags >>> 2 ^ body.length));
    assertEquals(whole.events, chunked.events, "the chunking changed the outcome");
  }

  static MultipartOptions options(boolean lenient, boolean smallLimits) {
    MultipartOptions.Builder b = MultipartOptions.builder().lenientLineEndings(lenient);
    if (smallLimits) {
      b.maxPartBytes(1024)
          .maxParts(4)
          .maxHeaderBytesPerPart(256)
          .maxHeaderBytesTotal(512)
          .maxPreambleBytes(256);
    }
    return b.build();
  }

  /** One parse of {@code body}: whole when {@code chunks} is null, else in random pieces. */
  static Outcome parse(String boundary, byte[] body, MultipartOptions options, Random chunks) {
    RecordingAllocator allocator = FuzzPools.allocator();
    Outcome out = new Outcome();
    MultipartParser parser;
    try {
      parser = new MultipartParser(boundary, allocator, options, out);
    } catch (MultipartException e) {
      out.events.add("invalid boundary: " + e.fault());
      assertEquals(0, allocator.requests(), "nothing is allocated for a refused boundary");
      return out;
    }
    int at = 0;
    while (at < body.length && !parser.isDone()) {
      int n = chunks == null ? body.length : Math.min(body.length - at, chunkSize(chunks));
      ByteBuffer chunk = ByteBuffer.wrap(body, at, n);
      parser.feed(chunk);
      assertEquals(at + n, chunk.position(), "feed consumes the whole chunk");
      at += n;
    }
    parser.finish();
    assertEquals(1, out.terminals, "exactly one terminal event after finish()");
    assertTrue(parser.isDone());
    out.closeParts();
    FuzzPools.assertNothingLive("parsing " + body.length + " bytes");
    // A part whose head straddles chunks gets a first slab that holds the head: a bound set by
    // the configuration (sniffBytes, maxPartBytes), not by anything read from the body.
    long headSlab =
        io.axon.buffer.PoolClass.forCapacity(Math.min(options.sniffBytes(), options.maxPartBytes()))
            .slabBytes();
    allocator.assertLargestAtMost(
        Math.max(Math.max(4096L, headSlab), 16L * body.length),
        "a body of " + body.length + " bytes, a head slab of " + headSlab);
    return out;
  }

  private static int chunkSize(Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return 1;
      case 1:
        return 1 + r.nextInt(8);
      case 2:
        return 1 + r.nextInt(100);
      default:
        return 1 + r.nextInt(5000);
    }
  }

  /** Records the events as comparable lines and checks their order as they come. */
  static final class Outcome implements MultipartListener {
    final List<String> events = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    int terminals;
    int started = -1;

    @Override
    public void onPartStart(PartInfo part) {
      assertEquals(0, terminals, "onPartStart after the terminal event");
      assertEquals(parts.size(), part.index(), "part indexes count up from 0");
      assertTrue(started < part.index(), "one onPartStart per part");
      started = part.index();
    }

    @Override
    public void onPart(Part part) {
      parts.add(part);
      assertEquals(0, terminals, "onPart after the terminal event");
      assertEquals(started, part.info().index(), "onPart follows its own onPartStart");
      assertEquals(part.size(), part.payload().length());
      events.add(
          "part "
              + part.info().index()
              + " name="
              + part.name()
              + " filename="
              + part.filename().orElse(null)
              + " type="
              + part.contentType().orElse(null)
              + " kind="
              + part.kind()
              + " encoding="
              + part.info().transferEncoding()
              + " size="
              + part.size()
              + " sha256="
              + part.payload().sha256Hex());
    }

    @Override
    public void onComplete(MultipartSummary summary) {
      terminals++;
      assertEquals(parts.size(), summary.parts());
      events.add("complete");
    }

    @Override
    public void onError(AxonBufferException e) {
      terminals++;
      // The fuzz allocator refuses no memory: every fault is the body's.
      MultipartException error = assertInstanceOf(MultipartException.class, e, e::toString);
      assertTrue(error.getMessage() != null && !error.getMessage().isEmpty());
      events.add("error " + error.fault() + error.limit().map(l -> " " + l).orElse(""));
    }

    void closeParts() {
      parts.forEach(Part::close);
    }
  }
}
