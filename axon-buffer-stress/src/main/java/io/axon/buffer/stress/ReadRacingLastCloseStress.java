package io.axon.buffer.stress;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import io.axon.buffer.core.SlabBufferPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A read through a view racing the close of that view, the storage's last: the reader either gets
 * the view's own bytes or {@link ClosedBufferException}, never the bytes of the slab's next owner.
 *
 * <p>The closing thread immediately acquires a buffer of the same class from the same pool (the
 * slab it just released is the one it gets back: the pool's free lists are last-in first-out) and
 * stamps it with another owner's stamp, so a read that slipped past the close would see that stamp.
 * Each read API is a test of its own: {@code get} (unreferenced reads validated afterwards), {@code
 * getBytes}, {@code toByteArray}, {@code sha256}, {@code writeTo} (reads that pin the storage), on
 * direct and heap memory, and a composite view whose close releases its parts.
 *
 * <p>A read can only show another owner's bytes when the closer really got the view's slab back.
 * Whether it did is recorded, not assumed: each state keeps an alias of the view's memory (a
 * read-only buffer over the slab, taken while the view was open), and the closer, once it has
 * stamped its replacement, looks through the alias for its own stamp. On the default pool the
 * closer gets the slab back unless the read held the storage past the close (the bulk reads pin it,
 * so its last reference then goes on the reader's thread, into that thread's magazine): runs of
 * 2026-12-06 ({@code -m quick}) saw the slab back in every race of {@code GetDirect}. {@code
 * StressPremiseTest} checks in every build that a slab closed on one thread is the one that
 * thread's next acquisition takes, from every pool the proofs use; a run whose races all end in
 * "another slab" (an interesting outcome) proved nothing and says so.
 *
 * <p>Result: r1 = 1 own bytes, 0 ClosedBufferException, -1 another owner's bytes; r2 = 1 if the
 * closer's replacement was the view's slab (the case that can catch a stale read), 0 if not.
 */
public final class ReadRacingLastCloseStress {

  private ReadRacingLastCloseStress() {}

  /** The common state: a stamped view, and the replacement the closer acquires and stamps. */
  abstract static class Race {
    final SlabBufferPool pool;
    final int stamp = Stamps.next();
    final int nextOwner = Stamps.next();
    final ZeroCopyBuffer view;
    final ByteBuffer alias;
    ZeroCopyBuffer replacement;

    Race(SlabBufferPool pool) {
      this.pool = pool;
      this.view = Stamps.stamped(pool, stamp);
      this.alias = view.asReadOnlyByteBuffer();
    }

    /**
     * Closes the last view, then takes a slab as another owner and stamps it; r2 says whether it
     * was the view's.
     */
    void closeAndReacquire(II_Result r) {
      view.close();
      replacement = Stamps.stamped(pool, nextOwner);
      r.r2 = Stamps.reused(alias, nextOwner);
    }

    void cleanUp() {
      replacement.close();
    }
  }

