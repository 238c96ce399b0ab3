package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Found by the reliability work's attack on {@code serve --store}: a 300-character file name passed
 * {@link FileNames#safeBaseName} unchanged and the file system refused it ("File name too long"),
 * failing the upload. Safe names now fit, with room for a prefix.
 */
class FileNamesLengthTest {

  @Test
  void aLongNameIsCutToTheByteBudgetKeepingItsExtension() {
    String name = "a".repeat(300) + ".jpg";
    String safe = FileNames.safeBaseName(name);
    assertEquals(FileNames.MAX_BASE_NAME_BYTES, safe.length());
    assertTrue(safe.endsWith(".jpg") && safe.startsWith("aaaa"), safe);
  }

  @Test
  void multiByteNamesAreCountedInUtf8AndNeverCutInsideACharacter() {
    String name = "é".repeat(150) + "😀".repeat(20) + ".png"; // 300 + 80 + 4 bytes
    String safe = FileNames.safeBaseName(name);
    byte[] utf8 = safe.getBytes(StandardCharsets.UTF_8);
    assertTrue(utf8.length <= FileNames.MAX_BASE_NAME_BYTES, utf8.length + " bytes");
    assertTrue(safe.endsWith(".png"), safe);
    assertEquals(safe, new String(utf8, StandardCharsets.UTF_8), "no broken character");
    for (int i = 0; i < safe.length(); i++) {
      assertTrue(
          !Character.isSurrogate(safe.charAt(i))
              || Character.isSurrogatePair(safe.charAt(i), safe.charAt(i + 1))
              || (i > 0 && Character.isSurrogatePair(safe.charAt(i - 1), safe.charAt(i))));
    }
  }

  @Test
  void aLongExtensionIsNotKeptAndShortNamesAreUntouched() {
    String safe = FileNames.safeBaseName("x".repeat(190) + "." + "y".repeat(40));
    assertEquals(FileNames.MAX_BASE_NAME_BYTES, safe.length());
    assertEquals("report.final.pdf", FileNames.safeBaseName("../report.final.pdf"));
    String exactly = "z".repeat(FileNames.MAX_BASE_NAME_BYTES);
    assertEquals(exactly, FileNames.safeBaseName(exactly));
  }
}
