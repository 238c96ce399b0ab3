package io.axon.buffer.spring;

import io.axon.buffer.ZeroCopyBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * {@link PooledPart#content()}: one pooled {@link DataBuffer} over a new view of the part's memory
 * per subscription, made when first requested and handed to the subscriber in the same call, so
 * that no buffer ever waits in an operator (where a cancel would have to discard it). A failure to
 * make it (the part was released) is the subscription's error. Internal.
 *
 * <p>What {@code Flux.generate} did here, in one object per call and one per subscription.
 */
final class PartContent extends Flux<DataBuffer> {

  private final ZeroCopyBuffer buffer;

  private PartContent(ZeroCopyBuffer buffer) {
    this.buffer = buffer;
  }

  /** The content of a part whose own view is {@code buffer} (through Reactor's assembly hooks). */
  static Flux<DataBuffer> of(ZeroCopyBuffer buffer) {
    return onAssembly(new PartContent(buffer));
  }

  @Override
  public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
    actual.onSubscribe(new Once(actual, buffer));
  }

  /** Emits the buffer on the first request: state 0 fresh, 1 emitting or done, 2 cancelled. */
  private static final class Once extends AtomicInteger implements Subscription {

    private static final long serialVersionUID = 1L;

    private final transient CoreSubscriber<? super DataBuffer> actual;
    private final transient ZeroCopyBuffer buffer;

    Once(CoreSubscriber<? super DataBuffer> actual, ZeroCopyBuffer buffer) {
      this.actual = actual;
      this.buffer = buffer;
    }

    @Override
    public void request(long n) {
      if (!compareAndSet(0, 1)) {
        return;
      }
      if (n <= 0) {
        actual.onError(
            Operators.onOperatorError(
                Exceptions.nullOrNegativeRequestException(n), actual.currentContext()));
        return;
      }
      DataBuffer b;
      try {
        b = ViewDataBuffers.wrap(buffer.share());
      } catch (Throwable e) {
        Exceptions.throwIfFatal(e);
        actual.onError(Operators.onOperatorError(e, actual.currentContext()));
        return;
      }
      actual.onNext(b);
      if (get() != 2) {
        actual.onComplete();
      }
    }

    @Override
    public void cancel() {
      set(2);
    }
  }
}
