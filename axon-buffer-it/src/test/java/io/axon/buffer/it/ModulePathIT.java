package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A named application module ({@code org.example.app}, compiled at test time: {@code requires
 * io.axon.buffer.api; uses io.axon.buffer.spi.BufferKindProvider}) run with {@code java -p}: api,
 * core, media, ingest and the DICOM plugin are all named modules, and the providers are found
 * through {@code provides} in their {@code module-info}, not through {@code META-INF/services}.
 * Nothing else is on the module path: ingest needs no third-party module (no Guava).
 */
class ModulePathIT {

  private static final String MAIN = "org.example.app/org.example.app.ModuleApp";

  private static List<Path> modulePath(Path dicom, Path media, Path... more) {
    List<Path> path =
        new ArrayList<>(
            List.of(Builds.moduleApp(), ItEnv.api(), ItEnv.core(), media, ItEnv.ingest(), dicom));
    path.addAll(List.of(more));
    return path;
  }

  private static String[] files() {
    return new String[] {
      ItEnv.dicomSample("gradient-rgb-implicit.dcm").toString(),
      ItEnv.sample("photo.jpg").toString()
    };
  }

  private static List<String> row(List<List<String>> rows, int column, String value, Jvm.Result r) {
    return rows.stream()
        .filter(x -> x.get(column).equals(value))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row with " + value + "\n" + r));
  }

  /** What every run on the module path shows, whichever JARs carry services files. */
  private static void assertFoundThroughProvides(Jvm.Result r) {
    assertEquals(List.of("org.example.app", "true"), r.row("app"), r.toString());
    // Nobody requires the provider modules: they were resolved by service binding.
    List<String> resolved = List.of(r.row("resolved").get(0).split(","));
    assertTrue(
        resolved.containsAll(
            List.of(
                "io.axon.buffer.api",
                "io.axon.buffer.core",
                "io.axon.buffer.ingest",
                "io.axon.buffer.kinds.media",
                "org.example.dicom")),
        resolved.toString());

    assertEquals(
        "org.example.dicom",
        row(r.rows("provider"), 0, "org.example.dicom.DicomKindProvider", r).get(1));
    assertEquals(
        "io.axon.buffer.kinds.media",
        row(r.rows("provider"), 0, "io.axon.buffer.kinds.media.MediaKindProvider", r).get(1));

    List<String> dicom = row(r.rows("kind"), 0, "dicom", r);
    assertEquals("org.example.dicom.DicomKindProvider", dicom.get(1));
    assertTrue(dicom.get(2).startsWith("module org.example.dicom "), dicom.toString());
    assertTrue(
        row(r.rows("kind"), 0, "jpeg", r).get(2).startsWith("module io.axon.buffer.kinds.media "),
        r.toString());
    assertEquals(20, r.rows("kind").size(), "raw + 18 media kinds + dicom\n" + r);

    // An upload through ingest's parser: declared application/octet-stream, sniffed by the plugin.
    List<List<String>> parts = r.rows("part");
    assertEquals(
        List.of("gradient-rgb-implicit.dcm", "dicom"), parts.get(0).subList(0, 2), r.toString());
    assertEquals(
        ItEnv.sha256(ItEnv.bytes(ItEnv.dicomSample("gradient-rgb-implicit.dcm"))),
        parts.get(0).get(3));
    assertTrue(
        parts.get(0).get(4).contains("transferSyntax=Implicit VR Little Endian"),
        parts.get(0).toString());
    assertEquals(List.of("photo.jpg", "jpeg", "1200"), parts.get(1).subList(0, 3), r.toString());
    // The part's Content-Type as the api's MediaType: no third-party type on the way.
    assertEquals("application/octet-stream", parts.get(0).get(5), parts.get(0).toString());
    assertEquals(List.of("liveBytes=0"), r.row("pool"));
  }

  @Test
  void aNamedApplicationFindsThePluginAndTheMediaKindsThroughProvides() {
    Jvm.Result r =
        Jvm.modulePath(modulePath(ItEnv.dicomPlugin(), ItEnv.media()), MAIN, files())
            .assertSuccess();
    assertFoundThroughProvides(r);
    assertEquals(List.of(), r.rows("problem"), r.toString());
  }

  @Test
  void servicesFilesAreNotWhatFindsProvidersOnTheModulePath() {
    Path dicom = Builds.withoutServiceFiles(ItEnv.dicomPlugin());
    Path media = Builds.withoutServiceFiles(ItEnv.media());
    // Without META-INF/services, the module path still finds both through `provides`...
    Jvm.Result modules = Jvm.modulePath(modulePath(dicom, media), MAIN, files()).assertSuccess();
    assertFoundThroughProvides(modules);
    // ...while the very same JARs on the class path contribute nothing: there, only services
    // files count (and PluginDropInIT shows the original JAR found on the class path).
    Jvm.Result classPath =
        Jvm.classPath(
                List.of(Builds.kindsApp(), ItEnv.api(), ItEnv.core(), media, dicom),
                "org.example.kindsapp.KindsApp")
            .assertSuccess();
    assertEquals(List.of("raw"), classPath.column("kind", 0), classPath.toString());
  }

  @Test
  void aBrokenPluginModuleIsReportedAndTheOthersWork() {
    Jvm.Result r =
        Jvm.modulePath(
                modulePath(ItEnv.dicomPlugin(), ItEnv.media(), Builds.brokenPlugin()),
                MAIN,
                files())
            .assertSuccess();
    assertFoundThroughProvides(r);
    assertTrue(r.row("resolved").get(0).contains("org.example.broken"), r.toString());
    // The constructor that throws, found through `provides`; and the services file naming a missing
    // class: the JDK's ServiceLoader still reads META-INF/services of named modules in its class
    // path phase (as resources of the application class loader), where it fails on that entry.
    PluginDropInIT.assertBrokenReported(r.rows("problem"), r);
    assertEquals(2, r.rows("serviceError").size(), r.toString());
  }
}
