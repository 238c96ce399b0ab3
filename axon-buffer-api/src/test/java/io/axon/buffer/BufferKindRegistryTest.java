package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.thirdparty.ThirdPartyProviders;
import io.axon.buffer.registrytest.TestProviders;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.spi.Priority;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferKindRegistryTest {

  private static final BufferKind ALPHA = BufferKind.of("alpha");
  private static final BufferKind BETA = BufferKind.of("beta");

  @TempDir Path tmp;

  /** A class loader whose only services file lists {@code providers}, one per line. */
  static URLClassLoader servicesLoader(Path dir, String... providers) throws IOException {
    Path services = dir.resolve("META-INF/services/" + BufferKindProvider.class.getName());
    Files.createDirectories(services.getParent());
    Files.write(services, List.of(providers), StandardCharsets.UTF_8);
    return new URLClassLoader(
        new URL[] {dir.toUri().toURL()}, BufferKindRegistryTest.class.getClassLoader());
  }

  private static String name(Class<?> type) {
    return type.getName();
  }

  private BufferKindRegistry registryWith(Class<?>... providers) throws IOException {
    String[] names = new String[providers.length];
    for (int i = 0; i < providers.length; i++) {
      names[i] = name(providers[i]);
    }
    return BufferKindRegistry.loading(servicesLoader(Files.createTempDirectory(tmp, "cl"), names));
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static List<RegistryProblem> problemsOf(BufferKindRegistry r, RegistryProblem.Type type) {
    return r.problems().stream().filter(p -> p.type() == type).collect(Collectors.toList());
  }

  // ------------------------------------------------------------ discovery and isolation

  @Test
  void emptyRegistryKnowsRawOnly() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    assertEquals(List.of(BufferKind.raw()), r.kinds());
    assertEquals(
        BufferKindRegistry.BUILT_IN, r.registration(BufferKind.raw()).orElseThrow().provider());
    assertEquals(BufferKind.raw(), r.byMediaType("application/octet-stream").orElseThrow().kind());
    assertTrue(r.problems().isEmpty());
  }

  @Test
  void brokenProvidersAreSkippedAndReportedWhileTheRestLoad() throws IOException {
    URLClassLoader loader =
        servicesLoader(
            tmp,
            "# a comment line, ignored",
            name(TestProviders.ThrowingConstructor.class),
            "org.nowhere.MissingProvider",
            name(TestProviders.NotAProvider.class),
            name(TestProviders.Good.class),
            name(TestProviders.ThrowingKinds.class),
            name(TestProviders.InvalidDescriptor.class),
            name(TestProviders.NullKinds.class),
            name(TestProviders.Sloppy.class));
    BufferKindRegistry r = BufferKindRegistry.loading(loader);

    assertTrue(r.descriptor(ALPHA).isPresent(), "the good provider still loads");
    assertTrue(r.descriptor(BETA).isPresent());
    assertTrue(r.descriptor("delta").isPresent(), "a sloppy provider's valid kind loads");
    assertEquals("Delta, first", r.descriptor("delta").orElseThrow().description());
    assertFalse(r.descriptor("gamma").isPresent());

    List<RegistryProblem> failed = problemsOf(r, RegistryProblem.Type.PROVIDER_FAILED);
    assertProblem(
        failed, name(TestProviders.ThrowingConstructor.class), "could not be instantiated");
    assertProblem(failed, "org.nowhere.MissingProvider", "not found");
    assertProblem(failed, name(TestProviders.NotAProvider.class), "not a subtype");
    assertProblem(
        failed,
        name(TestProviders.ThrowingKinds.class),
        "kinds() of ThrowingKinds fails on purpose");
    assertProblem(failed, name(TestProviders.InvalidDescriptor.class), "\"not a type\"");
    assertProblem(failed, name(TestProviders.NullKinds.class), "returned null");
    List<RegistryProblem> invalid = problemsOf(r, RegistryProblem.Type.INVALID_DESCRIPTOR);
    assertProblem(invalid, name(TestProviders.Sloppy.class), "null descriptor");
    assertProblem(invalid, name(TestProviders.Sloppy.class), "declares kind \"delta\" twice");
  }

  private static void assertProblem(List<RegistryProblem> problems, String source, String text) {
    assertTrue(
        problems.stream().anyMatch(p -> p.source().equals(source) && p.toString().contains(text)),
        "no problem from " + source + " mentioning '" + text + "' in " + problems);
  }

  @Test
  void providersAreDeduplicatedByClassAcrossParentAndChildLoaders() throws IOException {
    URLClassLoader parent =
        servicesLoader(Files.createTempDirectory(tmp, "parent"), name(TestProviders.Good.class));
    Path childDir = Files.createTempDirectory(tmp, "child");
    Path services = childDir.resolve("META-INF/services/" + BufferKindProvider.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, name(TestProviders.SecondAlpha.class) + "\n");
    URLClassLoader child = new URLClassLoader(new URL[] {childDir.toUri().toURL()}, parent);

    BufferKindRegistry r = BufferKindRegistry.empty();
    assertEquals(List.of(name(TestProviders.Good.class)), r.load(parent).added());
    LoadResult second = r.load(child);
    assertEquals(
        List.of(name(TestProviders.SecondAlpha.class)),
        second.added(),
        "the child sees Good through its parent, but Good is not loaded twice");
    assertTrue(second.problems().isEmpty(), second.problems().toString());
    assertEquals(
        1,
        problemsOf(r, RegistryProblem.Type.SLUG_CONFLICT).size(),
        "alpha is declared by Good and SecondAlpha, once each: " + r.problems());
    assertTrue(r.load(child).added().isEmpty(), "loading again adds nothing");
  }

  @Test
  void aSecondClassWithALoadedProvidersNameIsSkippedAndReported() throws Exception {
    // Same class name, defined again by a loader that does not delegate to ours.
    Path classes = JavaSources.classesDirOf(TestProviders.class);
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    Path dir = Files.createTempDirectory(tmp, "isolated");
    Path services = dir.resolve("META-INF/services/" + BufferKindProvider.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, name(TestProviders.Good.class) + "\n");
    ClassLoader apiOnly = BufferKindProvider.class.getClassLoader();
    try (URLClassLoader isolated =
        new ChildFirstLoader(new URL[] {dir.toUri().toURL(), classes.toUri().toURL()}, apiOnly)) {
      LoadResult result = r.load(isolated);
      assertTrue(result.added().isEmpty());
      assertEquals(1, result.problems().size(), result.problems().toString());
      assertEquals(RegistryProblem.Type.DUPLICATE_PROVIDER, result.problems().get(0).type());
    }
  }

  /** Loads test classes itself instead of asking its parent, so they become distinct classes. */
  static final class ChildFirstLoader extends URLClassLoader {
    ChildFirstLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("io.axon.buffer.registrytest.")) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : findClass(name);
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  // ------------------------------------------------------------ conflicts

  @Test
  void aBuiltInPriorityBeatsAPluginAtTheDefaultAndTheConflictIsReported() throws IOException {
    BufferKindRegistry r =
        registryWith(ThirdPartyProviders.AlphaClone.class, TestProviders.Good.class);
    KindRegistration alpha = r.registration(ALPHA).orElseThrow();
    assertEquals(name(TestProviders.Good.class), alpha.provider());
    assertEquals("Alpha test content", alpha.descriptor().description());
    List<RegistryProblem> conflicts = problemsOf(r, RegistryProblem.Type.SLUG_CONFLICT);
    assertEquals(1, conflicts.size());
    assertTrue(conflicts.get(0).message().contains(name(ThirdPartyProviders.AlphaClone.class)));
    assertTrue(conflicts.get(0).message().endsWith(name(TestProviders.Good.class) + " wins"));

    // alfa (third party) and alpha (built-in) both claim application/x-alpha and .alpha
    assertEquals(ALPHA, r.byMediaType("application/x-alpha").orElseThrow().kind());
    assertEquals(
        List.of(ALPHA, BufferKind.of("alfa")),
        r.byExtension("alpha").stream().map(KindDescriptor::kind).collect(Collectors.toList()));
    assertEquals(1, problemsOf(r, RegistryProblem.Type.MEDIA_TYPE_CONFLICT).size());
    assertEquals(
        1,
        problemsOf(r, RegistryProblem.Type.EXTENSION_CONFLICT).stream()
            .filter(p -> p.source().equals(".alpha"))
            .count());

    // the losing third-party sniffer (which claims everything) is not consulted
    assertEquals(BufferKind.raw(), r.detect(ascii("plain bytes")).kind());
  }

  @Test
  void higherPriorityWinsWhateverTheOriginAndATakenBuiltInIsReported() throws IOException {
    BufferKindRegistry r =
        registryWith(TestProviders.Good.class, ThirdPartyProviders.AlphaOverride.class);
    assertEquals(
        name(ThirdPartyProviders.AlphaOverride.class),
        r.registration(ALPHA).orElseThrow().provider());
    assertEquals(Priority.BUILT_IN + 1, r.descriptor(ALPHA).orElseThrow().priority());
    assertTrue(
        problemsOf(r, RegistryProblem.Type.SLUG_CONFLICT).isEmpty(), r.problems().toString());
    List<RegistryProblem> taken = problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN);
    assertEquals(List.of("alpha"), sources(taken));
    assertTrue(
        taken
            .get(0)
            .message()
            .contains(
                "takes the slug from the built-in kind \"alpha\" of "
                    + name(TestProviders.Good.class)),
        taken.get(0).message());
  }

  private static List<String> sources(List<RegistryProblem> problems) {
    return problems.stream().map(RegistryProblem::source).collect(Collectors.toList());
  }

  @Test
  void aThirdPartyKindThatTakesABuiltInsFilesIsReported() throws IOException {
    BufferKindRegistry r =
        registryWith(TestProviders.Good.class, ThirdPartyProviders.AlphaSquatter.class);
    KindDescriptor squat = r.descriptor("squat").orElseThrow();
    assertEquals(squat.kind(), r.byMediaType("application/x-alpha").orElseThrow().kind());
    assertEquals(squat.kind(), r.byExtension("al").get(0).kind());
    assertEquals(ALPHA, r.byMediaType("application/alpha").orElseThrow().kind(), "not claimed");
    List<RegistryProblem> taken = problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN);
    assertEquals(List.of("application/x-alpha", ".al"), sources(taken));
    for (RegistryProblem p : taken) {
      assertTrue(
          p.message()
              .contains("kind \"squat\" of " + name(ThirdPartyProviders.AlphaSquatter.class)),
          p.message());
      assertTrue(p.message().contains("from the built-in kind \"alpha\""), p.message());
    }
    assertTrue(problemsOf(r, RegistryProblem.Type.MEDIA_TYPE_CONFLICT).isEmpty());
    assertEquals(
        List.of(".txt"), // beta and headless, of one provider: a plain conflict
        sources(problemsOf(r, RegistryProblem.Type.EXTENSION_CONFLICT)));

    // At the default priority the same claims lose, as plain conflicts (AlphaClone's test).
    BufferKindRegistry lost =
        registryWith(TestProviders.Good.class, ThirdPartyProviders.AlphaClone.class);
    assertTrue(problemsOf(lost, RegistryProblem.Type.BUILT_IN_OVERRIDDEN).isEmpty());
  }

  @Test
  void atEqualPriorityTheLowerClassNameWinsWhateverTheLoadOrderAndThePackage() throws IOException {
    // Both at the default priority: io.axon.buffer.registrytest.ImpostorAlpha is not "ours" for
    // its package, so com.example's AlphaClone wins on the class name, loaded first or last.
    for (BufferKindRegistry r :
        List.of(
            registryWith(TestProviders.ImpostorAlpha.class, ThirdPartyProviders.AlphaClone.class),
            registryWith(
                ThirdPartyProviders.AlphaClone.class, TestProviders.ImpostorAlpha.class))) {
      String clone = name(ThirdPartyProviders.AlphaClone.class);
      assertEquals(clone, r.registration(ALPHA).orElseThrow().provider());
      KindDescriptor byType = r.byMediaType("application/x-alpha").orElseThrow();
      assertEquals(clone, r.registration(byType.kind()).orElseThrow().provider());
      assertTrue(problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN).isEmpty());
    }
  }

  @Test
  void codeRegistrationReplacesAnEarlierCodeRegistrationOfTheSameSlug() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(KindDescriptor.builder("zeta").description("first").build());
    KindRegistration second =
        r.register(KindDescriptor.builder("zeta").description("second").build());
    assertEquals("second", second.descriptor().description());
    assertEquals(BufferKindRegistry.REGISTERED, second.provider());
    assertTrue(problemsOf(r, RegistryProblem.Type.SLUG_CONFLICT).isEmpty());
  }

  @Test
  void codeRegistrationLosesToABuiltInAndWinsWithAHigherPriority() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    KindRegistration kept = r.register(KindDescriptor.builder("alpha").description("mine").build());
    assertEquals(name(TestProviders.Good.class), kept.provider());
    KindRegistration mine =
        r.register(
            KindDescriptor.builder("alpha")
                .description("mine")
                .priority(Priority.BUILT_IN + 1)
                .build());
    assertEquals("mine", mine.descriptor().description());
  }

  // ------------------------------------------------------------ lookups

  @Test
  void looksUpBySlugMediaTypeAndExtension() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    assertEquals(List.of(ALPHA, BETA, BufferKind.of("headless"), BufferKind.raw()), r.kinds());
    assertEquals(ALPHA, r.descriptor("alpha").orElseThrow().kind());
    assertTrue(r.descriptor("nobody-declared-this").isEmpty());
    assertTrue(r.descriptor("Not A Slug").isEmpty());

    assertEquals(ALPHA, r.byMediaType("APPLICATION/X-Alpha").orElseThrow().kind());
    assertEquals(ALPHA, r.byMediaType("application/alpha; charset=utf-8").orElseThrow().kind());
    assertEquals(ALPHA, r.byMediaType("  application/x-alpha ;q=1").orElseThrow().kind());
    assertEquals(ALPHA, r.byMediaType("application/x-alpha; name=\"a;b/c\"").orElseThrow().kind());
    assertTrue(r.byMediaType("application/beta").isEmpty());
    assertTrue(r.byMediaType(null).isEmpty());
    // Parsed as a MediaType: text that is not one claims no kind, whatever its first word.
    assertTrue(r.byMediaType("application/x-alpha; name=a b").isEmpty());
    assertTrue(r.byMediaType("application/x-alpha/extra").isEmpty());

    assertEquals(ALPHA, r.byExtension("ALPHA").get(0).kind());
    assertEquals(ALPHA, r.byExtension(".al").get(0).kind());
    assertEquals(ALPHA, r.byFileName("dir/sub.dir/File.Al").get(0).kind());
    assertTrue(r.byFileName("no-extension").isEmpty());
    assertTrue(r.byFileName(".hidden").isEmpty());
    assertTrue(r.byExtension("zzz").isEmpty());
  }

  @Test
  void anExtensionMayMapToSeveralKindsRanked() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    // beta lists txt second, headless lists it second: equal rank so far, then provider, then slug
    assertEquals(
        List.of(BETA, BufferKind.of("headless")),
        r.byExtension("txt").stream().map(KindDescriptor::kind).collect(Collectors.toList()));
  }

  // ------------------------------------------------------------ detection

  @Test
  void detectReturnsTheHighestScoreAndRawWhenNothingMatches() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    assertEquals(
        new Detection(ALPHA, 100, Detection.Basis.CONTENT), r.detect(ascii("ALPHA and more")));
    assertEquals(
        new Detection(BETA, 30, Detection.Basis.CONTENT), r.detect(ascii("b is for beta")));
    assertEquals(
        new Detection(BufferKind.raw(), 0, Detection.Basis.NOTHING), r.detect(ascii("zzz")));
    assertEquals(BufferKind.raw(), r.detect(ByteBuffer.allocate(0)).kind());
  }

  @Test
  void tiesGoToTheLowerSlug() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(KindDescriptor.builder("tie-b").description("b").sniffer(h -> 70).build());
    r.register(KindDescriptor.builder("tie-a").description("a").sniffer(h -> 70).build());
    r.register(KindDescriptor.builder("tie-c").description("c").sniffer(h -> 70).build());
    for (int i = 0; i < 10; i++) {
      assertEquals(BufferKind.of("tie-a"), r.detect(ascii("anything")).kind());
    }
  }

  @Test
  void aSnifferThatScoresOnEverythingNeverWinsATieWithABuiltInSignature() throws IOException {
    BufferKindRegistry r =
        registryWith(TestProviders.Good.class, ThirdPartyProviders.ScoresOnEverything.class);
    BufferKind aardvark = BufferKind.of("aardvark"); // sorts before alpha: slug order would pick it
    for (int i = 0; i < 3; i++) {
      assertEquals(
          new Detection(ALPHA, 100, Detection.Basis.CONTENT), r.detect(ascii("ALPHA and more")));
    }
    assertTrue(problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN).isEmpty(), "a tie, lost");
    // Against a built-in heuristic (beta, 30) it wins, as a dialect plugin would: not reported.
    assertEquals(aardvark, r.detect(ascii("b is for beta")).kind());
    assertEquals(aardvark, r.detect(ascii("zzz")).kind());
    assertTrue(problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN).isEmpty());

    // Against a built-in partial signature (60) it wins on score, and that takeover is reported
    // once, naming both kinds and scores.
    r.register(
        KindDescriptor.builder("partial")
            .description("a built-in with a partial signature")
            .priority(Priority.BUILT_IN)
            .sniffer(h -> TestProviders.startsWith(h, "PART") ? 60 : 0)
            .build());
    for (int i = 0; i < 3; i++) {
      assertEquals(aardvark, r.detect(ascii("PART of something")).kind());
    }
    List<RegistryProblem> taken = problemsOf(r, RegistryProblem.Type.BUILT_IN_OVERRIDDEN);
    assertEquals(1, taken.size(), taken.toString());
    assertEquals(name(ThirdPartyProviders.ScoresOnEverything.class), taken.get(0).source());
    assertTrue(
        taken
            .get(0)
            .message()
            .contains(
                "kind \"aardvark\" (priority 0) took content that the"
                    + " built-in kind \"partial\" recognises by its signature (score 100 against 60)"),
        taken.get(0).message());
  }

  @Test
  void equalScoresGoToTheHigherPriorityThenTheLowerSlug() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(KindDescriptor.builder("tie-a").description("a").sniffer(h -> 70).build());
    r.register(
        KindDescriptor.builder("tie-z").description("z").priority(3).sniffer(h -> 70).build());
    r.register(
        KindDescriptor.builder("tie-y").description("y").priority(3).sniffer(h -> 70).build());
    assertEquals(BufferKind.of("tie-y"), r.detect(ascii("anything")).kind());
    r.register(
        KindDescriptor.builder("tie-b").description("b").priority(4).sniffer(h -> 69).build());
    assertEquals(BufferKind.of("tie-y"), r.detect(ascii("anything")).kind(), "score first");
  }

  @Test
  void scoresAreClampedToZeroToHundred() {
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(KindDescriptor.builder("over").description("o").sniffer(h -> 1000).build());
    assertEquals(100, r.detect(ascii("x")).score());
    BufferKindRegistry neg = BufferKindRegistry.empty();
    neg.register(KindDescriptor.builder("under").description("u").sniffer(h -> -5).build());
    assertEquals(BufferKind.raw(), neg.detect(ascii("x")).kind());
  }

  @Test
  void aThrowingSnifferCountsAsZeroAndIsReportedOnce() throws IOException {
    BufferKindRegistry r =
        registryWith(TestProviders.Good.class, TestProviders.ThrowingSniffer.class);
    int before = TestProviders.ThrowingSniffer.CALLS.get();
    for (int i = 0; i < 5; i++) {
      assertEquals(ALPHA, r.detect(ascii("ALPHA")).kind());
    }
    assertEquals(before + 5, TestProviders.ThrowingSniffer.CALLS.get(), "the sniffer still runs");
    List<RegistryProblem> failed = problemsOf(r, RegistryProblem.Type.SNIFFER_FAILED);
    assertEquals(1, failed.size(), failed.toString());
    assertTrue(failed.get(0).message().contains("epsilon"));
    assertTrue(failed.get(0).exception().orElseThrow() instanceof ArrayIndexOutOfBoundsException);
  }

  @Test
  void sniffersSeeAReadOnlyHeadOfAtMostEightKibAndTheContentIsNotMoved() {
    List<Integer> seen = new ArrayList<>();
    AtomicBoolean readOnly = new AtomicBoolean(true);
    BufferKindRegistry r = BufferKindRegistry.empty();
    r.register(
        KindDescriptor.builder("probe")
            .description("p")
            .sniffer(
                head -> {
                  seen.add(head.remaining());
                  readOnly.compareAndSet(true, head.isReadOnly());
                  head.position(head.limit()); // moving its own duplicate must not affect anyone
                  return 0;
                })
            .build());
    r.register(
        KindDescriptor.builder("probe2")
            .description("p2")
            .sniffer(
                head -> {
                  seen.add(head.remaining());
                  return 0;
                })
            .build());
    ByteBuffer big = ByteBuffer.allocate(100_000);
    big.position(10);
    r.detect(big);
    assertEquals(
        List.of(BufferKindRegistry.SNIFF_HEAD_BYTES, BufferKindRegistry.SNIFF_HEAD_BYTES), seen);
    assertEquals(10, big.position());
    assertEquals(100_000, big.limit());
    seen.clear();
    r.detect(ByteBuffer.allocate(100));
    assertEquals(List.of(100, 100), seen);
    assertTrue(readOnly.get());
  }

  @Test
  void sniffersSeeTheContentFromItsPosition() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    ByteBuffer b = ascii("xxALPHA");
    b.position(2);
    assertEquals(ALPHA, r.detect(b).kind());
  }

  @Test
  void aFileNameRefinesAWeakAnswerButNeverASignature() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    r.register(
        KindDescriptor.builder("bweak")
            .description("also likes b")
            .extensions("bw")
            .sniffer(h -> h.hasRemaining() && h.get(0) == 'b' ? 20 : 0)
            .build());
    // beta (30) beats bweak (20) on content alone; the name .bw picks bweak among weak answers
    assertEquals(BETA, r.detect(ascii("b...")).kind());
    assertEquals(
        new Detection(BufferKind.of("bweak"), 20, Detection.Basis.CONTENT_AND_NAME),
        r.detect(ascii("b..."), "file.BW"));
    // a signature answer is never changed by the name
    assertEquals(
        new Detection(ALPHA, 100, Detection.Basis.CONTENT), r.detect(ascii("ALPHA"), "x.bw"));
    // a name whose kind has a sniffer that did not score does not override the bytes
    assertEquals(BufferKind.raw(), r.detect(ascii("zzz"), "x.alpha").kind());
    // nothing scored: a headerless kind claiming the extension is chosen
    assertEquals(
        new Detection(BufferKind.of("headless"), 0, Detection.Basis.NAME),
        r.detect(ascii("zzz"), "recording.hl"));
    // .txt: beta (sniffer, did not score) and headless (no sniffer): headless by name
    assertEquals(BufferKind.of("headless"), r.detect(ascii("zzz"), "notes.txt").kind());
    assertEquals(BETA, r.detect(ascii("b"), "notes.txt").kind());
    assertEquals(BufferKind.raw(), r.detect(ascii("zzz"), null).kind());
  }

  @Test
  void inspectRunsTheKindsInspectorAndWrapsUntypedFailures() throws IOException {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    Map<String, Object> facts = r.inspect(ALPHA, ascii("ALPHA!")).orElseThrow();
    assertEquals(6, facts.get("length"));
    MalformedContentException e =
        assertThrows(MalformedContentException.class, () -> r.inspect(ALPHA, ascii("nope")));
    assertEquals(0, e.offset());
    assertTrue(r.inspect(BETA, ascii("b")).isEmpty(), "beta has no inspector");

    r.register(
        KindDescriptor.builder("buggy")
            .description("b")
            .inspector(
                c -> {
                  throw new ArrayIndexOutOfBoundsException(7);
                })
            .build());
    MalformedContentException wrapped =
        assertThrows(
            MalformedContentException.class, () -> r.inspect(BufferKind.of("buggy"), ascii("x")));
    assertTrue(wrapped.getMessage().contains(BufferKindRegistry.REGISTERED), wrapped.getMessage());
  }

  // ------------------------------------------------------------ concurrency

  @Test
  void manyThreadsDetectWhileAnotherRegisters() throws Exception {
    BufferKindRegistry r = registryWith(TestProviders.Good.class);
    int readers = 4;
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger detections = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < readers; t++) {
      Thread reader =
          new Thread(
              () -> {
                try {
                  start.await();
                  ByteBuffer alpha = ascii("ALPHA");
                  ByteBuffer other = ascii("q");
                  while (!stop.get()) {
                    if (r.detect(alpha).kind() != ALPHA) {
                      throw new AssertionError("alpha not detected");
                    }
                    BufferKind k = r.detect(other).kind();
                    if (!(k.isRaw() || k.slug().startsWith("q-"))) {
                      throw new AssertionError("unexpected " + k);
                    }
                    if (r.byMediaType("application/x-alpha").isEmpty()) {
                      throw new AssertionError("alpha's media type not found");
                    }
                    detections.incrementAndGet();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      reader.start();
      threads.add(reader);
    }
    start.countDown();
    for (int i = 0; i < 200; i++) {
      r.register(
          KindDescriptor.builder("q-" + i)
              .description("q " + i)
              .mediaTypes("application/x-q" + i)
              .sniffer(h -> h.hasRemaining() && h.get(0) == 'q' ? 40 : 0)
              .build());
    }
    while (detections.get() < 10_000 && failures.isEmpty()) {
      Thread.onSpinWait();
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(failures.isEmpty(), () -> failures.peek().toString());
    assertEquals(BufferKind.of("q-0"), r.detect(ascii("q")).kind(), "ties go to the lower slug");
    assertEquals(200 + 4, r.kinds().size());
  }

  // ------------------------------------------------------------ global

  @Test
  void globalIsOneInstanceAndAlwaysKnowsRaw() {
    assertSame(BufferKindRegistry.global(), BufferKindRegistry.global());
    assertTrue(BufferKindRegistry.global().descriptor(BufferKind.raw()).isPresent());
  }
}
