package io.axon.buffer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.KindInspector;
import io.axon.buffer.KindRegistration;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the example third-party plugin {@code kind-plugin-dicom} (its {@code DICM} sniffer and its
 * {@code DicomInspector}) through the global registry, which finds it on the class path by its
 * services file, as a server that loaded the plugin meets it on uploaded bytes.
 *
 * <p>{@link #sniff}: the checks of {@link MediaFuzzTest#sniffers} (a score of 0..100, the same
 * twice, the read-only head, the registry's {@code detect} without a sniffer failure), and the
 * score the plugin documents: 100 for {@code DICM} at offset 128 followed by a group-0002 element,
 * 60 for the prefix alone, 0 otherwise; the same score for the content at a later position of a
 * larger buffer (the sniffer reads from the head's position).
 *
 * <p>{@link #inspect}: the checks of the media inspectors ({@link MediaFuzzTest#inspect}): a
 * non-null map of plain values or a {@code MalformedContentException} of kind {@code dicom} with a
 * message, nothing else; deterministic; the input left alone; at most {@code 1 MiB + 16 x input}
 * bytes of heap allocated. And the same outcome for the content at a later position of a larger
 * buffer (the inspector reads from position to limit).
 *
 * <p>Seeds: the plugin's own DCMTK samples ({@code examples/kind-plugin-dicom/src/test/resources/
 * dicom}), written by {@code make-seeds.py}.
 */
class DicomFuzzTest {

  /** Bytes put before the content for the "later position" runs. */
  static final int SHIFT = 3;

  @FuzzTest(maxDuration = "3m")
  void sniff(byte[] input) {
    int problemsBefore = MediaFuzzTest.sniffFailures();
    KindDescriptor dicom = dicom();
    ByteBuffer head = ByteBuffer.wrap(input).asReadOnlyBuffer();
    int score = MediaFuzzTest.sniff(dicom, head);
    assertEquals(documentedScore(input), score, "the sniffer's documented score");
    assertEquals(score, MediaFuzzTest.sniff(dicom, shifted(input)), "at a later position");
    assertNotNull(MediaFuzzTest.REGISTRY.detect(head));
    assertNotNull(MediaFuzzTest.REGISTRY.detect(head, "upload.dcm"));
    assertEquals(
        problemsBefore,
        MediaFuzzTest.sniffFailures(),
        () -> "a sniffer threw: " + MediaFuzzTest.REGISTRY.problems());
  }

  @FuzzTest(maxDuration = "3m")
  void inspect(byte[] input) {
    MediaFuzzTest.inspect("dicom", input);
    KindInspector inspector = dicom().inspector().orElseThrow();
    assertEquals(
        MediaFuzzTest.inspectOnce("dicom", inspector, ByteBuffer.wrap(input).asReadOnlyBuffer()),
        MediaFuzzTest.inspectOnce("dicom", inspector, shifted(input)),
        "at a later position");
  }

  /** The fuzzed sniffer and inspector are the plugin's, found by the global registry. */
  @Test
  void theGlobalRegistryHasThePlugin() {
    KindRegistration r =
        MediaFuzzTest.REGISTRY.registrations().stream()
            .filter(x -> x.descriptor().slug().equals("dicom"))
            .findFirst()
            .orElseThrow();
    assertEquals("org.example.dicom.DicomKindProvider", r.provider());
    assertTrue(r.descriptor().sniffer().isPresent() && r.descriptor().inspector().isPresent());
  }

  static KindDescriptor dicom() {
    return MediaFuzzTest.REGISTRY.descriptor("dicom").orElseThrow();
  }

  /** The input, read-only, from position {@link #SHIFT} of a larger buffer of junk bytes. */
  static ByteBuffer shifted(byte[] input) {
    byte[] padded = new byte[SHIFT + input.length];
    java.util.Arrays.fill(padded, 0, SHIFT, (byte) 'D');
    System.arraycopy(input, 0, padded, SHIFT, input.length);
    return ByteBuffer.wrap(padded).position(SHIFT).asReadOnlyBuffer();
  }

  /** The score {@code DicomKindProvider}'s javadoc promises, computed independently. */
  static int documentedScore(byte[] b) {
    if (b.length < 132 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') {
      return 0;
    }
    return b.length >= 134 && b[132] == 0x02 && b[133] == 0x00 ? 100 : 60;
  }
}
