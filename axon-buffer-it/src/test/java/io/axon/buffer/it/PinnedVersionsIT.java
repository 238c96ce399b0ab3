package io.axon.buffer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Versions are pinned once, in the parent pom. Two poms cannot inherit it and repeat some of its
 * pins: the example plugin (built as a third party builds a plugin, with no parent of ours) and the
 * BOM (published alone, so it carries its own build plugins). This test keeps their copies in step
 * with the parent: every dependency or plugin they pin with a literal version, which the parent
 * also pins, must have the parent's version, and the example's axon-buffer version must be the
 * project's.
 */
class PinnedVersionsIT {

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  @Test
  void theExamplePluginAndTheBomRepeatTheParentsPinsExactly() throws Exception {
    Path root = ItEnv.root();
    Document parent = parse(root.resolve("pom.xml"));
    Map<String, String> properties = properties(parent);
    properties.put("project.version", text(parent.getDocumentElement(), "version"));
    Map<String, String> pinned = pins(parent, properties);
    assertTrue(pinned.containsKey("org.junit:junit-bom"), pinned.toString());
    assertTrue(
        pinned.containsKey("org.apache.maven.plugins:maven-surefire-plugin"), pinned.toString());

    List<String> drift = new ArrayList<>();
    int compared = 0;
    for (String pom :
        List.of(
            "examples/kind-plugin-dicom/pom.xml",
            "examples/netty-upload-server/pom.xml",
            "axon-buffer-bom/pom.xml")) {
      Document doc = parse(root.resolve(pom));
      Map<String, String> own = properties(doc);
      own.put("project.version", text(doc.getDocumentElement(), "version"));
      for (Map.Entry<String, String> e : pins(doc, own).entrySet()) {
        String ours = pinned.get(e.getKey());
        if (ours != null) {
          compared++;
          if (!ours.equals(e.getValue())) {
            drift.add(pom + ": " + e.getKey() + " " + e.getValue() + ", the parent pins " + ours);
          }
        }
      }
    }
    assertTrue(drift.isEmpty(), String.join("\n", drift));
    assertTrue(compared >= 10, "the copies were found and compared: " + compared);

    Document example = parse(root.resolve("examples/kind-plugin-dicom/pom.xml"));
    assertEquals(
        properties.get("project.version"),
        properties(example).get("axon-buffer.version"),
        "the example builds against this version of axon-buffer");
    assertEquals(
        text(example.getDocumentElement(), "version"),
        properties.get("kind-plugin-dicom.version"),
        "the parent names the example's version");
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static String text(Element parent, String child) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && n.getNodeName().equals(child)) {
        return n.getTextContent().trim();
      }
    }
    return null;
  }

  private static Map<String, String> properties(Document pom) {
    Map<String, String> map = new HashMap<>();
    NodeList lists = pom.getElementsByTagName("properties");
    for (int i = 0; i < lists.getLength(); i++) {
      for (Node n = lists.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element) {
          map.put(n.getNodeName(), n.getTextContent().trim());
        }
      }
    }
    return map;
  }

  /** groupId:artifactId → version, of every dependency and plugin with a version, resolved. */
  private static Map<String, String> pins(Document pom, Map<String, String> properties) {
    Map<String, String> pins = new HashMap<>();
    for (String tag : List.of("dependency", "plugin", "path")) {
      NodeList nodes = pom.getElementsByTagName(tag);
      for (int i = 0; i < nodes.getLength(); i++) {
        Element e = (Element) nodes.item(i);
        String version = text(e, "version");
        String artifact = text(e, "artifactId");
        if (version == null || artifact == null) {
          continue;
        }
        String group = text(e, "groupId");
        String resolved = resolve(version, properties);
        assertFalse(resolved.contains("${"), "unresolved " + version + " of " + artifact);
        pins.put((group == null ? "org.apache.maven.plugins" : group) + ":" + artifact, resolved);
      }
    }
    return pins;
  }

  private static String resolve(String value, Map<String, String> properties) {
    Matcher m = PROPERTY.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = properties.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    return m.appendTail(sb).toString();
  }
}
