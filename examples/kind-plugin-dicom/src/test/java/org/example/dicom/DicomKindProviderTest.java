package org.example.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.Detection;
import io.axon.buffer.MalformedContentException;
import io.axon.buffer.spi.BufferKindProvider;
import io.axon.buffer.testing.KindProviderContract;
import io.axon.buffer.testing.ServiceDeclarationCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin against axon-buffer's provider contract, and its inspector against what dcmdump (DCMTK
 * 3.6.7) prints for the sample files (see src/test/resources/dicom/README.md).
 */
class DicomKindProviderTest extends KindProviderContract {

  static byte[] sample(String name) {
    try (InputStream in = DicomKindProviderTest.class.getResourceAsStream("/dicom/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /dicom/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected BufferKindProvider provider() {
    return new DicomKindProvider();
  }

  @Override
  protected Map<BufferKind, List<byte[]>> samples() {
    return Map.of(
        DicomKindProvider.DICOM,
        List.of(
            sample("photo-jpeg-baseline.dcm"),
            sample("gradient-rgb-explicit.dcm"),
            sample("gradient-rgb-implicit.dcm"),
            sample("photo-vl-undefined-lengths.dcm")));
  }

  private static Map<String, Object> inspect(String name) {
    return new DicomInspector().inspect(ByteBuffer.wrap(sample(name)).asReadOnlyBuffer());
  }

  @Test
  void serviceDeclarationsAgree() {
    ServiceDeclarationCheck.assertConsistent(
        ServiceDeclarationCheck.classesDirOf(DicomKindProvider.class));
  }

  @Test
  void aRegistryLoadingThisJarDetectsDicom() {
    BufferKindRegistry registry =
        BufferKindRegistry.loading(DicomKindProvider.class.getClassLoader());
    Detection d = registry.detect(ByteBuffer.wrap(sample("gradient-rgb-implicit.dcm")));
    assertEquals(new Detection(DicomKindProvider.DICOM, 100, Detection.Basis.CONTENT), d);
    assertEquals(
        DicomKindProvider.DICOM, registry.byMediaType("application/DICOM").orElseThrow().kind());
    assertEquals(DicomKindProvider.DICOM, registry.byExtension(".DCM").get(0).kind());
  }

  @Test
  void explicitVrUncompressedMatchesDcmdump() {
    Map<String, Object> facts = inspect("gradient-rgb-explicit.dcm");
    assertEquals("1.2.840.10008.1.2.1", facts.get("transferSyntaxUid"));
    assertEquals("Explicit VR Little Endian", facts.get("transferSyntax"));
    assertEquals("1.2.840.10008.5.1.4.1.1.7", facts.get("sopClassUid"));
    assertEquals("Secondary Capture Image Storage", facts.get("sopClass"));
    assertEquals(48, facts.get("rows"));
    assertEquals(64, facts.get("columns"));
    assertEquals(3, facts.get("samplesPerPixel"));
    assertEquals(8, facts.get("bitsAllocated"));
    assertEquals("RGB", facts.get("photometricInterpretation"));
    assertEquals(false, facts.get("pixelDataEncapsulated"));
  }

  @Test
  void implicitVrGivesTheSameGeometry() {
    Map<String, Object> facts = inspect("gradient-rgb-implicit.dcm");
    assertEquals("Implicit VR Little Endian", facts.get("transferSyntax"));
    assertEquals(48, facts.get("rows"));
    assertEquals(64, facts.get("columns"));
    assertEquals("RGB", facts.get("photometricInterpretation"));
  }

  @Test
  void encapsulatedJpegAndUndefinedLengthSequencesAreWalked() {
    Map<String, Object> baseline = inspect("photo-jpeg-baseline.dcm");
    assertEquals("JPEG Baseline (Process 1)", baseline.get("transferSyntax"));
    assertEquals(64, baseline.get("rows"));
    assertEquals(96, baseline.get("columns"));
    assertEquals("YBR_FULL_422", baseline.get("photometricInterpretation"));
    assertEquals(true, baseline.get("pixelDataEncapsulated"));

    Map<String, Object> vl = inspect("photo-vl-undefined-lengths.dcm");
    assertEquals("VL Photographic Image Storage", vl.get("sopClass"));
    assertEquals("XC", vl.get("modality"));
    assertEquals(64, vl.get("rows"), "rows sit after an undefined-length sequence: " + vl);
    assertEquals(96, vl.get("columns"));
  }

  @Test
  void truncatedFilesFailWithTheOffsetOfTheElementAtFault() {
    byte[] whole = sample("gradient-rgb-explicit.dcm");
    MalformedContentException e =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(Arrays.copyOf(whole, 300))));
    assertTrue(e.offset() > 132 && e.offset() < 300, e.getMessage());
    assertTrue(e.getMessage().startsWith("malformed dicom at offset "), e.getMessage());

    MalformedContentException noPrefix =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(new byte[200])));
    assertEquals(128, noPrefix.offset());
  }

  @Test
  void aLengthThatLiesIsRefusedNotObeyed() {
    byte[] bytes = sample("gradient-rgb-explicit.dcm");
    // (0002,0000) UL at offset 132: VR "UL", 2-byte length 4. Make the next element claim 2 GiB.
    ByteBuffer b = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int second = 132 + 12; // (0002,0001) OB: 2 reserved bytes then a 4-byte length
    assertEquals(0x0002, b.getShort(second));
    b.putInt(second + 8, 0x7FFF_FFF0);
    MalformedContentException e =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
  }

  /** Preamble, {@code DICM}, then the given encoded elements. */
  private static byte[] part10(byte[]... elements) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (byte[] e : elements) {
      out.writeBytes(e);
    }
    return out.toByteArray();
  }

  /** An explicit VR little endian element with a 2-byte length (UI, CS, US...). */
  private static byte[] explicitShort(int group, int element, String vr, String value) {
    byte[] v = value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(8 + v.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putShort((short) group)
        .putShort((short) element)
        .put(vr.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putShort((short) v.length)
        .put(v)
        .array();
  }

  /**
   * An element header of undefined length (implicit VR, or explicit with a long VR) followed by an
   * empty sequence: just the sequence delimiter.
   */
  private static byte[] undefinedThenDelimiter(int group, int element, String explicitVr) {
    ByteBuffer b =
        ByteBuffer.allocate(explicitVr == null ? 16 : 20)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .putShort((short) group)
            .putShort((short) element);
    if (explicitVr != null) {
      b.put(explicitVr.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 0);
    }
    return b.putInt(-1).putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0).array();
  }

  private static final String IMPLICIT_LE = "1.2.840.10008.1.2\0";

  @Test
  void aReportedValueOfUndefinedLengthIsMalformedNotAnIndexError() {
    // Found writing the Jazzer target (axon-buffer-reliability DicomFuzzTest, input
    // audit-undefined-length-modality.dcm): Modality of undefined length (an empty sequence)
    // at the end of the file; the value was read as 64 bytes: IndexOutOfBoundsException.
    byte[] meta = explicitShort(0x0002, 0x0010, "UI", IMPLICIT_LE);
    byte[] modalityAtTheEnd = part10(meta, undefinedThenDelimiter(0x0008, 0x0060, null));
    MalformedContentException e =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(modalityAtTheEnd)));
    assertEquals(132 + meta.length, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("(0008,0060) has an undefined length"), e.getMessage());

    // Rows of undefined length with bytes to spare: was reported as 65534 (the delimiter's group).
    byte[] rows = part10(meta, undefinedThenDelimiter(0x0028, 0x0010, null), new byte[64]);
    e =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(rows)));
    assertTrue(e.getMessage().contains("(0028,0010) has an undefined length"), e.getMessage());

    // The Transfer Syntax UID itself, in the meta group, as UN of undefined length.
    byte[] syntax = part10(undefinedThenDelimiter(0x0002, 0x0010, "UN"));
    e =
        assertThrows(
            MalformedContentException.class,
            () -> new DicomInspector().inspect(ByteBuffer.wrap(syntax)));
    assertEquals(132, e.offset(), e.getMessage());
  }

  @Test
  void theSnifferWantsThePrefixAtOffset128() {
    byte[] bytes = sample("photo-jpeg-baseline.dcm");
    assertEquals(100, DicomKindProvider.sniff(ByteBuffer.wrap(bytes)));
    assertEquals(60, DicomKindProvider.sniff(ByteBuffer.wrap(Arrays.copyOf(bytes, 132))));
    assertEquals(0, DicomKindProvider.sniff(ByteBuffer.wrap(Arrays.copyOf(bytes, 131))));
    byte[] shifted = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, shifted, 1, bytes.length);
    assertEquals(0, DicomKindProvider.sniff(ByteBuffer.wrap(shifted)));
    assertFalse(DicomKindProvider.sniff(ByteBuffer.wrap(new byte[4096])) > 0);
  }
}
