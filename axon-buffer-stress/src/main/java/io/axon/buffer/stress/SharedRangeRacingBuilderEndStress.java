package io.axon.buffer.stress;

import io.axon.buffer.BufferKind;
import io.axon.buffer.BufferMut;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.internal.BuilderRanges;
import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A range shared out of a builder that goes on building ({@link BuilderRanges#share}, how the
 * multipart parser packs small parts into one slab) racing the end of that builder: the slab goes
 * back to the pool only with the last of the two, and the view reads its own bytes until it is
 * closed.
 *
 * <p>The builder's owner ends it, then acquires a buffer of the same class and stamps it as another
 * owner (the pool's free lists are last-in first-out: had the end released the slab while the view
 * was open, the owner would get it back and the view would show that stamp). The other thread reads
 * the view and closes it. Whether the owner got the slab back is recorded through an alias of the
 * slab, as in {@link ReadRacingLastCloseStress}: it does when the view closed first (the slab is
 * released by the builder's end, on the owner's thread), not when the view closed last (released
 * into the reader's magazine).
 *
 * <p>r1: the read (1 own bytes, -1 another owner's); r2: 1 if neither close threw (a release of
 * released storage throws); r3: 1 if the owner's replacement was the view's slab.
 */
public final class SharedRangeRacingBuilderEndStress {

  private SharedRangeRacingBuilderEndStress() {}

  /** The builder's end racing the read and close of the view shared out of it. */
  @JCStressTest
  @Outcome(
      id = {"1, 1, 0", "1, 1, 1"},
      expect = Expect.ACCEPTABLE,
      desc = "The view read its own bytes; the slab went back once, with the last of the two.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "The view showed another owner's bytes (released early), or a close threw.")
  @State
  public static class BuilderEndRacingViewClose {
    final int stamp = Stamps.next();
    final int nextOwner = Stamps.next();
    final BufferMut builder = Pools.DEFAULT.acquire(4 * Stamps.LENGTH);
    final ByteBuffer alias;
    final ZeroCopyBuffer view;
    ZeroCopyBuffer replacement;
    volatile RuntimeException failure;

    public BuilderEndRacingViewClose() {
      builder.append(Stamps.pattern(stamp));
      view = BuilderRanges.share(builder, 0, Stamps.LENGTH, BufferKind.raw());
      builder.append(Stamps.pattern(Stamps.next())); // bytes after the shared range
      alias = builder.asReadOnlyByteBuffer();
    }

    @Actor
    public void endBuilderAndReacquire() {
      try {
        builder.close();
      } catch (RuntimeException e) {
        failure = e;
      }
      replacement = Stamps.stamped(Pools.DEFAULT, nextOwner);
    }

    @Actor
    public void readAndClose(III_Result r) {
      r.r1 = Stamps.check(view, stamp);
      try {
        view.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r2 = failure == null ? 1 : 0;
      r.r3 = Stamps.reused(alias, nextOwner);
      replacement.close();
    }
  }
}
