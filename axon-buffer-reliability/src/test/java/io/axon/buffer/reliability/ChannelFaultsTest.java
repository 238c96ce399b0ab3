package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartBody;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartOptions;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.axon.buffer.ingest.PartInfo;
import io.axon.buffer.ingest.PooledReader;
import io.axon.buffer.ingest.WebSocketFrameDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channels and callbacks that fail in the middle: a connection reset inside a part's payload,
 * inside its headers, between parts; an interrupt; a listener or a frame sink that throws. Each
 * time the caller gets the failure itself (the same exception object, or the parser's typed error),
 * every pooled byte of the operation goes back, and the next operation works.
 */
class ChannelFaultsTest {

  static final String BOUNDARY = "fault-b";
  private final SlabBufferPool pool = SlabBufferPool.builder().name("channel-faults").build();

  @AfterEach
  void nothingLive() {
    assertEquals(0, pool.snapshot().liveBytes(), () -> pool.snapshot().toString());
    pool.close();
  }

  static byte[] twoParts(int size) {
    byte[] a = new byte[size];
    new Random(1).nextBytes(a);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String name : List.of("first", "second")) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\""
                  + name
                  + "\"; filename=\""
                  + name
                  + ".bin\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(a);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void aChannelResetAnywhereInAMultipartBodyReleasesEveryPart() throws Exception {
    byte[] body = twoParts(300_000);
    int headerEnd = new String(body, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
    int secondPart = new String(body, StandardCharsets.ISO_8859_1).indexOf("--" + BOUNDARY, 10);
    long[] cuts = {
      10,
      headerEnd - 5,
      headerEnd + 1,
      headerEnd + 150_000,
      secondPart + 20,
      secondPart + 200_000,
      body.length - 3
    };
    for (long cut : cuts) {
      for (int piece : new int[] {1 + (int) (cut % 7), 65_536}) {
        ScriptedChannel channel = new ScriptedChannel(body, () -> piece, cut);
        IOException e =
            assertThrows(
                IOException.class,
                () ->
                    MultipartParser.parse(
                        channel, BOUNDARY, pool.forTenant("acme"), MultipartOptions.defaults()),
                "cut at " + cut);
        assertSame(channel.thrown(), e, "the channel's own failure, cut at " + cut);
        assertEquals(0, pool.snapshot().liveBytes(), "cut at " + cut);
      }
    }
    try (MultipartBody ok =
        MultipartParser.parse(
            new ScriptedChannel(body, () -> 4096, -1),
            BOUNDARY,
            pool.forTenant("acme"),
            MultipartOptions.defaults())) {
      assertEquals(2, ok.parts().size());
    }
  }

  @Test
  void anInterruptedStreamReleasesEverything() {
    byte[] body = twoParts(100_000);
    java.io.InputStream in =
        new java.io.InputStream() {
          int at;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (at > 150_000) {
              throw new ClosedByInterruptException();
            }
            int n = Math.min(len, Math.min(8192, body.length - at));
            System.arraycopy(body, at, b, off, n);
            at += n;
            return n;
          }
        };
    assertThrows(
        ClosedByInterruptException.class,
        () ->
            MultipartParser.parse(
                in, BOUNDARY, pool.forTenant("acme"), MultipartOptions.defaults()));
    assertEquals(0, pool.snapshot().liveBytes());
  }

  @Test
  void aChannelResetWhileReadingIntoPooledMemoryReleasesIt() throws Exception {
    byte[] content = new byte[2_500_000];
    new Random(2).nextBytes(content);
    for (long cut : new long[] {0, 1, 4095, 4097, 70_000, 1_200_000, 2_499_999}) {
      for (long hint : new long[] {-1, content.length}) {
        ScriptedChannel channel = new ScriptedChannel(content, () -> 100_000, cut);
        IOException e =
            assertThrows(
                IOException.class,
                () -> PooledReader.read(channel, pool.forTenant("acme"), 4 << 20, hint));
        assertSame(channel.thrown(), e);
        assertEquals(0, pool.snapshot().liveBytes(), "cut at " + cut + ", hint " + hint);
      }
    }
    try (ZeroCopyBuffer whole =
        PooledReader.read(
            Channels.newInputStream(new ScriptedChannel(content, () -> 100_000, -1)),
            pool.forTenant("acme"),
            4 << 20)) {
      assertArrayEquals(content, whole.toByteArray());
    }
  }

  /** A listener that throws aborts the parse; the parser releases the part it was building. */
  @Test
  void aListenerThatThrowsAbortsTheParseAndReleasesWhatTheParserHeld() throws Exception {
    byte[] body = twoParts(200_000);
    List<Part> received = new ArrayList<>();
    MultipartListener failing =
        new MultipartListener() {
          @Override
          public void onPartStart(PartInfo part) {
            if (part.index() == 1) {
              throw new UncheckedIOException(new IOException("storage full (simulated)"));
            }
          }

          @Override
          public void onPart(Part part) {
            received.add(part);
          }

          @Override
          public void onComplete(MultipartSummary summary) {}

          @Override
          public void onError(AxonBufferException error) {}
        };
    MultipartParser parser =
        new MultipartParser(BOUNDARY, pool.forTenant("acme"), MultipartOptions.defaults(), failing);
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> parser.feed(ByteBuffer.wrap(body)));
    assertTrue(e.getMessage().contains("storage full"));
    assertTrue(parser.isDone());
    assertEquals(1, received.size(), "the first part was delivered before the failure");
    received.forEach(Part::close); // delivered parts belong to the listener
    assertEquals(0, pool.snapshot().liveBytes(), "the second part's memory went back");
    assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.allocate(1)));
  }

  /**
   * A frame sink that throws: the decoder keeps nothing; the frame it handed over is the sink's.
   */
  @Test
  void aFrameSinkThatThrowsLeavesTheDecoderCleanForReset() throws Exception {
    WebSocketFrameDecoder decoder =
        WebSocketFrameDecoder.forClient(pool.forTenant("acme"), 1 << 20);
    byte[] frames = new byte[2 + 100 + 2 + 50];
    frames[0] = (byte) 0x82;
    frames[1] = 100;
    frames[102] = (byte) 0x82;
    frames[103] = 126; // a 16-bit length follows: the second frame is cut in its header
    RuntimeException boom = new IllegalStateException("consumer failed (simulated)");
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                decoder.feed(
                    ByteBuffer.wrap(frames),
                    frame -> {
                      frame.close();
                      throw boom;
                    }));
    assertSame(boom, e);
    assertEquals(0, pool.snapshot().liveBytes());
    assertThrows(
        IllegalStateException.class, () -> decoder.feed(ByteBuffer.wrap(frames), f -> f.close()));
    decoder.reset();
    List<Integer> sizes = new ArrayList<>();
    decoder.feed(
        ByteBuffer.wrap(frames, 0, 102),
        frame -> {
          try (frame) {
            sizes.add(frame.payload().length());
          }
        });
    assertEquals(List.of(100), sizes);
    decoder.close();
    assertEquals(0, pool.snapshot().liveBytes());
  }
}
