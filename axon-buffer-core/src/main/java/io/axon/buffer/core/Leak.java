package io.axon.buffer.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.ref.Cleaner;

/**
 * The safety net of one pooled storage: the {@link Cleaner} action registered once per storage (see
 * {@link LeakDetector} for which). It holds what returning the memory needs (the pool's {@link
 * Leases}, the slab, the tenant) and never the storage or a view, so it does not keep them
 * reachable. When the storage is released normally, {@link #released} is set and the registration
 * is cleaned without effect; when the storage became unreachable first, the action reports the leak
 * and returns the slab ({@link Leases#reclaim}).
 */
final class Leak implements Runnable {

  final Leases leases;
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

  Leak(Leases leases, Tenant tenant, Throwable site, Slab slab, int capacity, Stripe stripe) {
    this.leases = leases;
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
      leases.reclaim(this);
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
        || simple.equals("TenantAllocator")
        || simple.equals("LeakDetector")
        || simple.equals("Leases")
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
