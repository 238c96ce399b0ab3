package io.axon.buffer.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The test corpus (src/test/resources/corpus), read from the class path. */
final class Corpus {

  private Corpus() {}

  static byte[] resource(String path) {
    try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource corpus/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Map<String, String>> tsv(String path) {
    String[] lines = new String(resource(path), StandardCharsets.UTF_8).split("\n");
    String[] header = lines[0].split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] cells = lines[i].split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) {
        row.put(header[c], c < cells.length ? cells[c] : "");
      }
      rows.add(row);
    }
    return rows;
  }

  /** One manifest row of a part. */
  record ManifestPart(
      String name,
      String filename,
      String rawFilename,
      String contentType,
      String cte,
      int size,
      String sha256,
      int decodedSize,
      String decodedSha256) {}

  /** One corpus body with what it must give. */
  record Body(
      String name,
      byte[] bytes,
      String contentType,
      String boundary,
      int partCount,
      long preambleBytes,
      long epilogueBytes,
      List<ManifestPart> parts) {}

  static List<Body> multipartBodies() {
    Map<String, List<ManifestPart>> parts = new HashMap<>();
    for (Map<String, String> r : tsv("multipart/MANIFEST.tsv")) {
      String file = r.get("file").replace(".body", "");
      parts
          .computeIfAbsent(file, k -> new ArrayList<>())
          .add(
              new ManifestPart(
                  r.get("name"),
                  dash(r.get("filename")),
                  dash(r.get("filename_raw")),
                  dash(r.get("part_content_type")),
                  dash(r.get("cte")),
                  Integer.parseInt(r.get("size")),
                  r.get("sha256"),
                  r.get("decoded_size").equals("-") ? -1 : Integer.parseInt(r.get("decoded_size")),
                  dash(r.get("decoded_sha256"))));
    }
    List<Body> bodies = new ArrayList<>();
    for (Map<String, String> r : tsv("multipart/MANIFEST-files.tsv")) {
      String file = r.get("file");
      bodies.add(
          new Body(
              file,
              resource("multipart/" + file + ".body"),
              r.get("content_type_header"),
              r.get("boundary"),
              Integer.parseInt(r.get("parts_incl_nested")),
              Long.parseLong(r.get("preamble_bytes")),
              Long.parseLong(r.get("epilogue_bytes")),
              parts.getOrDefault(file, List.of())));
    }
    return bodies;
  }

  private static String dash(String s) {
    return s == null || s.equals("-") ? null : s;
  }

  /** One frame of a {@code .frames.jsonl} file. */
  record Frame(boolean fin, int rsv, int opcode, byte[] payload) {}

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\\s*(\"[^\"]*\"|-?\\d+)");

  static List<Frame> frames(String session) {
    List<Frame> out = new ArrayList<>();
    for (String line :
        new String(resource("websocket/" + session + ".frames.jsonl"), StandardCharsets.UTF_8)
            .split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> f = new HashMap<>();
      Matcher m = FIELD.matcher(line);
      while (m.find()) {
        String v = m.group(2);
        f.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
      }
      out.add(
          new Frame(
              f.get("fin").equals("1"),
              Integer.parseInt(f.get("rsv")),
              Integer.parseInt(f.get("opcode")),
              Base64.getDecoder().decode(f.get("payload_b64"))));
    }
    return out;
  }

  /** One manifest row of a WebSocket session (a frame or a message). */
  record WsRow(
      String session,
      String kind,
      int index,
      boolean fin,
      int rsv,
      int opcode,
      int len,
      String sha256) {}

  static List<WsRow> websocketManifest() {
    List<WsRow> rows = new ArrayList<>();
    for (Map<String, String> r : tsv("websocket/MANIFEST.tsv")) {
      rows.add(
          new WsRow(
              r.get("session"),
              r.get("kind"),
              Integer.parseInt(r.get("index")),
              r.get("fin").equals("1"),
              Integer.parseInt(r.get("rsv")),
              Integer.parseInt(r.get("opcode")),
              Integer.parseInt(r.get("len")),
              r.get("sha256")));
    }
    return rows;
  }

  static List<String> websocketSessions() {
    List<String> sessions = new ArrayList<>();
    for (WsRow r : websocketManifest()) {
      if (!sessions.contains(r.session())) {
        sessions.add(r.session());
      }
    }
    return sessions;
  }
}
