package io.axon.buffer.core;

import io.axon.buffer.ZeroCopyBuffer;
import java.util.Optional;

/**
 * The parts of a composite view, each held by one reference of its own, and the count of the
 * composite views over them. When the last composite view closes, every part is closed.
 */
final class CompositeStorage extends Storage {

  /** The parts, each a reference owned by this storage. */
  final ZeroCopyBuffer[] parts;

  /** {@code starts[i]}: where part {@code i} begins; {@code starts[parts.length]}: the length. */
  final int[] starts;

  private final Optional<String> tenant;

  CompositeStorage(ZeroCopyBuffer[] parts, int[] starts) {
    this.parts = parts;
    this.starts = starts;
    this.length = starts[parts.length];
    Optional<String> common = parts[0].tenant();
    for (ZeroCopyBuffer p : parts) {
      if (!p.tenant().equals(common)) {
        common = Optional.empty();
        break;
      }
    }
    this.tenant = common;
  }

  /** The index of the part holding byte {@code pos} ({@code 0 <= pos < length}). */
  int partAt(int pos) {
    int lo = 0;
    int hi = parts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= pos) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  Optional<String> tenant() {
    return tenant;
  }

  @Override
  void deallocate() {
    for (ZeroCopyBuffer p : parts) {
      p.close();
    }
  }

  @Override
  String describe() {
    return "composite of " + parts.length + " parts (" + length + " bytes)";
  }
}
