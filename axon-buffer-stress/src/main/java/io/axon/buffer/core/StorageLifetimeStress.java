package io.axon.buffer.core;

import io.axon.buffer.ClosedBufferException;
import io.axon.buffer.ZeroCopyBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Proofs of the reference count behind every view ({@link Storage}, {@link View}), on core's own
 * classes: the storage is given back exactly once, whoever closes last and however the closes
 * interleave, and a share that races the last close never brings released storage back.
 *
 * <p>Each test's arbiter reads {@link CountingStorage#deallocations()} (how often the storage would
 * have gone back to its pool) and the references left.
 */
public final class StorageLifetimeStress {

  private StorageLifetimeStress() {}

  /** Two threads close the last two views (a view and its share) at the same moment. */
  @JCStressTest
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE,
      desc = "The storage went back exactly once and no reference is left.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "Returned twice (two owners of one slab) or never (a leak), or a reference left.")
  @State
  public static class LastTwoSharesClose {
    final CountingStorage storage = new CountingStorage(64, (byte) 7);
    final ZeroCopyBuffer first = storage.firstView();
    final ZeroCopyBuffer second = first.share();

    @Actor
    public void closeFirst() {
      first.close();
    }

    @Actor
    public void closeSecond() {
      second.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = storage.deallocations();
      r.r2 = storage.references();
    }
  }

  /**
   * As {@link LastTwoSharesClose} with a view and a slice of it: the slice's reference carries
   * other coverage units in the same word, so the two decrements differ.
   */
  @JCStressTest
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE,
      desc = "The storage went back exactly once and no reference is left.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Returned twice or never, or a reference left.")
  @State
  public static class LastViewAndSliceClose {
    final CountingStorage storage = new CountingStorage(64, (byte) 7);
    final ZeroCopyBuffer whole = storage.firstView();
    final ZeroCopyBuffer slice = whole.slice(3, 17);

    @Actor
    public void closeWhole() {
      whole.close();
    }

    @Actor
    public void closeSlice() {
      slice.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = storage.deallocations();
      r.r2 = storage.references();
    }
  }

  /** Two threads close the same (last) view: close is idempotent per view, across threads too. */
  @JCStressTest
  @Outcome(
      id = "1, 0",
      expect = Expect.ACCEPTABLE,
      desc = "One close released the reference, the other did nothing.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "Both closes released a reference (the storage returned twice) or none did.")
  @State
  public static class SameViewClosedTwice {
    final CountingStorage storage = new CountingStorage(64, (byte) 7);
    final ZeroCopyBuffer view = storage.firstView();

    @Actor
    public void close1() {
      view.close();
    }

    @Actor
    public void close2() {
      view.close();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = storage.deallocations();
      r.r2 = storage.references();
    }
  }

  /**
   * {@code share()} on one thread while another closes the same view, the storage's last: the share
   * either wins (and then keeps the storage alive until the share is closed) or throws {@link
   * ClosedBufferException}; it never revives storage already given back.
   *
   * <p>r1: 1 if the share succeeded, 0 if it threw ClosedBufferException; r2: deallocations seen
   * while the share (if any) was still open; r3: deallocations once everything is closed.
   */
  @JCStressTest
  @Outcome(
      id = "1, 0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "The share won: the storage lived until the share was closed, then went back once.")
  @Outcome(
      id = "0, 1, 1",
      expect = Expect.ACCEPTABLE,
      desc = "The close won: share threw ClosedBufferException; the storage went back once.")
  @Outcome(
      id = "1, 1, .*",
      expect = Expect.FORBIDDEN,
      desc = "Resurrection: a share succeeded on storage already given back.")
  @Outcome(expect = Expect.FORBIDDEN, desc = "Returned twice or never.")
  @State
  public static class ShareRacingLastClose {
    final CountingStorage storage = new CountingStorage(64, (byte) 7);
    final ZeroCopyBuffer view = storage.firstView();
    ZeroCopyBuffer shared;
    int shareResult;

    @Actor
    public void share() {
      try {
        shared = view.share();
        shareResult = 1;
      } catch (ClosedBufferException e) {
        shareResult = 0;
      }
    }

    @Actor
    public void close() {
      view.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r1 = shareResult;
      r.r2 = storage.deallocations();
      if (shared != null) {
        shared.close();
      }
      r.r3 = storage.deallocations();
    }
  }

  /**
   * {@code share()} of a live view while the other view of the storage closes: the share always
   * succeeds and the storage stays alive for it. r1: 1 if the share succeeded; r2: deallocations
   * while the share and its parent were open; r3: deallocations once everything is closed.
   */
  @JCStressTest
  @Outcome(
      id = "1, 0, 1",
      expect = Expect.ACCEPTABLE,
      desc = "The share succeeded and kept the storage alive; it went back once at the end.")
  @Outcome(
      expect = Expect.FORBIDDEN,
      desc = "A share of a live view failed, or the storage went back while views were open.")
  @State
  public static class ShareOfLiveViewWhileOtherCloses {
    final CountingStorage storage = new CountingStorage(64, (byte) 7);
    final ZeroCopyBuffer kept = storage.firstView();
    final ZeroCopyBuffer closing = kept.share();
    ZeroCopyBuffer shared;
    int shareResult;

    @Actor
    public void share() {
      try {
        shared = kept.share();
        shareResult = 1;
      } catch (ClosedBufferException e) {
        shareResult = 0;
      }
    }

    @Actor
    public void closeOther() {
      closing.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r1 = shareResult;
      r.r2 = storage.deallocations();
      kept.close();
      if (shared != null) {
        shared.close();
      }
      r.r3 = storage.deallocations();
    }
  }
}
