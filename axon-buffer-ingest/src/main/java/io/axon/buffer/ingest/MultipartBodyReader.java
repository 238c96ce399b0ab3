package io.axon.buffer.ingest;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.BufferAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MultipartParser#parse}: a whole body read from a channel into a {@link MultipartBody}, in
 * {@value #READ_CHUNK}-byte chunks, with every part closed if anything fails. Internal.
 */
final class MultipartBodyReader implements MultipartListener {

  /** The chunk size a body is read with. */
  static final int READ_CHUNK = 64 * 1024;

  private final List<Part> parts = new ArrayList<>();
  private MultipartSummary summary;
  private AxonBufferException error;

  private MultipartBodyReader() {}

  /**
   * See {@link MultipartParser#parse(ReadableByteChannel, String, BufferAllocator,
   * MultipartOptions)}.
   */
  static MultipartBody read(
      ReadableByteChannel body,
      String boundary,
      BufferAllocator allocator,
      MultipartOptions options)
      throws IOException {
    MultipartBodyReader collector = new MultipartBodyReader();
    MultipartParser parser = new MultipartParser(boundary, allocator, options, collector);
    ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
    boolean ok = false;
    try {
      while (!parser.isDone()) {
        chunk.clear();
        if (body.read(chunk) < 0) {
          parser.finish();
          break;
        }
        chunk.flip();
        parser.feed(chunk);
      }
      if (collector.error != null) {
        throw collector.error;
      }
      ok = true;
      return new MultipartBody(collector.parts, collector.summary);
    } finally {
      if (!ok) {
        parser.abortQuietly();
        collector.closeAll();
      }
    }
  }

  @Override
  public void onPart(Part part) {
    parts.add(part);
  }

  @Override
  public void onComplete(MultipartSummary s) {
    summary = s;
  }

  @Override
  public void onError(AxonBufferException e) {
    error = e;
    closeAll();
  }

  private void closeAll() {
    for (Part p : parts) {
      p.close();
    }
    parts.clear();
  }
}
