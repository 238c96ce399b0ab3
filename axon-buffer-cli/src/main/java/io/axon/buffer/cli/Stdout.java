package io.axon.buffer.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * The command's standard output, which remembers its first write error.
 *
 * <p>{@link java.io.PrintWriter} and {@link PrintStream} swallow write errors (a full disk, a
 * closed pipe, {@code > /dev/full}), so a command printing through them would exit 0 having written
 * nothing. Everything the command prints goes through this stream instead: an error is rethrown to
 * the writer and kept, and {@link Main#run} ends a run that met one with exit code 1 and a message
 * naming standard output. When the underlying stream is itself a {@link PrintStream} (tests, or an
 * embedding caller), its error flag is read on every flush.
 *
 * <p>Not thread-safe: the command prints from one thread.
 */
final class Stdout extends OutputStream {

  private final OutputStream out;
  private IOException failure;

  Stdout(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
    if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
      throw failed(new IOException("write error"));
    }
  }

  /**
   * A channel for binary output. On the process's own standard output (a {@link FileOutputStream})
   * it is that file's channel, which takes a gathering write of direct buffers without a copy, and
   * whose errors are thrown to the caller only; otherwise a channel over this stream.
   */
  WritableByteChannel channel() {
    if (out.getClass() == FileOutputStream.class) {
      return ((FileOutputStream) out).getChannel();
    }
    return Channels.newChannel(this);
  }

  /** The first write error not yet taken, or null; taking it clears it. */
  IOException takeFailure() {
    IOException f = failure;
    failure = null;
    return f;
  }

  private IOException failed(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }
}
