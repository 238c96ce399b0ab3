package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void pathsAreCutToTheirLastSegment() {
    assertEquals("passwd", FileNames.safeBaseName("../../etc/passwd"));
    assertEquals("evil.txt", FileNames.safeBaseName("C:\\Windows\\evil.txt"));
    assertEquals("x.txt", FileNames.safeBaseName("/abs/x.txt"));
    assertEquals("b.txt", FileNames.safeBaseName("a\\..\\b.txt"));
  }

  @Test
  void drivePrefixControlsAndTrailingDotsGo() {
    assertEquals("evil.txt", FileNames.safeBaseName("C:evil.txt"));
    assertEquals("ab.txt", FileNames.safeBaseName("a\u0000b\n.txt"));
    assertEquals("name", FileNames.safeBaseName("  name. . "));
  }

  @Test
  void dotNamesAndEmptyGiveEmpty() {
    assertEquals("", FileNames.safeBaseName(".."));
    assertEquals("", FileNames.safeBaseName("."));
    assertEquals("", FileNames.safeBaseName("dir/"));
    assertEquals("", FileNames.safeBaseName(""));
  }

  @Test
  void ordinaryNamesAreKept() {
    assertEquals("résumé 日本語.txt", FileNames.safeBaseName("résumé 日本語.txt"));
    assertEquals(".bashrc", FileNames.safeBaseName(".bashrc"));
    assertEquals("semi;colon.txt", FileNames.safeBaseName("semi;colon.txt"));
  }
}
