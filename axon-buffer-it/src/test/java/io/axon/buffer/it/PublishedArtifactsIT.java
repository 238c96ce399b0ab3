package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a release would publish, read from the dry deploy every module runs in {@code verify} (the
 * parent pom's {@code dry-deploy} execution: the real maven-deploy-plugin, honouring the real
 * {@code maven.deploy.skip}, writing to the module's {@code target/dry-deploy} file repository).
 *
 * <p>The published set is the one decided for the project (DECISIONS.md, D6): a module of the build
 * that is in neither list below fails the test until someone decides which it is.
 */
class PublishedArtifactsIT {

  /** Published: deployed with a POM, and for JARs a -sources.jar and a -javadoc.jar. */
  private static final Set<String> PUBLISHED =
      Set.of(
          "axon-buffer-bom",
          "axon-buffer-api",
          "axon-buffer-core",
          "axon-buffer-kinds-media",
          "axon-buffer-ingest",
          "axon-buffer-testing",
          "axon-buffer-micrometer",
          "axon-buffer-netty",
          "axon-buffer-spring",
          "axon-buffer-spring-boot-starter");

  /** Built and tested, never deployed: harnesses, the command, the examples. */
  private static final Set<String> NOT_PUBLISHED =
      Set.of(
          "axon-buffer-bench",
          "axon-buffer-stress",
          "axon-buffer-reliability",
          "axon-buffer-it",
          "axon-buffer-cli",
          "kind-plugin-dicom",
          "netty-upload-server",
          "spring-upload",
          "spring-upload-boot3");

  private static final List<String> PROJECT_METADATA =
      List.of("url", "organization", "licenses", "developers", "scm", "issueManagement");

  @Test
  void everyModuleIsPublishedOrNotByDecision() throws Exception {
    List<String> unclassified = new ArrayList<>();
    for (Module m : modules()) {
      if (!PUBLISHED.contains(m.artifactId) && !NOT_PUBLISHED.contains(m.artifactId)) {
        unclassified.add(m.dir + " (" + m.artifactId + ")");
      }
    }
    assertTrue(
        unclassified.isEmpty(),
        "modules neither published nor excluded (add them to the lists here, the README's"
            + " \"What is published\" and, if they are not libraries, set maven.deploy.skip,"
            + " maven.source.skip and maven.javadoc.skip in their pom): "
            + unclassified);
  }

  @Test
  void publishedModulesDeployPomJarSourcesAndJavadoc() throws Exception {
    String version = version();
    int checked = 0;
    for (Module m : modules()) {
      if (!PUBLISHED.contains(m.artifactId)) {
        continue;
      }
      Set<String> files = deployed(m, version);
      assertTrue(has(files, ".pom"), m.artifactId + " deploys its POM: " + files);
      if (m.packaging.equals("pom")) {
        assertFalse(has(files, ".jar"), m.artifactId + " is a POM only: " + files);
      } else {
        assertTrue(has(files, ".jar"), m.artifactId + " deploys its JAR: " + files);
        assertTrue(has(files, "-sources.jar"), m.artifactId + " deploys sources: " + files);
        assertTrue(has(files, "-javadoc.jar"), m.artifactId + " deploys javadoc: " + files);
        checkJavadocJar(m, version);
      }
      checked++;
    }
    assertTrue(checked >= 5, "bom, api, core, kinds-media, ingest at least: " + checked);
  }

  @Test
  void modulesThatAreNotLibrariesDeployNothing() throws Exception {
    int checked = 0;
    for (Module m : modules()) {
      if (!NOT_PUBLISHED.contains(m.artifactId)) {
        continue;
      }
      if (m.hasParent) {
        // Built with the parent's dry deploy: maven.deploy.skip must have made it skip.
        Path repo = m.dir.resolve("target/dry-deploy");
        assertFalse(Files.exists(repo), m.artifactId + " deployed something to " + repo);
      } else {
        // The example is built without our parent (as a third party builds a plugin).
        assertEquals(
            "true", property(m.pom, "maven.deploy.skip"), m.artifactId + " sets maven.deploy.skip");
      }
      checked++;
    }
    assertTrue(checked >= 7, "bench, stress, reliability, it, cli, the examples: " + checked);
  }

  /**
   * Every published library JAR names itself in its manifest and has a module name: its own
   * module-info, or an Automatic-Module-Name when it has none (never both).
   */
  @Test
  void libraryJarsCarryImplementationEntriesAndAModuleName() throws Exception {
    String version = version();
    int checked = 0;
    for (Module m : modules()) {
      if (!PUBLISHED.contains(m.artifactId) || m.packaging.equals("pom")) {
        continue;
      }
      Path jar = m.dir.resolve("target/" + m.artifactId + "-" + version + ".jar");
      assertTrue(Files.isRegularFile(jar), "built: " + jar);
      try (JarFile jf = new JarFile(jar.toFile())) {
        Attributes main = jf.getManifest().getMainAttributes();
        String title = main.getValue("Implementation-Title");
        assertTrue(title != null && !title.isBlank(), jar + ": Implementation-Title " + title);
        assertEquals(version, main.getValue("Implementation-Version"), jar + ": version");
        boolean moduleInfo = jf.getEntry("module-info.class") != null;
        String automatic = main.getValue("Automatic-Module-Name");
        assertTrue(
            moduleInfo != (automatic != null),
            jar
                + ": a module-info ("
                + moduleInfo
                + ") or an Automatic-Module-Name ("
                + automatic
                + "), exactly one");
      }
      checked++;
    }
    assertTrue(checked >= 4, "api, core, kinds-media, ingest at least: " + checked);
  }

  /**
   * This module's tests read the other modules' build output (their JARs and dry deploys), so it
   * must be built after every other module: it depends on each (test scope), which fixes the
   * reactor's order.
   */
  @Test
  void thisModuleIsBuiltAfterEveryOtherModule() throws Exception {
    Document it = parse(ItEnv.root().resolve("axon-buffer-it/pom.xml"));
    Set<String> dependencies = new TreeSet<>();
    NodeList deps = it.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      dependencies.add(text((Element) deps.item(i), "artifactId"));
    }
    List<String> missing = new ArrayList<>();
    for (Module m : modules()) {
      boolean bom = m.packaging.equals("pom"); // imported by the parent: always built first
      if (!bom && !m.artifactId.equals("axon-buffer-it") && !dependencies.contains(m.artifactId)) {
        missing.add(m.artifactId);
      }
    }
    assertTrue(
        missing.isEmpty(),
        "axon-buffer-it/pom.xml must depend on every module so that it is built last (test"
            + " scope; if its tests do not use one, exclude the module's own dependencies with"
            + " <exclusion>*:*</exclusion> and keep it off the class path with failsafe's"
            + " classpathDependencyExcludes): "
            + missing);
  }

  /** The BOM has no parent: it repeats the parent's project metadata, which must stay equal. */
  @Test
  void theBomCarriesTheParentsProjectMetadata() throws Exception {
    Element parent = parse(ItEnv.root().resolve("pom.xml")).getDocumentElement();
    Element bom = parse(ItEnv.root().resolve("axon-buffer-bom/pom.xml")).getDocumentElement();
    for (String tag : PROJECT_METADATA) {
      Element p = child(parent, tag);
      Element b = child(bom, tag);
      assertTrue(p != null, "the parent has <" + tag + ">");
      assertTrue(b != null, "the BOM has <" + tag + ">");
      assertEquals(flat(p), flat(b), "<" + tag + "> of the BOM and the parent");
    }
    assertTrue(
        Files.isRegularFile(ItEnv.root().resolve("LICENSE")), "LICENSE at the repository's root");
  }

  // ---------------------------------------------------------------- helpers

  private record Module(
      Path dir, Path pom, String artifactId, String packaging, boolean hasParent) {}

  /** The modules of the root reactor (one level, as the root pom lists them). */
  private static List<Module> modules() throws Exception {
    Path root = ItEnv.root();
    Element project = parse(root.resolve("pom.xml")).getDocumentElement();
    List<Module> out = new ArrayList<>();
    NodeList modules = child(project, "modules").getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      Path dir = root.resolve(modules.item(i).getTextContent().trim()).normalize();
      Path pom = dir.resolve("pom.xml");
      Element e = parse(pom).getDocumentElement();
      String packaging = text(e, "packaging");
      out.add(
          new Module(
              dir,
              pom,
              text(e, "artifactId"),
              packaging == null ? "jar" : packaging,
              child(e, "parent") != null));
    }
    assertTrue(out.size() >= 11, "the root pom's modules were read: " + out);
    return out;
  }

  /** The file names the module's dry deploy wrote for this version. */
  private static Set<String> deployed(Module m, String version) throws IOException {
    Path dir =
        m.dir.resolve("target/dry-deploy/io/axon/buffer").resolve(m.artifactId).resolve(version);
    assertTrue(Files.isDirectory(dir), m.artifactId + " was deployed to " + dir);
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).forEach(names::add);
    }
    return names;
  }

  /**
   * True if a deployed artifact ends with {@code suffix}; {@code ".jar"} means the main JAR (no
   * classifier).
   */
  private static boolean has(Set<String> files, String suffix) {
    for (String f : files) {
      if (suffix.equals(".jar")) {
        // name-version[-timestamp-build].jar: the part after the version has no letters.
        if (f.endsWith(".jar")
            && f.substring(0, f.length() - 4).matches(".*-[0-9.-]+(SNAPSHOT)?")) {
          return true;
        }
      } else if (f.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static void checkJavadocJar(Module m, String version) throws IOException {
    Path jar = m.dir.resolve("target/" + m.artifactId + "-" + version + "-javadoc.jar");
    try (JarFile jf = new JarFile(jar.toFile())) {
      assertTrue(jf.getEntry("index.html") != null, jar + " has an index.html");
    }
  }

  private static String version() throws Exception {
    return text(parse(ItEnv.root().resolve("pom.xml")).getDocumentElement(), "version");
  }

  private static String property(Path pom, String name) throws Exception {
    Element properties = child(parse(pom).getDocumentElement(), "properties");
    return properties == null ? null : text(properties, name);
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && n.getNodeName().equals(name)) {
        return (Element) n;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  /** An element's text content with white space collapsed, for comparing two copies. */
  private static String flat(Element e) {
    return e.getTextContent().replaceAll("\\s+", " ").trim();
  }
}
