package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Native code reads and writes pooled memory in place (issue 18): {@code org.example.nativeapp}
 * (src/test/apps/native-app, compiled here with {@code --release 22}) links the system's zlib
 * through the JDK's {@code Linker} and hands it pooled views and a builder's tail, as {@code
 * MemorySegment}s unwrapped from axon-buffer-core's multi-release JAR. It runs in fresh JVMs on the
 * module path ({@code --enable-native-access=org.example.nativeapp}) and on the class path ({@code
 * --enable-native-access=ALL-UNNAMED}); each test checks what both runs printed.
 *
 * <p>On JDK 17 to 21 every test is reported as skipped, with the reason: the JAR built there has no
 * segment forms and the JDK no final {@code java.lang.foreign}. When {@code libz.so.1} cannot be
 * loaded the tests are skipped (aborted) saying so.
 */
@EnabledForJreRange(
    min = JRE.JAVA_22,
    disabledReason =
        "FFM (issue 18): MemorySegment views need JDK 22+ and core's JAR built by a JDK 22+ build;"
            + " run ./mvnw verify on JDK 25 (.ci/run does)")
class ForeignMemoryIT {

  private static final String MAIN = "org.example.nativeapp/org.example.nativeapp.NativeApp";
  private static final String MAIN_CLASS = "org.example.nativeapp.NativeApp";

  private static Jvm.Result onModulePath;
  private static Jvm.Result onClassPath;

  private static List<Path> path() {
    return List.of(Builds.nativeApp(), ItEnv.api(), ItEnv.core());
  }

  /**
   * On the module path, native access granted to the application alone; from JDK 24 on, with any
   * other module's restricted call made an error ({@code --illegal-native-access=deny}), so the run
   * also proves that axon-buffer-core calls none.
   */
  private static synchronized Jvm.Result modulePath() {
    if (onModulePath == null) {
      List<String> options =
          new ArrayList<>(List.of("--enable-native-access=org.example.nativeapp"));
      if (Runtime.version().feature() >= 24) {
        options.add("--illegal-native-access=deny");
      }
      onModulePath = Jvm.modulePath(options, path(), MAIN).assertSuccess();
    }
    return onModulePath;
  }

  private static synchronized Jvm.Result classPath() {
    if (onClassPath == null) {
      onClassPath =
          Jvm.classPath(List.of("--enable-native-access=ALL-UNNAMED"), path(), MAIN_CLASS)
              .assertSuccess();
    }
    return onClassPath;
  }

  /** Runs {@code check} on both runs' output, once libz was found. */
  private static void onBothPaths(Consumer<Jvm.Result> check) {
    for (Jvm.Result r : List.of(modulePath(), classPath())) {
      List<List<String>> skip = r.rows("skip");
      assumeTrue(skip.isEmpty(), () -> skip.get(0).get(0));
      check.accept(r);
    }
  }

  @Test
  void theApplicationRunsAsANamedModuleAndOnTheClassPath() {
    assertEquals(
        List.of("org.example.nativeapp", "io.axon.buffer.core"), modulePath().row("modules"));
    assertEquals(List.of("unnamed", "unnamed"), classPath().row("modules"));
    assertEquals(
        String.valueOf(Runtime.version().feature()), modulePath().row("jdk").get(0), "same JDK");
  }

  @Test
  void viewsOfOnePieceOfferOneSegmentAndCompositesOnePerPieceNamingTheRule() {
    onBothPaths(
        r -> {
          List<String> offers = r.row("offers");
          assertEquals(
              List.of("true", "true", "false", "true"), offers.subList(0, 4), r.toString());
          assertTrue(
              offers.get(4).contains("lies in 2 pieces")
                  && offers.get(4).contains("MemorySegment[].class"),
              offers.get(4));
        });
  }

  @Test
  void zlibCrc32OverAOnePieceViewEqualsJavaUtilZip() {
    onBothPaths(
        r -> {
          List<String> crc = row(r, "crc32", "one-piece");
          assertEquals(List.of("1048576", "1"), crc.subList(1, 3), r.toString());
          assertEquals(crc.get(4), crc.get(3), "zlib through FFM vs java.util.zip.CRC32\n" + r);
        });
  }

  @Test
  void zlibCrc32OverACompositesPiecesEqualsJavaUtilZip() {
    onBothPaths(
        r -> {
          List<String> crc = row(r, "crc32", "composite");
          assertEquals(String.valueOf(3 * (1 << 20) + 12345), crc.get(1), r.toString());
          assertTrue(Integer.parseInt(crc.get(2)) > 1, "several pieces\n" + r);
          assertEquals(crc.get(4), crc.get(3), "zlib through FFM vs java.util.zip.CRC32\n" + r);
        });
  }

