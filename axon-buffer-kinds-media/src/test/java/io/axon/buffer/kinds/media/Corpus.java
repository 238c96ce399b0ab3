package io.axon.buffer.kinds.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the test corpus (see src/test/resources/corpus/README.md) from the class path. */
final class Corpus {

  private Corpus() {}

  /** One manifest row: column name to value. */
  record Row(String folder, Map<String, String> columns) {
    String get(String column) {
      return columns.getOrDefault(column, "");
    }

    String name() {
      return get("name");
    }

    String set() {
      return get("set");
    }

    String path() {
      return folder + "/" + set() + "/" + name();
    }

    byte[] bytes() {
      return Corpus.bytes(path());
    }

    /** The first word of {@code suggested_kind}. */
    String suggestedKind() {
      String s = get("suggested_kind").trim();
      int space = s.indexOf(' ');
      return space < 0 ? s : s.substring(0, space);
    }

    @Override
    public String toString() {
      return path();
    }
  }

  static byte[] bytes(String path) {
    try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /corpus/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> manifest(String folder) {
    String text = new String(bytes(folder + "/MANIFEST.tsv"), StandardCharsets.UTF_8);
    String[] lines = text.split("\n");
    String[] header = lines[0].split("\t", -1);
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cells = lines[i].split("\t", -1);
      Map<String, String> columns = new LinkedHashMap<>();
      for (int k = 0; k < header.length; k++) {
        columns.put(header[k], k < cells.length ? cells[k] : "");
      }
      rows.add(new Row(folder, columns));
    }
    return rows;
  }

  /** Every row of the shared corpus copy and of the extra files. */
  static List<Row> all() {
    List<Row> rows = new ArrayList<>(manifest("media"));
    rows.addAll(manifest("media-extra"));
    return rows;
  }

  static Row row(String name) {
    for (Row r : all()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("no corpus row " + name);
  }
}
