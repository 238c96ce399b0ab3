package io.axon.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The content and ingest branches of the one exception root: their parents, values and codes. */
class ContentAndIngestExceptionTest {

  @Test
  void malformedContentIsAContentFaultAnswered400And1007() {
    AxonBufferException e =
        new MalformedContentException(BufferKind.of("jpeg"), 17, "SOF0 runs past the end");
    assertInstanceOf(ContentException.class, e);
    assertEquals(400, e.httpStatus());
    assertEquals(1007, e.webSocketCloseCode());
    assertEquals(17, ((MalformedContentException) e).offset());
    assertEquals("malformed jpeg at offset 17: SOF0 runs past the end", e.getMessage());
  }

  @Test
  void unsupportedContentIsAContentFaultAnswered415And1003() {
    AxonBufferException e = new UnsupportedContentException(BufferKind.of("wav"), "ima-adpcm");
    assertInstanceOf(ContentException.class, e);
    assertEquals(415, e.httpStatus());
    assertEquals(1003, e.webSocketCloseCode());
    assertEquals(BufferKind.of("wav"), ((UnsupportedContentException) e).kind());
  }

  @Test
  void noTranscoderPathIsAContentFaultAnswered415And1003() {
    AxonBufferException e =
        new NoTranscoderPathException(BufferKind.of("png"), BufferKind.of("mulaw8"), "none");
    assertInstanceOf(ContentException.class, e);
    assertEquals(415, e.httpStatus());
    assertEquals(1003, e.webSocketCloseCode());
    NoTranscoderPathException n = (NoTranscoderPathException) e;
    assertEquals(BufferKind.of("png"), n.from());
    assertEquals(BufferKind.of("mulaw8"), n.to());
  }

  @Test
  void sizeLimitIsAnIngestFaultAnswered413And1009AndNamesWhatWasRead() {
    AxonBufferException e = new SizeLimitExceededException("upload.bin", 1000, 1001);
    assertInstanceOf(IngestException.class, e);
    assertEquals(413, e.httpStatus());
    assertEquals(1009, e.webSocketCloseCode());
    SizeLimitExceededException s = (SizeLimitExceededException) e;
    assertEquals("upload.bin", s.what());
    assertEquals(1000, s.limitBytes());
    assertEquals(1001, s.actualBytes());
    assertEquals(
        "SIZE_LIMIT_EXCEEDED: upload.bin has at least 1001 bytes, more than the limit of 1000",
        e.getMessage());
  }

  @Test
  void everyFaultIsUncheckedAndNoneIsAnIoException() {
    for (Object e :
        new Object[] {
          new MalformedContentException(BufferKind.raw(), -1, "x"),
          new SizeLimitExceededException("x", 0, 1),
          new TenantLimitExceededException("t", 1, 1, 1)
        }) {
      assertTrue(e instanceof RuntimeException, e.getClass() + " is unchecked");
      assertTrue(!(e instanceof java.io.IOException), e.getClass() + " is no IOException");
    }
  }
}
