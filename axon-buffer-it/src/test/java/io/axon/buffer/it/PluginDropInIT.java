package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example third-party plugin ({@code examples/kind-plugin-dicom}, its real JAR) dropped in the
 * ways an adopter drops it in: on the class path of a fresh JVM; loaded at run time from a folder
 * through {@code BufferKindRegistry.load(ClassLoader)} and through the command's {@code --plugins};
 * and beside a broken plugin.
 */
class PluginDropInIT {

  private static final String MAIN = "org.example.kindsapp.KindsApp";
  private static final String PROVIDER = "org.example.dicom.DicomKindProvider";

  /** The DICOM samples and what dcmdump says of their geometry. */
  private static final List<String[]> SAMPLES =
      List.of(
          new String[] {"gradient-rgb-explicit.dcm", "rows=48, columns=64"},
          new String[] {"gradient-rgb-implicit.dcm", "rows=48, columns=64"},
          new String[] {"photo-jpeg-baseline.dcm", "rows=64, columns=96"},
          new String[] {"photo-vl-undefined-lengths.dcm", "rows=64, columns=96"});

  static String[] dicomFiles() {
    return SAMPLES.stream().map(s -> ItEnv.dicomSample(s[0]).toString()).toArray(String[]::new);
  }

  /** Every sample is detected as dicom (100), inspected, hashed, and the pool is left empty. */
  static void assertSamplesDetected(Jvm.Result r) {
    List<List<String>> files = r.rows("file");
    assertEquals(SAMPLES.size(), files.size(), r.toString());
    for (int i = 0; i < SAMPLES.size(); i++) {
      List<String> f = files.get(i);
      assertEquals(List.of(SAMPLES.get(i)[0], "dicom", "100"), f.subList(0, 3), r.toString());
      assertEquals(ItEnv.sha256(ItEnv.bytes(ItEnv.dicomSample(SAMPLES.get(i)[0]))), f.get(4));
      assertTrue(f.get(5).contains(SAMPLES.get(i)[1]), f.toString());
    }
    assertEquals(List.of("liveBytes=0"), r.row("pool"));
  }

  private static List<String> kindRow(Jvm.Result r, String slug) {
    return r.rows("kind").stream()
        .filter(k -> k.get(0).equals(slug))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no kind " + slug + "\n" + r));
  }

  @Test
  void onTheClassPathThePluginIsInTheGlobalRegistryAndDetectsItsSamples() {
    Jvm.Result r =
        Jvm.classPath(
                List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core(), ItEnv.dicomPlugin()),
                MAIN,
                dicomFiles())
            .assertSuccess();
    assertEquals(List.of("dicom", "raw"), r.column("kind", 0), r.toString());
    List<String> dicom = kindRow(r, "dicom");
    assertEquals(PROVIDER, dicom.get(1));
    assertTrue(dicom.get(2).endsWith("/kind-plugin-dicom.jar"), dicom.toString());
    assertEquals(List.of(), r.rows("problem"), r.toString());
    assertSamplesDetected(r);
  }

  @Test
  void loadedAtRunTimeFromAFolderThroughLoadClassLoader() {
    Path plugins = Builds.folderWith("plugins", ItEnv.dicomPlugin());
    Jvm.Result r =
        Jvm.classPath(
                List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core()),
                MAIN,
                concat(new String[] {"--load", plugins.toString()}, dicomFiles()))
            .assertSuccess();
    assertEquals(List.of("raw"), r.column("kind", 0), "before load(): " + r);
    assertEquals(List.of(List.of(PROVIDER, "dicom")), r.rows("loaded"), r.toString());
    assertEquals(List.of(), r.rows("loadProblem"), r.toString());
    assertSamplesDetected(r);
  }

  @Test
  void theCommandLoadsItFromItsPluginsFolder() {
    Path plugins = Builds.folderWith("cli-plugins", ItEnv.dicomPlugin());
    String sample = ItEnv.dicomSample("gradient-rgb-explicit.dcm").toString();

    Jvm.Result without = Jvm.cli("detect", "--json", sample).assertSuccess();
    assertEquals("raw", field(without.out(), "kind"), without.toString());

    for (String[] args :
        List.of(
            new String[] {"--plugins", plugins.toString(), "detect", "--json", sample},
            new String[] {"detect", "--json", sample, "--plugins", plugins.toString()})) {
      Jvm.Result r = Jvm.cli(args).assertSuccess();
      assertEquals("dicom", field(r.out(), "kind"), r.toString());
      assertEquals("100", field(r.out(), "score"), r.toString());
      assertEquals(ItEnv.sha256(ItEnv.bytes(Path.of(sample))), field(r.out(), "sha256"));
      assertEquals("48", field(r.out(), "rows"), r.toString());
      assertEquals("RGB", field(r.out(), "photometricInterpretation"), r.toString());
      assertEquals("", r.err(), r.toString());
    }

    Jvm.Result kinds = Jvm.cli("kinds", "--json", "--plugins", plugins.toString()).assertSuccess();
    String dicom =
        kinds
            .out()
            .lines()
            .filter(l -> "dicom".equals(field(l, "kind")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(kinds.toString()));
    assertEquals(PROVIDER, field(dicom, "provider"));
    assertTrue(field(dicom, "origin").endsWith("kind-plugin-dicom.jar"), dicom);
  }

  @Test
  void aBrokenPluginBesideTheGoodOneIsReportedAndTheGoodOneWorks() {
    Path broken = Builds.brokenPlugin();
    // Class path, broken first: discovery goes on past its failures.
    Jvm.Result cp =
        Jvm.classPath(
                List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core(), broken, ItEnv.dicomPlugin()),
                MAIN,
                dicomFiles())
            .assertSuccess();
    assertEquals(List.of("dicom", "raw"), cp.column("kind", 0), cp.toString());
    assertBrokenReported(cp.rows("problem"), cp);
    assertSamplesDetected(cp);

    // A folder holding both, loaded at run time ("kind-plugin-broken.jar" sorts first).
    Path plugins = Builds.folderWith("mixed-plugins", ItEnv.dicomPlugin(), broken);
    Jvm.Result folder =
        Jvm.classPath(
                List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core()),
                MAIN,
                concat(new String[] {"--load", plugins.toString()}, dicomFiles()))
            .assertSuccess();
    assertEquals(List.of(List.of(PROVIDER, "dicom")), folder.rows("loaded"), folder.toString());
    assertBrokenReported(folder.rows("loadProblem"), folder);
    assertSamplesDetected(folder);
  }

  /** Both faults of the broken plugin are reported, each naming its class and what went wrong. */
  static void assertBrokenReported(List<List<String>> problems, Jvm.Result r) {
    List<String> exploding =
        problems.stream()
            .filter(p -> p.get(1).equals("org.broken.ExplodingProvider"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("constructor failure not reported\n" + r));
    assertEquals("PROVIDER_FAILED", exploding.get(0));
    assertTrue(exploding.get(2).contains("boom on purpose"), exploding.toString());
    List<String> missing =
        problems.stream()
            .filter(p -> p.get(1).equals("org.broken.DoesNotExist"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("missing class not reported\n" + r));
    assertEquals("PROVIDER_FAILED", missing.get(0));
    assertEquals(
        2,
        problems.size(),
        problems.stream().map(Object::toString).collect(Collectors.joining("\n")));
  }

  private static final Pattern FIELD =
      Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.]+|true|false)");

  /**
   * The value of the first JSON member named {@code name} (strings unquoted; no escapes decoded).
   */
  static String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(3) != null ? m.group(3) : m.group(2);
      }
    }
    return null;
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
