package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindInspector;
import io.axon.buffer.KindSniffer;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.RegistryProblem;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes every sniffer and every inspector of the media provider ({@code axon-buffer-kinds-media})
 * through the registry's descriptors, as a server meets them on uploaded bytes.
 *
 * <p>{@link #sniffers}: every registered sniffer (and {@code detect}) over the input. Properties:
 * no sniffer throws (the registry would count it as 0 and report it: the report must stay empty),
 * scores are 0..100, the same input scores the same twice, the read-only head is not written.
 *
 * <p>{@code inspect<Kind>}: the kind's inspector, called directly (the registry would wrap an
 * unexpected exception into a {@link MalformedContentException} and hide it). Properties: it
 * returns a non-null map of plain values or throws {@link MalformedContentException} with a kind
 * and a message; nothing else (no {@code IndexOutOfBoundsException}, {@code
 * NegativeArraySizeException}, {@code ArithmeticException}, ...); it leaves the input alone; and
 * the heap it allocates stays within {@code 1 MiB + 16 x input}: a length field can never size an
 * allocation. Seeds: every good and bad file of the shared media corpus, per kind.
 */
class MediaFuzzTest {

  static final BufferKindRegistry REGISTRY = BufferKindRegistry.global();
  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "4m")
  void sniffers(byte[] input) {
    int problemsBefore = sniffFailures();
    ByteBuffer head = ByteBuffer.wrap(input).asReadOnlyBuffer();
    for (KindDescriptor d : descriptors()) {
      if (d.sniffer().isPresent()) {
        sniff(d, head);
      }
    }
    assertNotNull(REGISTRY.detect(head));
    assertNotNull(REGISTRY.detect(head, "upload.bin"));
    assertEquals(problemsBefore, sniffFailures(), () -> "a sniffer threw: " + REGISTRY.problems());
  }

  /**
   * The kind's sniffer over a duplicate of the read-only {@code head}, twice (it may move a
   * duplicate's position and limit, see {@link KindSniffer}): a score of 0..100, the same both
   * times. Returns the score.
   */
  static int sniff(KindDescriptor d, ByteBuffer head) {
    KindSniffer sniffer = d.sniffer().orElseThrow();
    int score = sniffer.sniff(head.duplicate());
    assertTrue(score >= 0 && score <= KindSniffer.CERTAIN, d.slug() + " scored " + score);
    assertEquals(score, sniffer.sniff(head.duplicate()), d.slug() + " is not deterministic");
    return score;
  }

  @FuzzTest(maxDuration = "4m")
  void inspectJpeg(byte[] input) {
    inspect("jpeg", input);
  }

  @FuzzTest(maxDuration = "4m")
  void inspectWav(byte[] input) {
    inspect("wav", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectPng(byte[] input) {
    inspect("png", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectWebp(byte[] input) {
    inspect("webp", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectMp4(byte[] input) {
    inspect("mp4", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectWebm(byte[] input) {
    inspect("webm", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectMp3(byte[] input) {
    inspect("mp3", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectOpus(byte[] input) {
    inspect("opus", input);
  }

  @FuzzTest(maxDuration = "3m")
  void inspectPdf(byte[] input) {
    inspect("pdf", input);
  }

  @FuzzTest(maxDuration = "2m")
  void inspectQuicktime(byte[] input) {
    inspect("quicktime", input);
  }

  @FuzzTest(maxDuration = "2m")
  void inspect3gpp(byte[] input) {
    inspect("3gpp", input);
  }

  @FuzzTest(maxDuration = "2m")
  void inspect3gpp2(byte[] input) {
    inspect("3gpp2", input);
  }

  @FuzzTest(maxDuration = "2m")
  void inspectHeic(byte[] input) {
    inspect("heic", input);
  }

  @FuzzTest(maxDuration = "2m")
  void inspectAvif(byte[] input) {
    inspect("avif", input);
  }

  /** Every inspector the registry knows is fuzzed by one of the targets above. */
  @org.junit.jupiter.api.Test
  void everyMediaInspectorHasAFuzzTarget() {
    List<String> inspected = new ArrayList<>();
    for (KindDescriptor d : descriptors()) {
      if (d.inspector().isPresent()) {
        inspected.add(d.slug());
      }
    }
    assertEquals(
        List.of(
            "3gpp",
            "3gpp2",
            "avif",
            "heic",
            "jpeg",
            "mp3",
            "mp4",
            "opus",
            "pdf",
            "png",
            "quicktime",
            "wav",
            "webm",
            "webp"),
        inspected.stream().sorted().toList());
  }

  static void inspect(String slug, byte[] input) {
    KindInspector inspector = REGISTRY.descriptor(slug).orElseThrow().inspector().orElseThrow();
    ByteBuffer content = ByteBuffer.wrap(input).asReadOnlyBuffer();
    String first = inspectOnce(slug, inspector, content.duplicate());
    // Measured on a second run over the same bytes: the first may load (and instrument) classes.
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    String second = inspectOnce(slug, inspector, content.duplicate());
    long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
    assertEquals(first, second, slug + " inspector is not deterministic");
    long bound = (1L << 20) + 16L * input.length;
    assertTrue(
        allocated <= bound,
        slug
            + " inspector allocated "
            + allocated
            + " bytes for "
            + input.length
            + " bytes of input (bound "
            + bound
            + ")");
    assertEquals(0, content.position(), "the caller's buffer was moved");
  }

  /** The facts as text, or the fault's message; fails on anything but MalformedContentException. */
  static String inspectOnce(String slug, KindInspector inspector, ByteBuffer content) {
    try {
      Map<String, Object> facts = inspector.inspect(content);
      assertNotNull(facts, slug + " returned null");
      for (Map.Entry<String, Object> e : facts.entrySet()) {
        Object v = e.getValue();
        assertTrue(
            v instanceof String || v instanceof Number || v instanceof Boolean,
            slug + " fact " + e.getKey() + " is a " + (v == null ? "null" : v.getClass()));
      }
      return facts.toString();
    } catch (MalformedContentException e) {
      assertEquals(BufferKind.of(slug), e.kind());
      assertTrue(e.getMessage() != null && e.getMessage().length() > 0);
      return e.getMessage();
    }
  }

  static List<KindDescriptor> descriptors() {
    List<KindDescriptor> out = new ArrayList<>();
    REGISTRY
        .registrations()
        .forEach(
            r -> {
              if (r.provider().contains("kinds.media")
                  || r.provider().contains("MediaKindProvider")) {
                out.add(r.descriptor());
              }
            });
    return out;
  }

  static int sniffFailures() {
    int n = 0;
    for (RegistryProblem p : REGISTRY.problems()) {
      if (p.type() == RegistryProblem.Type.SNIFFER_FAILED) {
        n++;
      }
    }
    return n;
  }
}