  /** Byte by byte through {@code get(int)} on direct memory. */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Read the view's own bytes before the close; the closer then got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Own bytes, but the closer got another slab (this race could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "ClosedBufferException; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Read another owner's bytes.")
  @State
  public static class GetDirect extends Race {
    public GetDirect() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void read(II_Result r) {
      r.r1 = readByBytes(view, stamp);
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /** Byte by byte through {@code get(int)} on heap memory. */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Read the view's own bytes before the close; the closer then got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Own bytes, but the closer got another slab (this race could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "ClosedBufferException; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Read another owner's bytes.")
  @State
  public static class GetHeap extends Race {
    public GetHeap() {
      super(Pools.HEAP);
    }

    @Actor
    public void read(II_Result r) {
      r.r1 = readByBytes(view, stamp);
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /** One bulk {@code getBytes} (unreferenced copy, validated and wiped on failure). */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Read the view's own bytes before the close; the closer then got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Own bytes, but the closer got another slab (this race could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "ClosedBufferException; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Read another owner's bytes.")
  @State
  public static class GetBytes extends Race {
    public GetBytes() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void read(II_Result r) {
      byte[] out = new byte[Stamps.LENGTH];
      try {
        view.getBytes(0, out, 0, out.length);
        r.r1 = Stamps.judge(out, stamp);
      } catch (ClosedBufferException e) {
        r.r1 = Stamps.CLOSED;
      }
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /** {@code toByteArray} (pins the storage for the copy). */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Read the view's own bytes before the close; the closer then got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Own bytes, but the closer got another slab (this race could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "ClosedBufferException; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Read another owner's bytes.")
  @State
  public static class ToByteArray extends Race {
    public ToByteArray() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void read(II_Result r) {
      r.r1 = Stamps.check(view, stamp);
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /** {@code sha256} of the view: the digest of its own bytes or the closed error. */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Digest of the view's own bytes; the closer got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Digest of the view's own bytes; the closer got another slab (could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc =
          "ClosedBufferException: the close came first; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Digest of bytes that are not the view's.")
  @State
  public static class Sha256 extends Race {
    final byte[] expected = sha256(Stamps.pattern(stamp));

    public Sha256() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void read(II_Result r) {
      try {
        r.r1 =
            java.util.Arrays.equals(view.sha256(), expected)
                ? Stamps.OWN_BYTES
                : Stamps.FOREIGN_BYTES;
      } catch (ClosedBufferException e) {
        r.r1 = Stamps.CLOSED;
      }
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /** {@code writeTo} a channel: the bytes written are the view's own or nothing is written. */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Wrote the view's own bytes; the closer got the slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException before anything was written; the closer got the slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Wrote the view's own bytes; the closer got another slab (could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc =
          "ClosedBufferException before anything was written; the closer got another slab (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Wrote bytes that are not the view's.")
  @State
  public static class WriteTo extends Race {
    public WriteTo() {
      super(Pools.DEFAULT);
    }

    @Actor
    public void read(II_Result r) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Stamps.LENGTH);
      try {
        view.writeTo(Channels.newChannel(out));
        r.r1 = Stamps.judge(out.toByteArray(), stamp);
      } catch (ClosedBufferException e) {
        r.r1 = out.size() == 0 ? Stamps.CLOSED : Stamps.FOREIGN_BYTES;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Actor
    public void close(II_Result r) {
      closeAndReacquire(r);
    }

    @Arbiter
    public void arbiter() {
      cleanUp();
    }
  }

  /**
   * A composite view of two pooled parts (the composite holds the only references): its last close
   * closes the parts, whose slabs the closer takes back and stamps.
   */
  @JCStressTest
  @Outcome(
      id = "1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "Read the composite's own bytes; the closer got a part's slab back.")
  @Outcome(
      id = "0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "ClosedBufferException: the close came first; the closer got a part's slab back.")
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc = "Read the composite's own bytes; the closer got other slabs (could not catch a bug).")
  @Outcome(
      id = "0, 0",
      expect = Expect.ACCEPTABLE_INTERESTING,
      desc =
          "ClosedBufferException: the close came first; the closer got other slabs (could not catch a bug).")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Read another owner's bytes.")
  @State
  public static class Composite {
    final int stamp = Stamps.next();
    final int nextOwner = Stamps.next();
    final ZeroCopyBuffer composite;
    final ByteBuffer aliasA;
    final ByteBuffer aliasB;
    ZeroCopyBuffer replacement1;
    ZeroCopyBuffer replacement2;

    public Composite() {
      try (ZeroCopyBuffer a = Stamps.stamped(Pools.DEFAULT, stamp);
          ZeroCopyBuffer b = Stamps.stamped(Pools.DEFAULT, stamp)) {
        aliasA = a.asReadOnlyByteBuffer();
        aliasB = b.asReadOnlyByteBuffer();
        composite = Buffers.composite(BufferKind.raw(), List.of(a, b));
      }
    }

    @Actor
    public void read(II_Result r) {
      try {
        byte[] bytes = composite.toByteArray();
        byte[] one = Stamps.pattern(stamp);
        boolean own =
            bytes.length == 2 * one.length
                && java.util.Arrays.equals(bytes, 0, one.length, one, 0, one.length)
                && java.util.Arrays.equals(bytes, one.length, bytes.length, one, 0, one.length);
        r.r1 = own ? Stamps.OWN_BYTES : Stamps.FOREIGN_BYTES;
      } catch (ClosedBufferException e) {
        r.r1 = Stamps.CLOSED;
      }
    }

    @Actor
    public void close(II_Result r) {
      composite.close();
      replacement1 = Stamps.stamped(Pools.DEFAULT, nextOwner);
      replacement2 = Stamps.stamped(Pools.DEFAULT, nextOwner);
      r.r2 = Stamps.reused(aliasA, nextOwner) | Stamps.reused(aliasB, nextOwner);
    }

    @Arbiter
    public void arbiter() {
      replacement1.close();
      replacement2.close();
    }
  }

  /** Reads every byte with {@code get(int)}; CLOSED as soon as one read is refused. */
  static int readByBytes(ZeroCopyBuffer view, int stamp) {
    byte[] out = new byte[Stamps.LENGTH];
    try {
      for (int i = 0; i < out.length; i++) {
        out[i] = view.get(i);
      }
    } catch (ClosedBufferException e) {
      return Stamps.CLOSED;
    }
    return Stamps.judge(out, stamp);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
