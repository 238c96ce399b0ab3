package io.axon.buffer.core;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Storage over memory the pool does not own: a wrapped array or {@link ByteBuffer}, or a heap copy.
 * Counts its views like any storage (for {@link io.axon.buffer.ZeroCopyBuffer#sharers()} and to
 * refuse closed views); releasing the last one frees nothing, the garbage collector does.
 */
final class UnpooledStorage extends Storage {

  UnpooledStorage(ByteBuffer memory) {
    setMemory(memory, memory.capacity());
    this.length = memory.capacity();
  }

  @Override
  Optional<String> tenant() {
    return Optional.empty();
  }

  @Override
  void deallocate() {}

  @Override
  String describe() {
    return capacity + "-byte unpooled " + (memory.isDirect() ? "direct" : "heap") + " storage";
  }
}
