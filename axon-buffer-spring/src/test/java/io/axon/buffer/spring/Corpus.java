package io.axon.buffer.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared multipart corpus (real requests from curl, Python and Apache HttpClient; the ingest
 * module's copy, on the test class path under {@code corpus/multipart}): each body with its
 * Content-Type and the parts its manifest says it holds.
 */
final class Corpus {

  private Corpus() {}

  /** One body: its file, Content-Type, bytes, and one expected line per part (see below). */
  record Body(String file, String contentType, byte[] bytes, List<String> parts) {
    @Override
    public String toString() {
      return file;
    }
  }

  /**
   * Every body, with its parts as {@link UploadController#describe} writes them: name, file name
   * (or -), size, sha256 (the payload as sent), and "file" for parts with a file name.
   */
  static List<Body> bodies() {
    Map<String, List<String>> parts = new LinkedHashMap<>();
    for (Map<String, String> r : tsv("MANIFEST.tsv")) {
      String filename = r.get("filename");
      parts
          .computeIfAbsent(r.get("file").replace(".body", ""), k -> new ArrayList<>())
          .add(
              r.get("name")
                  + "\t"
                  + filename
                  + "\t"
                  + r.get("size")
                  + "\t"
                  + r.get("sha256")
                  + "\t"
                  + (filename.equals("-") ? "" : "file"));
    }
    List<Body> bodies = new ArrayList<>();
    for (Map<String, String> r : tsv("MANIFEST-files.tsv")) {
      String file = r.get("file");
      bodies.add(
          new Body(
              file,
              r.get("content_type_header"),
              resource(file + ".body"),
              parts.getOrDefault(file, List.of())));
    }
    return bodies;
  }

  /** Drops the part type column of a described line (for comparing with a manifest line). */
  static String withoutType(String described) {
    String[] f = described.split("\t", -1);
    return f[0]
        + "\t"
        + f[1]
        + "\t"
        + f[2]
        + "\t"
        + f[3]
        + "\t"
        + (f[4].equals("file") ? "file" : "");
  }

  static byte[] resource(String name) {
    try (InputStream in = Corpus.class.getResourceAsStream("/corpus/multipart/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource corpus/multipart/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, String>> tsv(String name) {
    String[] lines = new String(resource(name), StandardCharsets.UTF_8).split("\n");
    String[] head = lines[0].split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] f = lines[i].split("\t", -1);
      Map<String, String> row = new HashMap<>();
      for (int j = 0; j < head.length && j < f.length; j++) {
        row.put(head[j], f[j]);
      }
      rows.add(row);
    }
    return rows;
  }
}