  @Test
  void zlibCrc32OverABuildersAppendedBytesEqualsJavaUtilZip() {
    onBothPaths(
        r -> {
          List<String> crc = row(r, "crc32", "builder");
          assertEquals(List.of("5000", "true"), crc.subList(1, 3), "read-only, its length\n" + r);
          assertEquals(crc.get(4), crc.get(3), "zlib through FFM vs java.util.zip.CRC32\n" + r);
        });
  }

  @Test
  void segmentsAreTheViewsOwnMemoryNotCopies() {
    // Native memory; a slice 10 bytes in is 10 bytes further; a share and a composite's pieces
    // point at the very addresses of the views they came from.
    onBothPaths(
        r ->
            assertEquals(List.of("true", "10", "true", "true"), r.row("sameMemory"), r.toString()));
  }

  @Test
  void aViewsSegmentIsReadOnlyToJava() {
    onBothPaths(
        r ->
            assertEquals(
                List.of("true", "java.lang.IllegalArgumentException", "true"),
                r.row("readOnly"),
                r.toString()));
  }

  @Test
  void uncompressWritesStraightIntoABuildersTailFrozenIntoTheOriginalBytes() {
    // rc Z_OK, 600,000 bytes, one piece, equal to the original, and the view's memory is the
    // very tail zlib wrote into.
    onBothPaths(
        r ->
            assertEquals(
                List.of("0", "600000", "1", "true", "true"), r.row("uncompress"), r.toString()));
  }

  @Test
  void streamingInflateFillsTailAfterTailIntoACompositeOfTheOriginalBytes() {
    onBothPaths(
        r -> {
          List<String> inflate = r.row("inflate");
          assertEquals("1", inflate.get(0), "Z_STREAM_END\n" + r);
          assertEquals(String.valueOf(3 * (1 << 20) + 777), inflate.get(1), r.toString());
          assertTrue(Integer.parseInt(inflate.get(2)) > 1, "several pieces\n" + r);
          assertEquals(inflate.get(2), inflate.get(3), "one inflate call per piece\n" + r);
          assertEquals("true", inflate.get(4), "equal to the original\n" + r);
        });
  }

  @Test
  void aHeapPoolsSegmentIsRefusedByAPlainDowncallAndTakenByACriticalOne() {
    onBothPaths(
        r -> {
          List<String> heap = r.row("heap");
          assertEquals("false", heap.get(0), "a heap segment\n" + r);
          assertTrue(
              heap.get(1)
                  .startsWith("java.lang.IllegalArgumentException: Heap segment not allowed"),
              heap.get(1));
          assertEquals(heap.get(3), heap.get(2), "critical(true) downcall vs CRC32\n" + r);
        });
  }

  @Test
  void aClosedViewRefusesUnwrapButStillAnswersCanUnwrap() {
    onBothPaths(
        r ->
            assertEquals(
                List.of("io.axon.buffer.ClosedBufferException", "true"),
                r.row("closed"),
                r.toString()));
  }

  @Test
  void everyViewAndBuilderWentBackToItsPool() {
    onBothPaths(r -> assertEquals(List.of("0", "0"), r.row("pool"), r.toString()));
  }

  @Test
  void axonBufferCoreNeedsNoNativeAccessOfItsOwn() {
    // The module-path run denies restricted calls to every module but the application (JDK 24+)
    // and passed. On the class path without any grant, the JDK warns once per caller module: the
    // warning names the application's class, never one of axon-buffer's.
    onBothPaths(r -> assertTrue(!r.err().contains("WARNING"), r.toString()));
    Jvm.Result ungranted = Jvm.classPath(path(), MAIN_CLASS).assertSuccess();
    assumeTrue(ungranted.rows("skip").isEmpty(), "libz.so.1 could not be loaded");
    assertTrue(
        ungranted.err().contains("has been called by org.example.nativeapp."),
        ungranted.toString());
    assertTrue(!ungranted.err().contains("io.axon.buffer"), ungranted.toString());
    assertNotEquals(0, ungranted.err().length());
  }

  private static List<String> row(Jvm.Result r, String tag, String first) {
    return r.rows(tag).stream()
        .filter(x -> x.get(0).equals(first))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + tag + " row " + first + "\n" + r));
  }
}
