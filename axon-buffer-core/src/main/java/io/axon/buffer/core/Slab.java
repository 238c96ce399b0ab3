package io.axon.buffer.core;

import io.axon.buffer.PoolClass;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * One piece of pooled memory of exactly its class's size (or of an {@link PoolClass#OVERSIZE}
 * request's size). Slabs are recycled through the free lists; the storages and views over them are
 * not.
 */
final class Slab {

  /** The memory, writable, position and limit free for the current builder's use. */
  final ByteBuffer memory;

  final PoolClass poolClass;

  final int capacity;

  /**
   * The storage currently leasing this slab, or null while it is free. Maintained only when Java
   * assertions are enabled (tests): it proves no slab is ever handed to two owners. Weak, so that
   * the stamp never keeps a leaked storage from its safety net.
   */
  private WeakReference<Object> owner;

  Slab(ByteBuffer memory, PoolClass poolClass) {
    this.memory = memory;
    this.poolClass = poolClass;
    this.capacity = memory.capacity();
  }

  /** Records the new owner (assertions only); fails if the slab already has a live one. */
  boolean stampOwner(Object newOwner) {
    Object current = owner == null ? null : owner.get();
    if (current != null) {
      throw new AssertionError("slab handed to two owners: " + current + " and " + newOwner);
    }
    owner = new WeakReference<>(newOwner);
    return true;
  }

  /** Clears the owner (assertions only); fails if {@code expected} is not the owner. */
  boolean clearOwner(Object expected) {
    Object current = owner == null ? null : owner.get();
    if (current != expected) {
      throw new AssertionError("slab released by " + expected + " but owned by " + current);
    }
    owner = null;
    return true;
  }

  /** Clears the owner of a slab whose storage was reclaimed as a leak (assertions only). */
  boolean clearReclaimedOwner() {
    owner = null;
    return true;
  }
}
