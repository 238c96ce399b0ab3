package io.axon.buffer.core;

import io.axon.buffer.BufferKind;
import io.axon.buffer.ZeroCopyBuffer;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A white-box {@link Storage} for the lifetime proofs: the real reference count and the real {@link
 * View}s of core, with a {@link #deallocate()} that counts how often it ran instead of returning
 * memory to a pool. "Returned exactly once" is then a number a jcstress arbiter reads.
 *
 * <p>It lives in core's package (this module puts it on the class path next to core's JAR) because
 * the count of deallocations is not observable through the public API of one storage; the black-box
 * proofs in {@code io.axon.buffer.stress} check the consequences on real pools.
 */
public final class CountingStorage extends Storage {

  private final AtomicInteger deallocations = new AtomicInteger();

  /** A storage of {@code length} heap bytes, each set to {@code fill}. */
  public CountingStorage(int length, byte fill) {
    ByteBuffer memory = ByteBuffer.allocate(length);
    for (int i = 0; i < length; i++) {
      memory.put(i, fill);
    }
    setMemory(memory, length);
    this.length = length;
  }

  /** The first view (what {@code freeze} returns): one reference, the whole content. */
  public ZeroCopyBuffer firstView() {
    long units = initFirstReference();
    return View.first(this, memory, length, BufferKind.raw(), units);
  }

  /** How many times the last reference was dropped: 1 once every view is closed, never 2. */
  public int deallocations() {
    return deallocations.get();
  }

  /** Live references (views plus bulk reads in flight). */
  public int references() {
    return refs();
  }

  @Override
  Optional<String> tenant() {
    return Optional.empty();
  }

  @Override
  void deallocate() {
    deallocations.incrementAndGet();
  }

  @Override
  String describe() {
    return length + "-byte counting storage";
  }
}
