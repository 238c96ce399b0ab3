package io.axon.buffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.axon.buffer.BufferKindRegistry;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.testing.PoolAssertions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detect}'s reading of one file when the file changes under it. */
class FileDescriberTest {

  @TempDir Path tmp;

  @Test
  void aFileThatShrinksUnderItsMappingIsAFileChangedExceptionNotAnInternalError()
      throws IOException {
    byte[] content = new byte[1 << 20];
    new Random(1).nextBytes(content);
    Path file = Files.write(tmp.resolve("shrinking.bin"), content);
    try (SlabBufferPool pool = SlabBufferPool.builder().name("describer").build();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileDescriber describer =
          new FileDescriber(BufferKindRegistry.global(), pool, 1 << 20, Duration.ofSeconds(1));
      long size = ch.size();
      ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      // Another process truncates the file once it is mapped: the mapping's pages past the new end
      // are gone, and reading them faults (SIGBUS).
      try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
        other.truncate(1000);
      }
      Map<String, Object> o = new LinkedHashMap<>();
      FileChangedException e =
          assertThrows(
              FileChangedException.class, () -> describer.describeMapped(file, ch, head, size, o));
      assertEquals("it shrank while it was read, from " + size + " to 1000 bytes", e.getReason());
      assertEquals(file.toString(), e.getFile());
      PoolAssertions.assertNoLiveBytes(pool);
    }
  }

  @Test
  void theNextFileIsStillDescribedAfterOneShrank() throws IOException {
    // The JVM survives the fault: the same describer reads the next file normally.
    aFileThatShrinksUnderItsMappingIsAFileChangedExceptionNotAnInternalError();
    Path good = Files.write(tmp.resolve("good.bin"), new byte[] {1, 2, 3});
    try (SlabBufferPool pool = SlabBufferPool.builder().name("describer").build()) {
      Map<String, Object> o = new LinkedHashMap<>();
      new FileDescriber(BufferKindRegistry.global(), pool, 1 << 20, Duration.ofSeconds(1))
          .describe(good, o);
      assertEquals(3L, o.get("size"));
      assertEquals(Cli.sha256(new byte[] {1, 2, 3}), o.get("sha256"));
    }
  }
}
