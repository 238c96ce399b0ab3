package io.axon.buffer.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.ref.Cleaner;

/**
 * The safety net of one pooled storage: the {@link Cleaner} action registered once per storage. It
 * holds what returning the memory needs (the pool, the slab, the tenant) and never the storage or a
 * view, so it does not keep them reachable. When the storage is released normally, {@link
 * #released} is set and the registration is cleaned without effect; when the storage became
 * unreachable first, the action returns the slab and reports the leak.
 */
final class Leak implements Runnable {

  final SlabBufferPool pool;
  final Tenant tenant;

  /** Where the storage was acquired, when traced. */
  final Throwable site;

  // Plain fields: written by the owning thread(s) while the storage is reachable, read by the
  // Cleaner's thread only after the collector found it unreachable (a safepoint later), or by
  // clean() on the releasing thread itself. Volatile writes here would put a fence on every
  // acquisition for nothing.
  Slab slab;
  int capacity;
  Stripe stripe;
  boolean released;
  Cleaner.Cleanable cleanable;

  Leak(SlabBufferPool pool, Tenant tenant, Throwable site, Slab slab, int capacity, Stripe stripe) {
    this.pool = pool;
    this.tenant = tenant;
    this.site = site;
    this.slab = slab;
    this.capacity = capacity;
    this.stripe = stripe;
  }

  @Override
  public void run() {
    if (!released) {
      released = true;
      pool.reclaimLeak(this);
    }
  }

  /** The pool's own frames, skipped so that a site starts at the code that acquired. */
  private static boolean isInternal(String className) {
    String prefix = "io.axon.buffer.core.";
    if (!className.startsWith(prefix)) {
      return false;
    }
    String simple = className.substring(prefix.length());
    return simple.startsWith("SlabBufferPool")
        || simple.equals("SlabBufferMut")
        || simple.equals("View")
        || simple.equals("CompositeView")
        || simple.equals("Buffers");
  }

  /** The recorded allocation site as text (the acquiring code's frame first), or null. */
  String siteText() {
    if (site == null) {
      return null;
    }
    StringWriter out = new StringWriter();
    StackTraceElement[] frames = site.getStackTrace();
    int first = 0;
    while (first < frames.length - 1 && isInternal(frames[first].getClassName())) {
      first++;
    }
    PrintWriter pw = new PrintWriter(out);
    for (int i = first; i < frames.length; i++) {
      pw.append("\tat ").append(String.valueOf(frames[i])).append('\n');
    }
    pw.flush();
    return out.toString();
  }
}
