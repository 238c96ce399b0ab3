package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** What text output escapes so that a terminal never obeys a file's bytes. */
class TerminalTextTest {

  @Test
  void printableTextIsLeftAsItIsWithoutACopy() {
    String s = "photo café.jpg  日本語 😀 width=96";
    assertSame(s, TerminalText.escape(s));
  }

  @Test
  void controlCharactersAreEscapedAndTheBackslashToo() {
    assertEquals("esc\\x1b[2Jx", TerminalText.escape("esc\u001b[2Jx"));
    assertEquals("a\\nb\\rc\\td", TerminalText.escape("a\nb\rc\td"));
    assertEquals(
        "bell\\x07 nul\\x00 del\\x7f", TerminalText.escape("bell\u0007 nul\u0000 del\u007f"));
    assertEquals("a\\\\x1b", TerminalText.escape("a\\x1b"), "a real backslash is not an escape");
  }

  @Test
  void c1ControlsSeparatorsAndBidiControlsAreEscaped() {
    assertEquals("csi\\u009b2J", TerminalText.escape("csi\u009b2J"));
    assertEquals("\\u2028\\u2029", TerminalText.escape("\u2028\u2029"));
    assertEquals("txt.\\u202egpj", TerminalText.escape("txt.\u202egpj"));
    assertEquals("\\u2066x\\u2069", TerminalText.escape("\u2066x\u2069"));
  }

  @Test
  void aFileNamesUndecodableByteIsShownAsThatByte() {
    assertEquals(
        "a\\xffb", TerminalText.escape(PathNames.decode(new byte[] {'a', (byte) 0xFF, 'b'})));
    assertEquals("\\ud800x", TerminalText.escape("\ud800x"), "another lone surrogate");
    assertEquals("😀", TerminalText.escape("\ud83d\ude00"), "a pair is a character");
  }
}
