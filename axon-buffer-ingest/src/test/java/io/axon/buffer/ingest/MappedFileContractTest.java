package io.axon.buffer.ingest;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.testing.ZeroCopyBufferContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ZeroCopyBufferContract} over a view of a file mapped read-only ({@link MappedFiles}). */
class MappedFileContractTest extends ZeroCopyBufferContract {

  @TempDir Path dir;
  private int files;

  @Override
  protected ZeroCopyBuffer create(byte[] content) {
    try {
      Path file = Files.write(dir.resolve("mapped-" + files++ + ".bin"), content);
      return MappedFiles.map(file, KIND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
