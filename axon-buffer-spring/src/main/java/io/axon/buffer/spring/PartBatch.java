package io.axon.buffer.spring;

import java.util.ArrayList;

/**
 * The parts one body buffer completed, on their way to the subscriber. A type of its own so that a
 * batch Reactor drops (queued when the subscriber cancels) is released by a discard hook that
 * matches nothing else. Internal.
 */
final class PartBatch extends ArrayList<PooledPart> {

  private static final long serialVersionUID = 1L;

  /** No parts (never added to). */
  static final PartBatch EMPTY = new PartBatch();

  PartBatch() {
    super(2);
  }

  /** Releases every part of the batch and forgets them. */
  void release() {
    for (PooledPart p : this) {
      p.release();
    }
    clear();
  }
}
