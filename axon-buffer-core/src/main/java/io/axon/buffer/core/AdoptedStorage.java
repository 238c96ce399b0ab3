package io.axon.buffer.core;

import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.LeakDetection;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One piece of foreign memory taken over without a copy ({@link Buffers#adopt}): a {@code
 * ByteBuffer} another owner (a Netty {@code ByteBuf}, a Jetty chunk, native code) keeps alive until
 * its release runs. Counts its views like any storage; when its last view closes, it tells its
 * {@link Owner}, which runs the release once every piece of the adoption is gone.
 *
 * <p>Safety net: each piece registers once with the core's Cleaner; its action holds the owner,
 * never the storage or a view. A piece whose views all became unreachable without {@code close()}
 * counts as gone (and as a leak, told to its {@link Borrowing}), so the release still runs.
 *
 * <p>Threading: thread-safe; the release runs on the thread that closes the last view (or on the
 * Cleaner's thread for a leak), exactly once.
 */
final class AdoptedStorage extends Storage {

  /** The name leak reports of unbilled adoptions ({@link Borrowing#UNBILLED}) carry. */
  static final String LEAK_SOURCE = "adopted";

  private final Net net;

  AdoptedStorage(ByteBuffer memory, Owner owner) {
    setMemory(memory, memory.capacity());
    this.length = memory.capacity();
    this.net = new Net(owner, memory.capacity());
    net.cleanable = LeakDetection.cleaner().register(this, net);
  }

  @Override
  Optional<String> tenant() {
    return net.owner.borrowing.tenant();
  }

  @Override
  ZeroCopyBuffer pooledCopy(ZeroCopyBuffer src, boolean billed) {
    return net.owner.borrowing.pooledCopy(src, billed);
  }

  @Override
  void deallocate() {
    net.released = true;
    net.cleanable.clean();
  }

  @Override
  String describe() {
    return capacity + "-byte adopted storage";
  }

  /** The release of one adoption, run when its last piece is gone. */
  static final class Owner {
    private final AtomicInteger pieces;
    private final Runnable release;
    final Borrowing borrowing;

    Owner(int pieces, Runnable release, Borrowing borrowing) {
      this.pieces = new AtomicInteger(pieces);
      this.release = release;
      this.borrowing = borrowing;
    }

    void pieceGone() {
      if (pieces.decrementAndGet() == 0) {
        try {
          release.run();
        } catch (RuntimeException e) {
          System.getLogger(AdoptedStorage.class.getName())
              .log(System.Logger.Level.WARNING, "the release of adopted memory threw", e);
        } finally {
          borrowing.returned();
        }
      }
    }
  }

  /** The Cleaner action of one piece: holds the owner, never the storage. */
  private static final class Net implements Runnable {
    private final Owner owner;
    private final int capacity;
    // Written by the releasing thread before clean(), read by the action on the same thread, or
    // by the Cleaner's thread only once the storage was found unreachable (never released).
    boolean released;
    Cleaner.Cleanable cleanable;

    Net(Owner owner, int capacity) {
      this.owner = owner;
      this.capacity = capacity;
    }

    @Override
    public void run() {
      if (!released) {
        owner.borrowing.leaked(capacity);
      }
      owner.pieceGone();
    }
  }
}
