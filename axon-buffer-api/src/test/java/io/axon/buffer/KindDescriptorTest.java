package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KindDescriptorTest {

  @Test
  void normalisesMediaTypesAndExtensions() {
    KindDescriptor d =
        KindDescriptor.builder("jpeg-test")
            .description("JPEG image")
            .mediaTypes("Image/JPEG", "image/pjpeg")
            .extensions(".JPG", "jpeg", "jpe")
            .build();
    assertEquals(List.of("image/jpeg", "image/pjpeg"), d.mediaTypes());
    assertEquals(Optional.of("image/jpeg"), d.canonicalMediaType());
    assertEquals(List.of("jpg", "jpeg", "jpe"), d.extensions());
    assertFalse(d.sniffer().isPresent());
    assertEquals(0, d.priority());
  }

  @Test
  void rejectsMissingOrMultiLineDescriptions() {
    assertMessage("description is missing", KindDescriptor.builder("k1"));
    assertMessage("description is missing", KindDescriptor.builder("k1").description("  "));
    assertMessage("is not one line", KindDescriptor.builder("k1").description("two\nlines"));
    assertMessage("more than 200", KindDescriptor.builder("k1").description("x".repeat(201)));
  }

  @Test
  void rejectsBadMediaTypesNamingThem() {
    assertMessage("\"image\"", KindDescriptor.builder("k2").description("d").mediaTypes("image"));
    assertMessage(
        "\"text/plain; charset=utf-8\"",
        KindDescriptor.builder("k2").description("d").mediaTypes("text/plain; charset=utf-8"));
    assertMessage("\"a/b/c\"", KindDescriptor.builder("k2").description("d").mediaTypes("a/b/c"));
    assertMessage(
        "listed twice", KindDescriptor.builder("k2").description("d").mediaTypes("a/b", "A/B"));
  }

  @Test
  void rejectsBadExtensionsNamingThem() {
    assertMessage("\"\"", KindDescriptor.builder("k3").description("d").extensions(""));
    assertMessage("\"a b\"", KindDescriptor.builder("k3").description("d").extensions("a b"));
    assertMessage(
        "listed twice", KindDescriptor.builder("k3").description("d").extensions("ul", ".UL"));
  }

  @Test
  void builderRejectsBadSlugs() {
    assertThrows(IllegalArgumentException.class, () -> KindDescriptor.builder("Bad Slug"));
  }

  private static void assertMessage(String expected, KindDescriptor.Builder builder) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid descriptor for kind \""), e.getMessage());
  }
}
