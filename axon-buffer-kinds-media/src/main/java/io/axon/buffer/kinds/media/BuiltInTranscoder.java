package io.axon.buffer.kinds.media;

import io.axon.buffer.spi.BufferTranscoder;
import io.axon.buffer.spi.Priority;

/**
 * What every transcoder of this module shares: it declares {@link Priority#BUILT_IN}, so that a
 * plugin's transcoder for the same pair of kinds loses unless it declares more on purpose.
 */
abstract class BuiltInTranscoder implements BufferTranscoder {

  /**
   * {@inheritDoc}
   *
   * @return {@link Priority#BUILT_IN}
   */
  @Override
  public final int priority() {
    return Priority.BUILT_IN;
  }
}
