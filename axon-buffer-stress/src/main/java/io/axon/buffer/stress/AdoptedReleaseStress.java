package io.axon.buffer.stress;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import io.axon.buffer.core.Buffers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Adopted foreign memory ({@code Buffers.adopt}) is released exactly once when its last two views
 * close at the same moment on two threads: a share and a slice of a piece, the view adopt returned
 * already closed.
 *
 * <p>Result: how many times the owner's release ran, read once both closes are done.
 */
@JCStressTest
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "Released exactly once.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Released twice, or never.")
@State
public class AdoptedReleaseStress {

  private static final BufferKind KIND = BufferKind.of("raw");

  private final AtomicInteger released = new AtomicInteger();
  private final ZeroCopyBuffer share;
  private final ZeroCopyBuffer slice;

  public AdoptedReleaseStress() {
    ZeroCopyBuffer adopted =
        Buffers.adopt(KIND, List.of(ByteBuffer.allocate(16)), released::incrementAndGet);
    share = adopted.share();
    slice = adopted.slice(2, 8);
    adopted.close();
  }

  @Actor
  public void closeShare() {
    share.close();
  }

  @Actor
  public void closeSlice() {
    slice.close();
  }

  @Arbiter
  public void arbiter(I_Result r) {
    r.r1 = released.get();
  }
}
