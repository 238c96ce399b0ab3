package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.thirdparty.ThirdPartyTranscoder;
import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.spi.Priority;
import io.axon.buffer.transcodertest.TestTranscoders;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscodersTest {

  @TempDir Path tmp;

  final HeapTestBuffer.Tracker tracker = new HeapTestBuffer.Tracker();

  /** Transcoders under test never allocate: they must not touch it. */
  static final BufferAllocator NO_ALLOCATOR =
      new BufferAllocator() {
        @Override
        public BufferMut acquire(int capacityHint) {
          throw new AssertionError("the test transcoders do not allocate");
        }

        @Override
        public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {

          throw new AssertionError("the test transcoders do not adopt");
        }

        @Override
        public Optional<String> tenant() {
          return Optional.empty();
        }
      };

  static BufferKind k(String letter) {
    return BufferKind.of("t-" + letter);
  }

  @BeforeEach
  void makeTrackedOutputs() {
    TestTranscoders.maker = tracker::wrap;
  }

  URLClassLoader servicesLoader(String... classes) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "cl");
    Path services = dir.resolve("META-INF/services/" + BufferTranscoder.class.getName());
    Files.createDirectories(services.getParent());
    Files.write(services, List.of(classes), StandardCharsets.UTF_8);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  Transcoders loading(Class<?>... classes) throws IOException {
    String[] names = new String[classes.length];
    for (int i = 0; i < classes.length; i++) {
      names[i] = classes[i].getName();
    }
    return Transcoders.loading(servicesLoader(names));
  }

  Transcoders all() throws IOException {
    return loading(
        TestTranscoders.AB.class,
        TestTranscoders.BC.class,
        TestTranscoders.AD.class,
        TestTranscoders.DC.class,
        TestTranscoders.CE.class,
        TestTranscoders.BE.class,
        TestTranscoders.BFails.class,
        TestTranscoders.GToHWrongTag.class);
  }

  static List<String> pairs(List<BufferTranscoder> chain) {
    return chain.stream().map(t -> t.from() + ">" + t.to()).collect(Collectors.toList());
  }

  @Test
  void pathIsTheShortestChainWithTiesBrokenBySlug() throws IOException {
    Transcoders t = all();
    assertEquals(
        List.of("t-a>t-b", "t-b>t-e"),
        pairs(t.path(k("a"), k("e")).orElseThrow()),
        "a>b>e beats a>b>c>e");
    assertEquals(
        List.of("t-a>t-b", "t-b>t-c"),
        pairs(t.path(k("a"), k("c")).orElseThrow()),
        "a>b>c and a>d>c are as short; b comes before d");
    assertEquals(List.of("t-d>t-c"), pairs(t.path(k("d"), k("c")).orElseThrow()));
    assertEquals(List.of(), t.path(k("a"), k("a")).orElseThrow());
    assertEquals(Optional.empty(), t.path(k("e"), k("a")));
    assertTrue(t.canTranscode(k("a"), k("f")));
    assertFalse(t.canTranscode(k("c"), k("b")));
    assertTrue(t.direct(k("a"), k("d")).isPresent());
    assertFalse(t.direct(k("a"), k("c")).isPresent());
    assertEquals(List.of(), t.problems());
  }

  @Test
  void transcodeRunsTheChainAndClosesEveryIntermediate() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(k("a"), "a".getBytes(StandardCharsets.US_ASCII))) {
      try (ZeroCopyBuffer out = t.transcode(input, k("e"), TranscodeOptions.none(), NO_ALLOCATOR)) {
        assertEquals("abe", new String(out.toByteArray(), StandardCharsets.US_ASCII));
        assertEquals(k("e"), out.kind());
        assertFalse(input.isClosed(), "the input is borrowed");
        assertEquals(2, tracker.open(), "input and result only: the t-b intermediate is closed");
      }
    }
    assertEquals(0, tracker.open());
  }

  @Test
  void aFailingStepClosesTheIntermediatesAndLeavesTheInputOpen() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(k("a"), new byte[] {'a'})) {
      MalformedContentException e =
          assertThrows(
              MalformedContentException.class,
              () -> t.transcode(input, k("f"), TranscodeOptions.none(), NO_ALLOCATOR));
      assertTrue(e.getMessage().contains("never good enough"));
      assertFalse(input.isClosed());
      assertEquals(1, tracker.open(), "only the input is open");
    }
    assertEquals(0, tracker.open());
  }

  @Test
  void noPathIsATypedErrorNamingBothKinds() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(k("e"), new byte[] {'e'})) {
      NoTranscoderPathException e =
          assertThrows(
              NoTranscoderPathException.class,
              () -> t.transcode(input, k("a"), TranscodeOptions.none(), NO_ALLOCATOR));
      assertEquals(k("e"), e.from());
      assertEquals(k("a"), e.to());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "no transcoder chain from t-e to t-a; known conversions: "
                      + "t-a->t-b, t-a->t-d"),
          e.getMessage());
      assertEquals(1, tracker.open());
    }
    NoTranscoderPathException none =
        assertThrows(
            NoTranscoderPathException.class,
            () ->
                Transcoders.empty()
                    .transcode(
                        tracker.wrap(k("a"), new byte[0]),
                        k("b"),
                        TranscodeOptions.none(),
                        NO_ALLOCATOR));
    assertTrue(none.getMessage().endsWith("known conversions: none"), none.getMessage());
  }

  @Test
  void theSameKindGivesANewViewAndAnExplicitSourceKindOverridesTheTag() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(BufferKind.raw(), new byte[] {'a'})) {
      try (ZeroCopyBuffer same =
          t.transcode(input, BufferKind.raw(), TranscodeOptions.none(), NO_ALLOCATOR)) {
        assertEquals(BufferKind.raw(), same.kind());
        assertEquals(2, tracker.open());
      }
      try (ZeroCopyBuffer out =
          t.transcode(input, k("a"), k("b"), TranscodeOptions.none(), NO_ALLOCATOR)) {
        assertEquals("ab", new String(out.toByteArray(), StandardCharsets.US_ASCII));
        assertEquals(2, tracker.open(), "the retagged view of the input was closed");
      }
      try (ZeroCopyBuffer retagged =
          t.transcode(input, k("a"), k("a"), TranscodeOptions.none(), NO_ALLOCATOR)) {
        assertEquals(k("a"), retagged.kind());
      }
    }
    assertEquals(0, tracker.open());
  }

  @Test
  void rateStepsJoinAChainOnlyWhenTheOptionsAskForATargetRate() throws IOException {
    Transcoders t =
        loading(
            TestTranscoders.AB.class,
            TestTranscoders.BC.class,
            TestTranscoders.BE.class,
            TestTranscoders.BRate.class);
    TranscodeOptions toRate = TranscodeOptions.none().withTargetRate(16000);
    assertEquals(List.of("t-a>t-b", "t-b>t-e"), pairs(t.path(k("a"), k("e")).orElseThrow()));
    assertEquals(List.of(), t.path(k("b"), k("b")).orElseThrow(), "no target rate: no step");
    assertEquals(
        List.of("t-a>t-b", "t-b>t-b", "t-b>t-e"),
        pairs(t.path(k("a"), k("e"), toRate).orElseThrow()));
    assertEquals(List.of("t-b>t-b"), pairs(t.path(k("b"), k("b"), toRate).orElseThrow()));
    assertEquals(
        Optional.empty(), t.path(k("e"), k("e"), toRate), "no kind on the way has a rate step");
    assertTrue(t.direct(k("b"), k("b")).isPresent());
    assertEquals(4, t.transcoders().size());
    assertEquals(List.of(), t.problems());
  }

  @Test
  void theStepsAfterTheRateStepSeeTheTargetRate() throws IOException {
    Transcoders t =
        loading(TestTranscoders.AB.class, TestTranscoders.BE.class, TestTranscoders.BRate.class);
    TranscodeOptions options = TranscodeOptions.none().withRate(8000).withTargetRate(16000);
    try (HeapTestBuffer input = tracker.wrap(k("a"), new byte[] {'a'});
        ZeroCopyBuffer out = t.transcode(input, k("e"), options, NO_ALLOCATOR)) {
      assertEquals(
          "ab@8000~16000e@16000", new String(out.toByteArray(), StandardCharsets.US_ASCII));
      assertEquals(k("e"), out.kind());
      assertEquals(2, tracker.open(), "input and result only");
    }
    assertEquals(0, tracker.open());
  }

  @Test
  void amongEqualChainsTheEarlierRateStepWins() throws IOException {
    Transcoders t =
        loading(
            TestTranscoders.AB.class,
            TestTranscoders.BE.class,
            TestTranscoders.ERate.class,
            TestTranscoders.BRate.class);
    TranscodeOptions toRate = TranscodeOptions.none().withTargetRate(24000);
    assertEquals(
        List.of("t-a>t-b", "t-b>t-b", "t-b>t-e"),
        pairs(t.path(k("a"), k("e"), toRate).orElseThrow()),
        "a>b>b>e and a>b>e>e are as long; the rate changes before the later steps");
    assertEquals(List.of("t-e>t-e"), pairs(t.path(k("e"), k("e"), toRate).orElseThrow()));
  }

  @Test
  void aTargetRateWithoutARateStepIsNoPath() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(k("a"), new byte[] {'a'})) {
      NoTranscoderPathException e =
          assertThrows(
              NoTranscoderPathException.class,
              () ->
                  t.transcode(
                      input, k("e"), TranscodeOptions.none().withTargetRate(16000), NO_ALLOCATOR));
      assertTrue(e.getMessage().contains("rate step"), e.getMessage());
      assertEquals(1, tracker.open());
    }
  }

  @Test
  void aResultWithTheWrongTagIsRetaggedAndTheOriginalClosed() throws IOException {
    Transcoders t = all();
    try (HeapTestBuffer input = tracker.wrap(k("g"), new byte[] {'g'});
        ZeroCopyBuffer out = t.transcode(input, k("h"), TranscodeOptions.none(), NO_ALLOCATOR)) {
      assertEquals(k("h"), out.kind());
      assertEquals(2, tracker.open());
    }
    assertEquals(0, tracker.open());
  }

  @Test
  void brokenTranscodersAreSkippedAndReportedAndTheRestLoad() throws IOException {
    URLClassLoader loader =
        servicesLoader(
            TestTranscoders.ThrowsInConstructor.class.getName(),
            "io.axon.buffer.transcodertest.DoesNotExist",
            TestTranscoders.NotATranscoder.class.getName(),
            TestTranscoders.AB.class.getName(),
            TestTranscoders.ThrowsInFrom.class.getName(),
            TestTranscoders.NullTo.class.getName(),
            TestTranscoders.Itself.class.getName(),
            TestTranscoders.ThrowsInPriority.class.getName(),
            TestTranscoders.BC.class.getName());
    Transcoders t = Transcoders.empty();
    LoadResult result = t.load(loader);
    assertEquals(
        List.of(
            TestTranscoders.AB.class.getName(),
            TestTranscoders.Itself.class.getName(),
            TestTranscoders.BC.class.getName()),
        result.added(),
        "a transcoder from a kind to itself is a rate step, not a fault");
    assertEquals(6, result.problems().size(), result.problems().toString());
    String problems = t.problems().toString();
    for (String expected :
        List.of(
            "ThrowsInConstructor",
            "DoesNotExist",
            "NotATranscoder",
            "from is broken",
            "returned null",
            "priority is broken")) {
      assertTrue(problems.contains(expected), expected + " not in " + problems);
    }
    assertEquals(List.of("t-a>t-b", "t-b>t-c"), pairs(t.path(k("a"), k("c")).orElseThrow()));
    assertEquals(List.of(), t.load(loader).added(), "loaded once, de-duplicated by class");
  }

  @Test
  void twoTranscodersForOnePairHaveADeterministicWinnerAndTheConflictIsReported()
      throws IOException {
    Transcoders t =
        loading(ThirdPartyTranscoder.class, TestTranscoders.AB2.class, TestTranscoders.AB.class);
    BufferTranscoder winner = t.direct(k("a"), k("b")).orElseThrow();
    assertSame(
        TestTranscoders.AB.class,
        winner.getClass(),
        "the higher priority first, then the class name");
    List<RegistryProblem> conflicts =
        t.problems().stream()
            .filter(p -> p.type() == RegistryProblem.Type.TRANSCODER_CONFLICT)
            .collect(Collectors.toList());
    assertEquals(1, conflicts.size());
    assertEquals("t-a->t-b", conflicts.get(0).source());
    assertTrue(conflicts.get(0).message().endsWith(TestTranscoders.AB.class.getName() + " wins"));
    assertEquals(1, t.transcoders().size());
  }

  @Test
  void aPackageNameGivesNoPrecedenceAndAHigherPriorityWins() throws IOException {
    // Both at the default priority: the class name decides, not the io.axon.buffer. package.
    Transcoders t = loading(TestTranscoders.AB2.class, ThirdPartyTranscoder.class);
    assertSame(ThirdPartyTranscoder.class, t.direct(k("a"), k("b")).orElseThrow().getClass());
    Transcoders withBuiltIn =
        loading(TestTranscoders.AB2.class, ThirdPartyTranscoder.class, TestTranscoders.AB.class);
    assertSame(
        TestTranscoders.AB.class, withBuiltIn.direct(k("a"), k("b")).orElseThrow().getClass());
  }

  @Test
  void aTranscoderThatTakesABuiltInsPairIsReported() throws IOException {
    Transcoders t = loading(TestTranscoders.AB.class);
    BufferTranscoder override =
        new TestTranscoders.Appending("a", "b") {
          @Override
          public int priority() {
            return Priority.BUILT_IN + 1;
          }
        };
    t.register(override);
    assertSame(override, t.direct(k("a"), k("b")).orElseThrow());
    List<RegistryProblem> problems = t.problems();
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(RegistryProblem.Type.BUILT_IN_OVERRIDDEN, problems.get(0).type());
    assertEquals("t-a->t-b", problems.get(0).source());
    assertTrue(
        problems
            .get(0)
            .message()
            .contains("from the built-in " + TestTranscoders.AB.class.getName()),
        problems.get(0).message());
  }

  @Test
  void manyThreadsTranscodeWhileAnotherRegisters() throws Exception {
    Transcoders t = loading(TestTranscoders.AB.class, TestTranscoders.BC.class);
    int readers = 4;
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      Thread reader =
          new Thread(
              () -> {
                try {
                  start.await();
                  while (!stop.get()) {
                    try (ZeroCopyBuffer in = tracker.wrap(k("a"), new byte[] {'a'});
                        ZeroCopyBuffer out =
                            t.transcode(in, k("c"), TranscodeOptions.none(), NO_ALLOCATOR)) {
                      if (!new String(out.toByteArray(), StandardCharsets.US_ASCII).equals("abc")) {
                        throw new AssertionError("unexpected chain");
                      }
                    }
                    runs.incrementAndGet();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      reader.start();
      threads.add(reader);
    }
    start.countDown();
    for (int i = 0; i < 100; i++) {
      String from = "z" + i;
      t.register(new TestTranscoders.Appending(from, "z" + (i + 1)) {});
    }
    while (runs.get() < 5_000 && failures.isEmpty()) {
      Thread.onSpinWait();
    }
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    assertTrue(failures.isEmpty(), () -> failures.peek().toString());
    assertEquals(0, tracker.open());
    assertEquals(100, t.path(k("z0"), k("z100")).orElseThrow().size());
  }

  @Test
  void globalIsOneInstance() {
    assertSame(Transcoders.global(), Transcoders.global());
  }
}
