package io.axon.buffer.stress;

import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code share()} racing {@code close()} on a real pool: a share never resurrects released storage
 * (one that succeeded keeps the slab from being handed to anyone else until it is closed), and a
 * share of a live view succeeds whatever the other views do.
 *
 * <p>The closer takes a slab of the same class right after closing and stamps it as another owner:
 * if the storage had gone back while a share of it was open, the share would show that stamp. r1: 1
 * if the share succeeded, 0 if it threw ClosedBufferException; r2: the share's bytes read right
 * after sharing; r3: the share's bytes read after the closer restamped its slab (1 own, 0 not read,
 * -1 another owner's).
 */
public final class ShareRacingCloseStress {

  private ShareRacingCloseStress() {}

  /** One thread shares the view while another closes it (the storage's last view). */
  @JCStressTest
  @Outcome(
      id = "1, 1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "The share won and kept the slab: nobody else got it while the share was open.")
  @Outcome(
      id = "0, 0, 0",
      expect = Expect.ACCEPTABLE,
      desc = "The close won: share threw ClosedBufferException.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "A share of released storage, or a share showing another owner's bytes.")
  @State
  public static class ShareRacingLastClose {
    final int stamp = Stamps.next();
    final int nextOwner = Stamps.next();
    final ZeroCopyBuffer view = Stamps.stamped(Pools.DEFAULT, stamp);
    ZeroCopyBuffer shared;
    ZeroCopyBuffer replacement;

    @Actor
    public void share(III_Result r) {
      try {
        shared = view.share();
      } catch (ClosedBufferException e) {
        r.r1 = 0;
        return;
      }
      r.r1 = 1;
      r.r2 = Stamps.check(shared, stamp);
    }

    @Actor
    public void closeAndReacquire() {
      view.close();
      replacement = Stamps.stamped(Pools.DEFAULT, nextOwner);
    }

    @Arbiter
    public void arbiter(III_Result r) {
      if (shared != null) {
        r.r3 = Stamps.check(shared, stamp);
        shared.close();
      }
      replacement.close();
    }
  }

  /** One thread shares a view while another closes the storage's other view. */
  @JCStressTest
  @Outcome(
      id = "1, 1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "The share succeeded and kept the storage alive with its own bytes.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "A share of a live view failed, or the storage was handed to another owner.")
  @State
  public static class ShareOfLiveViewWhileOtherCloses {
    final int stamp = Stamps.next();
    final int nextOwner = Stamps.next();
    final ZeroCopyBuffer kept = Stamps.stamped(Pools.DEFAULT, stamp);
    final ZeroCopyBuffer closing = kept.share();
    ZeroCopyBuffer shared;
    ZeroCopyBuffer replacement;

    @Actor
    public void share(III_Result r) {
      try {
        shared = kept.share();
      } catch (ClosedBufferException e) {
        r.r1 = 0;
        return;
      }
      r.r1 = 1;
      r.r2 = Stamps.check(shared, stamp);
    }

    @Actor
    public void closeOtherAndReacquire() {
      closing.close();
      replacement = Stamps.stamped(Pools.DEFAULT, nextOwner);
    }

    @Arbiter
    public void arbiter(III_Result r) {
      if (shared != null) {
        r.r3 = Stamps.check(shared, stamp);
        shared.close();
      }
      kept.close();
      replacement.close();
    }
  }
}
