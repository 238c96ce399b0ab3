package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names keep their real bytes however the JVM decodes them. A name that is not UTF-8 can only
 * be made by a process that passes bytes: the shell's printf here.
 */
class PathNamesTest {

  @TempDir Path tmp;

  @Test
  void decodeKeepsEveryByteValidUtf8AsCharactersTheRestAsLoneSurrogates() {
    byte[] bytes = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, '-', (byte) 0xFF, (byte) 0xC3};
    String s = PathNames.decode(bytes);
    assertEquals("café-\udcff\udcc3", s);
  }

  @Test
  void aNameThatIsNotUtf8ReadFromAFolderIsShownWithItsRealBytes() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    shell(
        "cd '" + dir + "' && : > \"$(printf 'a\\377b.jpg')\" && : > \"$(printf 'caf\\303\\251')\"");
    List<Path> found;
    try (Stream<Path> s = Files.list(dir)) {
      found = s.sorted().collect(Collectors.toList());
    }
    assertEquals(2, found.size());
    Path bad = found.get(0);
    assertTrue(Files.exists(bad), "the Path from the listing opens the file");
    assertEquals("a\udcffb.jpg", PathNames.of(bad.getFileName()));
    assertEquals(dir + "/a\udcffb.jpg", PathNames.of(bad));
    assertArrayEquals(
        (dir + "/a").getBytes(StandardCharsets.UTF_8),
        java.util.Arrays.copyOf(PathNames.bytes(bad), dir.toString().length() + 2));
    assertEquals("café", PathNames.of(found.get(1).getFileName()));

    // A relative path keeps its form: the name as the user would type it.
    Path relative = Path.of("").toAbsolutePath().relativize(bad);
    assertEquals(relative.toString().replace('\ufffd', '\udcff'), PathNames.of(relative));

    // Printed: in text as the byte, in JSON as the surrogate (Python: os.fsencode gives the bytes).
    assertEquals("a\\xffb.jpg", TerminalText.escape(PathNames.of(bad.getFileName())));
    assertEquals(
        "{\"file\":\"a\\udcffb.jpg\"}",
        Json.write(Map.of("file", PathNames.of(bad.getFileName()))));
  }

  @Test
  void everyByteSurvivesTheUriRoundTrip() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("all"));
    // One file whose name holds every byte 0x01..0xff except '/'.
    shell("cd '" + dir + "' && : > \"$(printf '" + everyByteEscaped() + "')\"");
    Path file;
    try (Stream<Path> s = Files.list(dir)) {
      file = s.findFirst().orElseThrow();
    }
    byte[] bytes = PathNames.bytes(file.getFileName());
    assertEquals(254, bytes.length, "0x01..0xff without '/'");
    int at = 0;
    for (int b = 1; b <= 0xFF; b++) {
      if (b != '/') {
        assertEquals((byte) b, bytes[at++], "byte " + b);
      }
    }
  }

  private static String everyByteEscaped() {
    StringBuilder s = new StringBuilder();
    for (int b = 1; b <= 0xFF; b++) {
      if (b != '/') {
        s.append(String.format("\\%03o", b));
      }
    }
    return s.toString();
  }

  static void shell(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", script).inheritIO().start();
    assertEquals(0, p.waitFor(), script);
  }
}
