/** A DICOM kind for axon-buffer: one provider, found through {@code provides}. */
module org.example.dicom {
  requires io.axon.buffer.api;
  requires static com.google.auto.service;

  exports org.example.dicom;

  provides io.axon.buffer.spi.BufferKindProvider with
      org.example.dicom.DicomKindProvider;
}
