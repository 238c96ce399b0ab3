package io.axon.buffer.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ZeroCopyBuffer} implementation keeps, one named test per rule of its
 * javadoc, run over one shape of view through a factory (as Netty's {@code AbstractByteBufTest} and
 * Agrona's {@code MutableDirectBufferTests} do). A new view type is checked by extending it:
 *
 * <pre>{@code
 * class MappedFileViewTest extends ZeroCopyBufferContract {
 *   protected ZeroCopyBuffer create(byte[] content) { ...a view whose visible bytes are content... }
 * }
 * }</pre>
 *
 * <p>The factory returns the only open view of its storage (close whatever it made on the way: the
 * parts of a composite, the parent of a slice), of kind {@link #KIND}; {@link #tenant()} says what
 * tenant it reports. {@link #liveBytes()} lets a pooled shape prove its memory comes back: it is
 * read before each test and must be the same once every view is closed.
 *
 * <p>Checks: content and bounds (the numbers in the messages), derived views (share, slice, retag,
 * compact) each holding its own reference, {@link ZeroCopyBuffer#sharers()}, idempotent close,
 * closed-view behaviour (every access throws {@link ClosedBufferException}, what the view says
 * about itself stays readable), SHA-256 over the visible bytes only, {@code writeTo} (gathering
 * when there are several pieces), the read-only buffers, {@code unwrap}/{@code canUnwrap}, tenant
 * propagation, and closes racing on several threads.
 */
public abstract class ZeroCopyBufferContract {

  /** The kind the factory tags its views with. */
  protected static final BufferKind KIND = BufferKind.of("contract-test");

  private static final BufferKind OTHER = BufferKind.of("contract-other");

  private long liveBefore;

  /**
   * A view of this shape whose visible bytes are {@code content}, of kind {@link #KIND}: the only
   * open view of its storage.
   *
   * @param content the bytes the view shows (at least 1; the factory may keep or copy them)
   * @return the view; the contract closes it
   */
  protected abstract ZeroCopyBuffer create(byte[] content);

  /**
   * The tenant this shape's views report. Default: none.
   *
   * @return the tenant
   */
  protected Optional<String> tenant() {
    return Optional.empty();
  }

  /**
   * The memory this shape holds now (a pool's live bytes, adopted memory not yet released), for the
   * check that closing every view gives it back; 0 when there is nothing to check (the default).
   *
   * @return a count that closing every view brings back to its value before the test
   */
  protected long liveBytes() {
    return 0;
  }

  /**
   * The content length the tests use. Default 1000.
   *
   * @return the length, at least 16
   */
  protected int contentLength() {
    return 1000;
  }

  /** The content for the tests: a fixed pseudo-random pattern. */
  private byte[] content() {
    byte[] b = new byte[contentLength()];
    new Random(contentLength()).nextBytes(b);
    return b;
  }

  /** Reads {@link #liveBytes()} before each test. */
  @BeforeEach
  protected final void recordLiveBytes() {
    liveBefore = liveBytes();
  }

  /** Checks that {@link #liveBytes()} came back once the test closed every view. */
  @AfterEach
  protected final void everyViewClosedGivesTheMemoryBack() {
    assertEquals(liveBefore, liveBytes(), "memory still held once every view was closed");
  }

  // ------------------------------------------------------------------ content and bounds

  @Test
  public void theViewShowsExactlyTheContentItWasMadeOf() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content)) {
      assertEquals(content.length, v.length());
      assertFalse(v.isEmpty());
      assertEquals(KIND, v.kind());
      assertEquals(tenant(), v.tenant());
      for (int i = 0; i < content.length; i++) {
        assertEquals(content[i], v.get(i), "byte " + i);
      }
      assertArrayEquals(content, v.toByteArray());
      byte[] dst = new byte[content.length + 4];
      v.getBytes(3, dst, 2, content.length - 5);
      assertArrayEquals(
          Arrays.copyOfRange(content, 3, content.length - 2),
          Arrays.copyOfRange(dst, 2, content.length - 3));
      assertNotSame(v.toByteArray(), v.toByteArray(), "toByteArray is a new copy each call");
    }
  }

  @Test
  public void outOfRangeArgumentsThrowIndexOutOfBoundsWithTheNumbers() {
    try (ZeroCopyBuffer v = create(content())) {
      int n = v.length();
      assertMessageHas(assertThrows(IndexOutOfBoundsException.class, () -> v.get(n)), n);
      assertMessageHas(assertThrows(IndexOutOfBoundsException.class, () -> v.get(-1)), -1);
      assertMessageHas(
          assertThrows(IndexOutOfBoundsException.class, () -> v.slice(5, n + 1)), n + 1, n);
      assertMessageHas(assertThrows(IndexOutOfBoundsException.class, () -> v.slice(6, 3)), 6, 3);
      assertMessageHas(
          assertThrows(IndexOutOfBoundsException.class, () -> v.getBytes(n - 2, new byte[8], 0, 3)),
          n - 2,
          3);
      assertMessageHas(
          assertThrows(IndexOutOfBoundsException.class, () -> v.getBytes(0, new byte[2], 0, 3)),
          2,
          3);
      assertEquals(1, v.sharers(), "a refused slice takes no reference");
    }
  }

  private static void assertMessageHas(RuntimeException e, int... numbers) {
    for (int number : numbers) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains(String.valueOf(number)),
          "the message should name " + number + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ derived views

  @Test
  public void shareSliceAndRetagShowTheSameBytesAndKeepKindAndTenant() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content);
        ZeroCopyBuffer shared = v.share();
        ZeroCopyBuffer sliced = v.slice(7, content.length - 3);
        ZeroCopyBuffer retagged = v.retag(OTHER)) {
      assertArrayEquals(content, shared.toByteArray());
      assertArrayEquals(Arrays.copyOfRange(content, 7, content.length - 3), sliced.toByteArray());
      assertArrayEquals(content, retagged.toByteArray());
      assertEquals(KIND, shared.kind());
      assertEquals(KIND, sliced.kind());
      assertEquals(OTHER, retagged.kind());
      assertEquals(KIND, v.kind(), "retag changes the new view's kind only");
      for (ZeroCopyBuffer d : List.of(shared, sliced, retagged)) {
        assertNotSame(v, d);
        assertEquals(tenant(), d.tenant());
      }
    }
  }

  @Test
  public void slicesOfEveryRangeReadTheRightBytes() {
    byte[] content = content();
    Random random = new Random(42);
    try (ZeroCopyBuffer v = create(content)) {
      for (int round = 0; round < 200; round++) {
        int from = random.nextInt(content.length + 1);
        int to = from + random.nextInt(content.length - from + 1);
        try (ZeroCopyBuffer s = v.slice(from, to)) {
          assertArrayEquals(
              Arrays.copyOfRange(content, from, to), s.toByteArray(), from + ".." + to);
          if (to - from > 2) {
            try (ZeroCopyBuffer inner = s.slice(1, to - from - 1)) {
              assertEquals(content[from + 1], inner.get(0));
              assertEquals(tenant(), inner.tenant());
            }
          }
        }
      }
      assertEquals(1, v.sharers());
    }
  }

  @Test
  public void everyDerivedViewHoldsItsOwnReference() {
    byte[] content = content();
    ZeroCopyBuffer v = create(content);
    ZeroCopyBuffer shared = v.share();
    ZeroCopyBuffer sliced = v.slice(1, 9);
    ZeroCopyBuffer retagged = v.retag(OTHER);
    ZeroCopyBuffer compacted = v.compact();
    v.close();
    assertEquals(content[content.length - 1], shared.get(content.length - 1));
    assertEquals(content[1], sliced.get(0));
    assertEquals(content[5], retagged.get(5));
    assertArrayEquals(content, compacted.toByteArray());
    shared.close();
    sliced.close();
    assertEquals(content[0], retagged.get(0), "the last view still reads");
    retagged.close();
    compacted.close();
  }

  @Test
  public void sharersCountsTheLiveViewsOfTheStorage() {
    try (ZeroCopyBuffer v = create(content())) {
      assertEquals(1, v.sharers(), "a fresh view");
      ZeroCopyBuffer s = v.share();
      assertEquals(2, v.sharers());
      assertEquals(2, s.sharers());
      s.close();
      assertEquals(1, v.sharers(), "back to 1 when either is closed");
    }
  }

  @Test
  public void closeIsIdempotent() {
    ZeroCopyBuffer v = create(content());
    ZeroCopyBuffer keep = v.share();
    assertFalse(v.isClosed());
    v.close();
    v.close();
    v.close();
    assertTrue(v.isClosed());
    assertFalse(keep.isClosed());
    assertEquals(1, keep.sharers(), "three closes released one reference");
    keep.close();
  }

  @Test
  public void compactCopiesIntoANewViewAndLeavesThisOneOpen() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content);
        ZeroCopyBuffer slice = v.slice(10, 20);
        ZeroCopyBuffer compacted = slice.compact()) {
      assertArrayEquals(Arrays.copyOfRange(content, 10, 20), compacted.toByteArray());
      assertEquals(KIND, compacted.kind());
      assertEquals(tenant(), compacted.tenant());
      assertFalse(slice.isClosed());
      assertEquals(1, compacted.sharers(), "its own storage");
    }
  }

  // ------------------------------------------------------------------ closed views

  @Test
  public void everyAccessThroughAClosedViewThrowsClosedBufferException() {
    ZeroCopyBuffer v = create(content());
    ZeroCopyBuffer keep = v.share();
    v.close();
    List<Consumer<ZeroCopyBuffer>> accesses =
        List.of(
            b -> b.get(0),
            b -> b.getBytes(0, new byte[4], 0, 4),
            b -> b.getBytes(0, new byte[0], 0, 0),
            ZeroCopyBuffer::share,
            b -> b.slice(0, 1),
            b -> b.retag(OTHER),
            ZeroCopyBuffer::asReadOnlyByteBuffer,
            ZeroCopyBuffer::asReadOnlyByteBuffers,
            ZeroCopyBuffer::toByteArray,
            ZeroCopyBuffer::sha256,
            ZeroCopyBuffer::compact,
            b -> b.unwrap(ByteBuffer[].class),
            b -> {
              try {
                b.writeTo(Channels.newChannel(new ByteArrayOutputStream()));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    for (Consumer<ZeroCopyBuffer> access : accesses) {
      ClosedBufferException e = assertThrows(ClosedBufferException.class, () -> access.accept(v));
      assertTrue(e instanceof IllegalStateException);
      assertTrue(e.getMessage().contains("closed"), "the message says so: " + e.getMessage());
    }
    assertEquals(1, keep.sharers(), "no refused access took a reference");
    keep.close();
  }

  @Test
  public void aClosedViewStillSaysWhatItIs() {
    byte[] content = content();
    ZeroCopyBuffer v = create(content);
    v.close();
    assertEquals(content.length, v.length());
    assertEquals(KIND, v.kind());
    assertEquals(tenant(), v.tenant());
    assertTrue(v.isClosed());
    assertTrue(v.toString().contains("closed"), v.toString());
  }

  @Test
  public void toStringNamesKindAndLengthButNoBytes() {
    try (ZeroCopyBuffer v = create(content())) {
      String s = v.toString();
      assertTrue(s.contains(KIND.toString()) && s.contains(String.valueOf(v.length())), s);
      tenant().ifPresent(t -> assertTrue(s.contains(t), s));
      assertTrue(s.length() < 200, "no bytes in toString: " + s);
    }
  }

  // ------------------------------------------------------------------ bulk reads

  @Test
  public void sha256CoversTheVisibleBytesOnly() throws NoSuchAlgorithmException {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content);
        ZeroCopyBuffer s = v.slice(5, content.length - 5)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      assertArrayEquals(md.digest(content), v.sha256());
      byte[] part = md.digest(Arrays.copyOfRange(content, 5, content.length - 5));
      assertArrayEquals(part, s.sha256());
      assertEquals(HexFormat.of().formatHex(part), s.sha256Hex());
    }
  }

  @Test
  public void writeToWritesEveryVisibleByteGatheringWhenThereAreSeveralPieces() throws IOException {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content)) {
      RecordingChannel gathering = new RecordingChannel();
      assertEquals(content.length, v.writeTo(gathering));
      assertArrayEquals(content, gathering.out.toByteArray());
      int pieces = v.asReadOnlyByteBuffers().size();
      if (pieces > 1) {
        assertEquals(
            pieces, gathering.firstGatheringLength, "one gathering write of every piece first");
      }
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      WritableByteChannel notGathering = Channels.newChannel(plain);
      assertEquals(content.length, v.writeTo(notGathering));
      assertArrayEquals(content, plain.toByteArray());
    }
  }

  @Test
  public void readOnlyByteBuffersShowTheVisibleBytesAndCannotWrite() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content);
        ZeroCopyBuffer s = v.slice(3, content.length - 1)) {
      for (ZeroCopyBuffer view : List.of(v, s)) {
        byte[] expected = view == v ? content : Arrays.copyOfRange(content, 3, content.length - 1);
        ByteBuffer one = view.asReadOnlyByteBuffer();
        assertTrue(one.isReadOnly());
        assertEquals(0, one.position());
        assertEquals(expected.length, one.limit());
        assertArrayEquals(expected, bytesOf(List.of(one)));
        List<ByteBuffer> pieces = view.asReadOnlyByteBuffers();
        assertTrue(pieces.stream().allMatch(ByteBuffer::isReadOnly));
        assertArrayEquals(expected, bytesOf(pieces));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> one.put(0, (byte) 1));
      }
    }
  }

  private static byte[] bytesOf(List<ByteBuffer> pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer p : pieces) {
      ByteBuffer d = p.duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ unwrap

  @Test
  public void unwrapOffersWhatCanUnwrapSaysAndRefusesTheRestSayingWhy() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content)) {
      int pieces = v.asReadOnlyByteBuffers().size();
      assertTrue(v.canUnwrap(ByteBuffer[].class));
      ByteBuffer[] array = v.unwrap(ByteBuffer[].class);
      assertEquals(pieces, array.length);
      assertArrayEquals(content, bytesOf(Arrays.asList(array)));
      assertTrue(Arrays.stream(array).allMatch(ByteBuffer::isReadOnly));
      assertEquals(pieces == 1, v.canUnwrap(ByteBuffer.class));
      if (pieces == 1) {
        ByteBuffer one = v.unwrap(ByteBuffer.class);
        assertTrue(one.isReadOnly());
        assertArrayEquals(content, bytesOf(List.of(one)));
      } else {
        UnsupportedOperationException e =
            assertThrows(UnsupportedOperationException.class, () -> v.unwrap(ByteBuffer.class));
        assertTrue(e.getMessage().contains("ByteBuffer[]"), e.getMessage());
      }
      assertFalse(v.canUnwrap(String.class));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> v.unwrap(String.class));
      assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
      assertThrows(NullPointerException.class, () -> v.unwrap(null));
    }
  }

  // ------------------------------------------------------------------ tenant

  @Test
  public void theTenantPropagatesToEveryDerivedView() {
    byte[] content = content();
    try (ZeroCopyBuffer v = create(content)) {
      int n = content.length;
      List<ZeroCopyBuffer> derived = new ArrayList<>();
      try {
        derived.add(v.share());
        derived.add(v.retag(OTHER));
        derived.add(v.compact());
        for (int from = 0; from < n; from += Math.max(1, n / 50)) {
          derived.add(v.slice(from, Math.min(n, from + 1)));
          derived.add(v.slice(from, n));
        }
        for (ZeroCopyBuffer d : derived) {
          assertEquals(tenant(), d.tenant(), d.toString());
        }
      } finally {
        derived.forEach(ZeroCopyBuffer::close);
      }
    }
  }

  // ------------------------------------------------------------------ threads

  @Test
  public void viewsClosedOnSeveralThreadsAtOnceReleaseTheStorageOnce() throws Exception {
    int threads = 4;
    ExecutorService exec = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        ZeroCopyBuffer root = create(content());
        List<ZeroCopyBuffer> views = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          views.add(i % 2 == 0 ? root.share() : root.slice(1, 9));
        }
        ZeroCopyBuffer sameForAll = root.share();
        root.close();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        for (ZeroCopyBuffer v : views) {
          done.add(
              exec.submit(
                  () -> {
                    start.await();
                    v.close();
                    sameForAll.close();
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertTrue(sameForAll.isClosed());
        assertEquals(liveBefore, liveBytes(), "round " + round);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  /** A gathering channel that records its first gathering write and what it was given. */
  private static final class RecordingChannel implements GatheringByteChannel {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int firstGatheringLength = -1;

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      if (firstGatheringLength < 0) {
        firstGatheringLength = length;
      }
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      out.writeBytes(b);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
