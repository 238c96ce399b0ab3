package org.example.dicom;

import com.google.auto.service.AutoService;
import io.axon.buffer.BufferKind;
import io.axon.buffer.KindDescriptor;
import io.axon.buffer.spi.BufferKindProvider;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

/**
 * Adds the {@code dicom} kind to axon-buffer: DICOM Part 10 files (PS3.10), recognised by the
 * {@code DICM} prefix after the 128-byte preamble, and inspected by {@link DicomInspector}.
 *
 * <p>Registered for the class path by {@code @AutoService} and for the module path by {@code
 * provides} in {@code module-info.java}; axon-buffer finds it as soon as the JAR is on either path,
 * or when a plugin folder holding it is loaded.
 */
@AutoService(BufferKindProvider.class)
public final class DicomKindProvider implements BufferKindProvider {

  /** The kind this provider declares. */
  public static final BufferKind DICOM = BufferKind.of("dicom");

  /** Offset of the {@code DICM} prefix: after the 128-byte preamble. */
  static final int PREFIX_OFFSET = 128;

  @Override
  public Collection<KindDescriptor> kinds() {
    return List.of(
        KindDescriptor.builder(DICOM)
            .description("DICOM Part 10 file (medical image with its metadata)")
            .mediaTypes("application/dicom")
            .extensions("dcm", "dicom")
            .sniffer(DicomKindProvider::sniff)
            .inspector(new DicomInspector())
            .build());
  }

  /**
   * 100 when {@code DICM} sits at offset 128 and the first meta element that follows belongs to
   * group 0002 (what every Part 10 writer produces); 60 for the prefix alone; 0 otherwise.
   */
  static int sniff(ByteBuffer head) {
    int p = head.position();
    if (head.remaining() < PREFIX_OFFSET + 4
        || head.get(p + PREFIX_OFFSET) != 'D'
        || head.get(p + PREFIX_OFFSET + 1) != 'I'
        || head.get(p + PREFIX_OFFSET + 2) != 'C'
        || head.get(p + PREFIX_OFFSET + 3) != 'M') {
      return 0;
    }
    if (head.remaining() < PREFIX_OFFSET + 6) {
      return 60;
    }
    int group =
        (head.get(p + PREFIX_OFFSET + 4) & 0xFF) | (head.get(p + PREFIX_OFFSET + 5) & 0xFF) << 8;
    return group == 0x0002 ? 100 : 60;
  }
}
