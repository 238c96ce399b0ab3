package io.axon.buffer.kinds.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each seeded kind's media types (canonical first) and extensions, exactly as the "Media kinds"
 * table of the project's README.md gives them: pinned here, and the table itself checked against
 * the same list, so that the code, this test and the documentation cannot drift apart.
 */
class MediaKindTableTest {

  /** A row of the README's table: kind, media types (canonical first), extensions. */
  record Row(String kind, List<String> mediaTypes, List<String> extensions) {}

  static final List<Row> TABLE =
      List.of(
          new Row("pcm16", List.of("audio/pcm", "audio/x-pcm16le"), List.of("pcm", "s16", "s16le")),
          new Row(
              "mulaw8",
              List.of("audio/basic", "audio/pcmu", "audio/x-mulaw"),
              List.of("ul", "ulaw", "mulaw")),
          new Row(
              "wav",
              List.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"),
              List.of("wav", "wave")),
          new Row("mp3", List.of("audio/mpeg", "audio/mp3"), List.of("mp3")),
          new Row("opus", List.of("audio/opus"), List.of("opus")),
          new Row(
              "jpeg", List.of("image/jpeg", "image/pjpeg"), List.of("jpg", "jpeg", "jpe", "jfif")),
          new Row("png", List.of("image/png", "image/apng"), List.of("png", "apng")),
          new Row("webp", List.of("image/webp"), List.of("webp")),
          new Row(
              "mp4",
              List.of("video/mp4", "audio/mp4", "application/mp4"),
              List.of("mp4", "m4a", "m4v", "m4b")),
          new Row("quicktime", List.of("video/quicktime"), List.of("mov", "qt")),
          new Row("3gpp", List.of("video/3gpp", "audio/3gpp"), List.of("3gp", "3gpp")),
          new Row("3gpp2", List.of("video/3gpp2", "audio/3gpp2"), List.of("3g2", "3gpp2")),
          new Row(
              "heic",
              List.of("image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"),
              List.of("heic", "heif", "heics", "heifs")),
          new Row("avif", List.of("image/avif"), List.of("avif")),
          new Row("webm", List.of("video/webm", "audio/webm"), List.of("webm")),
          new Row("pdf", List.of("application/pdf"), List.of("pdf")),
          new Row("json", List.of("application/json", "text/json"), List.of("json")),
          new Row("csv", List.of("text/csv"), List.of("csv")));

  @Test
  void everyKindDeclaresTheBuiltInPriority() {
    for (KindDescriptor d : new MediaKindProvider().kinds()) {
      assertEquals(Priority.BUILT_IN, d.priority(), d.slug());
    }
  }

  @Test
  void everyKindHasTheCanonicalMediaTypeAndExtensionsOfTheTable() {
    Map<String, KindDescriptor> declared = new LinkedHashMap<>();
    for (KindDescriptor d : new MediaKindProvider().kinds()) {
      declared.put(d.slug(), d);
    }
    assertEquals(TABLE.stream().map(Row::kind).toList(), List.copyOf(declared.keySet()));
    for (Row row : TABLE) {
      KindDescriptor d = declared.get(row.kind());
      assertEquals(Optional.of(row.mediaTypes().get(0)), d.canonicalMediaType(), row.kind());
      assertEquals(row.mediaTypes(), d.mediaTypes(), row.kind());
      assertEquals(row.extensions(), d.extensions(), row.kind());
    }
  }

  @Test
  void theReadmeTableSaysTheSame() throws IOException {
    assertEquals(TABLE, readmeTable());
  }

  private static final Pattern TICKED = Pattern.compile("`([^`]*)`");

  /** The rows of the README's "Media kinds" table, up to its extensions column. */
  static List<Row> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(readme());
    int at = lines.indexOf("## Media kinds");
    assertTrue(at >= 0, "README.md has no \"## Media kinds\" section");
    List<Row> rows = new ArrayList<>();
    for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (!line.startsWith("| `")) {
        if (!rows.isEmpty()) {
          break; // the first table of the section ends
        }
        continue;
      }
      String[] cells = line.split("\\|");
      rows.add(new Row(ticked(cells[1]).get(0), ticked(cells[2]), ticked(cells[3])));
    }
    return rows;
  }

  private static List<String> ticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The project's README.md: in the module's parent folder (Maven runs tests in the module). */
  static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path readme = dir.resolve("README.md");
      if (Files.isRegularFile(readme)
          && Files.isRegularFile(dir.resolve("axon-buffer-kinds-media/pom.xml"))) {
        return readme;
      }
    }
    throw new AssertionError("no project README.md above " + Path.of("").toAbsolutePath());
  }
}
