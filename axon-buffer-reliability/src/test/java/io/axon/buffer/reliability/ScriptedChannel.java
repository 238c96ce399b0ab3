package io.axon.buffer.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.function.IntSupplier;

/**
 * A {@link ReadableByteChannel} over a byte array that returns its bytes in pieces of the sizes a
 * script gives, and can fail: after {@code failAfter} bytes it throws an {@link InjectedFailure}
 * (the network dropping in the middle of a part). Never returns 0, like a blocking channel.
 */
final class ScriptedChannel implements ReadableByteChannel {

  /** What the channel throws when it fails (compared by identity). */
  static final class InjectedFailure extends IOException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(long at) {
      super("connection reset (injected) after " + at + " bytes");
    }
  }

  private final byte[] data;
  private final IntSupplier pieces;
  private final long failAfter;
  private int at;
  private boolean open = true;
  private InjectedFailure thrown;

  /**
   * @param pieces the size of each read (values below 1 read 1 byte)
   * @param failAfter fail once this many bytes were handed out, -1 never
   */
  ScriptedChannel(byte[] data, IntSupplier pieces, long failAfter) {
    this.data = data;
    this.pieces = pieces;
    this.failAfter = failAfter;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new java.nio.channels.ClosedChannelException();
    }
    if (failAfter >= 0 && at >= failAfter) {
      thrown = new InjectedFailure(at);
      throw thrown;
    }
    if (at == data.length) {
      return -1;
    }
    int n = Math.max(1, pieces.getAsInt());
    n = Math.min(n, Math.min(dst.remaining(), data.length - at));
    if (failAfter >= 0) {
      n = (int) Math.min(n, failAfter - at);
    }
    dst.put(data, at, n);
    at += n;
    return n;
  }

  /** The failure thrown, or null. */
  InjectedFailure thrown() {
    return thrown;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
