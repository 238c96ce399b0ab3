package io.axon.buffer.cli.stream;

import io.axon.buffer.ZeroCopyBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One call's converted audio as a WAV file, written as it arrives: a 44-byte header with sizes left
 * at 0, then each piece written from its pooled memory (one {@code write} per piece, no copy on the
 * heap), and the sizes filled in when the call ends. {@code pcm16} is written as PCM (format 1, 16
 * bits), {@code mulaw8} as G.711 μ-law (format 7, 8 bits). A call that fails keeps the audio up to
 * its fault, with a valid header.
 *
 * <p>The file name is the call id the server made ({@code DIR/stream/<call id>.wav}): nothing a
 * client sends reaches the file system. Not thread-safe: the call's thread writes.
 */
final class WavSink implements AutoCloseable {

  private static final int HEADER = 44;

  private final Path file;
  private final FileChannel channel;
  private long dataBytes;
  private boolean closed;

  private WavSink(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Creates {@code dir/stream/<callId>.wav} with a header for {@code format}'s output.
   *
   * @throws IOException if the file cannot be created
   */
  static WavSink create(Path dir, String callId, StreamFormat format) throws IOException {
    Path folder = dir.resolve("stream");
    Files.createDirectories(folder);
    Path file = folder.resolve(callId + ".wav");
    FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer h = header(format, 0);
      while (h.hasRemaining()) {
        ch.write(h);
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new WavSink(file, ch);
  }

  /** The 44-byte header for {@code dataBytes} of {@code format}'s output. */
  static ByteBuffer header(StreamFormat format, long dataBytes) {
    boolean pcm = format.to().slug().equals("pcm16");
    int bits = pcm ? 16 : 8;
    int channels = format.channels();
    int block = channels * bits / 8;
    long data = Math.min(dataBytes, 0xFFFF_FFFFL - 36);
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt((int) (36 + data));
    h.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt(16);
    h.putShort((short) (pcm ? 1 : 7));
    h.putShort((short) channels);
    h.putInt(format.toRate());
    h.putInt(format.toRate() * block);
    h.putShort((short) block);
    h.putShort((short) bits);
    h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    h.putInt((int) data);
    return h.flip();
  }

  /**
   * Appends {@code audio} (borrowed).
   *
   * @throws IOException if the write fails
   */
  void write(ZeroCopyBuffer audio) throws IOException {
    dataBytes += audio.writeTo(channel);
  }

  /** {@return the file} */
  Path file() {
    return file;
  }

  /**
   * Fills in the sizes and closes the file. Idempotent.
   *
   * @param format the call's format (the header is written again with the sizes)
   * @throws IOException if the write fails
   */
  void finish(StreamFormat format) throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel ch = channel) {
      ByteBuffer h = header(format, dataBytes);
      long at = 0;
      while (h.hasRemaining()) {
        at += ch.write(h, at);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }
}
