package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.axon.buffer.BufferKind;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.SlabBufferPool;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFilesTest {

  @Test
  void mapsAFileWithoutCopyingOrPooling(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audio.raw");
    byte[] content = new byte[100_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Files.write(file, content);
    try (SlabBufferPool pool = TestPools.newPool();
        ZeroCopyBuffer view = MappedFiles.map(file, BufferKind.of("pcm16"))) {
      assertEquals(content.length, view.length());
      assertEquals("pcm16", view.kind().slug());
      assertEquals(Optional.empty(), view.tenant());
      assertArrayEquals(content, view.toByteArray());
      ByteBuffer bytes = view.asReadOnlyByteBuffer();
      assertTrue(bytes.isDirect(), "the mapping itself, not a copy");
      assertTrue(bytes.isReadOnly());
      try (ZeroCopyBuffer slice = view.slice(10, 20)) {
        assertEquals(content[10], slice.get(0));
      }
      assertEquals(0, pool.snapshot().liveBytes());
    }
    try (ZeroCopyBuffer raw = MappedFiles.map(file)) {
      assertEquals(BufferKind.raw(), raw.kind());
    }
  }

  @Test
  void emptyFilesMissingFilesAndHugeFiles(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    try (ZeroCopyBuffer view = MappedFiles.map(empty)) {
      assertEquals(0, view.length());
    }
    assertThrows(NoSuchFileException.class, () -> MappedFiles.map(dir.resolve("missing")));
    Path huge = dir.resolve("huge.bin");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(MappedFiles.MAX_FILE_BYTES + 1); // sparse
    }
    SizeLimitExceededException e =
        assertThrows(SizeLimitExceededException.class, () -> MappedFiles.map(huge));
    assertEquals(MappedFiles.MAX_FILE_BYTES, e.limitBytes());
    assertEquals(MappedFiles.MAX_FILE_BYTES + 1, e.actualBytes());
    Files.delete(huge);
  }
}
