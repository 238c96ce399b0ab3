package io.axon.buffer.core;

import io.axon.buffer.PoolClass;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.LeakDetection;
import java.util.Optional;

/**
 * Who is billed for one adoption of foreign memory ({@link Buffers#adopt}, {@code
 * BufferAllocator.adopt}) and who hears of it: the borrowed bytes were billed when it was made, and
 * {@link #returned()} unbills them once, after the owner's release ran. {@link #UNBILLED} bills
 * nobody; a pool's bills its tenant (see {@link SlabBufferPool#adopt}).
 *
 * <p>What it does not do: it runs no release and counts no views ({@link AdoptedStorage} does).
 */
abstract class Borrowing {

  /** Billed to nobody; leaks are reported under the name {@value AdoptedStorage#LEAK_SOURCE}. */
  static final Borrowing UNBILLED =
      new Borrowing() {
        @Override
        Optional<String> tenant() {
          return Optional.empty();
        }

        @Override
        void leaked(int capacity) {
          LeakDetection.publish(
              new LeakReport(
                  AdoptedStorage.LEAK_SOURCE,
                  PoolClass.forCapacity(capacity),
                  capacity,
                  Optional.empty(),
                  Optional.empty()));
        }

        @Override
        void returned() {}
      };

  /** The tenant the views report. */
  abstract Optional<String> tenant();

  /**
   * A copy of {@code src} in the pool that billed this adoption, billed to its tenant when {@code
   * billed}; null when no pool billed it or that pool is closed (see {@link Storage#pooledCopy}).
   */
  ZeroCopyBuffer pooledCopy(ZeroCopyBuffer src, boolean billed) {
    return null;
  }

  /** A piece of {@code capacity} bytes became unreachable without close(): count and report it. */
  abstract void leaked(int capacity);

  /** The release ran: unbill. Called exactly once. */
  abstract void returned();
}
