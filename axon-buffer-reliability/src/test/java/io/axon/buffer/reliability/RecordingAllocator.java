package io.axon.buffer.reliability;

import io.axon.buffer.BufferAllocator;
import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BufferAllocator} that passes every request to a real one and records the largest
 * capacity asked for: the fuzz targets assert it against a bound derived from the configured limits
 * and the input's size, so that a length field read from untrusted bytes can never size an
 * allocation on its own.
 */
final class RecordingAllocator implements BufferAllocator {

  private final BufferAllocator delegate;
  private int largest;
  private long requests;

  RecordingAllocator(BufferAllocator delegate) {
    this.delegate = delegate;
  }

  @Override
  public BufferMut acquire(int capacityHint) {
    requests++;
    largest = Math.max(largest, capacityHint);
    return delegate.acquire(capacityHint);
  }

  @Override
  public ZeroCopyBuffer adopt(BufferKind kind, List<ByteBuffer> pieces, Runnable release) {

    return delegate.adopt(kind, pieces, release);
  }

  @Override
  public Optional<String> tenant() {
    return delegate.tenant();
  }

  /** The largest capacity hint requested so far. */
  int largest() {
    return largest;
  }

  long requests() {
    return requests;
  }

  /** Fails if any request asked for more than {@code bound} bytes; {@code what} explains it. */
  void assertLargestAtMost(long bound, String what) {
    if (largest > bound) {
      throw new AssertionError(
          "an allocation of "
              + largest
              + " bytes was requested; the bound is "
              + bound
              + " ("
              + what
              + ")");
    }
  }
}
