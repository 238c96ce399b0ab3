package io.axon.buffer.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * One thread's share of one tenant's accounting: the bytes it billed minus the bytes it unbilled,
 * pooled ({@code live}) and adopted ({@code borrowed}) apart (either may be negative: memory billed
 * on one thread and released on another), the unused budget it leased from the tenant, and how many
 * times it billed or unbilled (the tenant's activity, for idle eviction).
 *
 * <p>What it does not do: it enforces no limit ({@link Tenant} does, with its {@code granted}
 * total); it is never shared between stripes.
 *
 * <p>Threading: every field is guarded by its {@link #stripe}'s lock.
 */
final class TenantCell {

  final Tenant tenant;
  final Stripe stripe;

  @GuardedBy("stripe")
  private long live;

  @GuardedBy("stripe")
  private long borrowed;

  /** Bytes leased from the tenant's {@code granted} and not yet billed (0 in exact mode). */
  @GuardedBy("stripe")
  private long budget;

  @GuardedBy("stripe")
  private long operations;

  TenantCell(Tenant tenant, Stripe stripe) {
    this.tenant = tenant;
    this.stripe = stripe;
  }

  /** Bills {@code bytes} here, pooled or borrowed. */
  @GuardedBy("stripe")
  void add(long bytes, boolean isBorrowed) {
    if (isBorrowed) {
      borrowed += bytes;
    } else {
      live += bytes;
    }
    operations++;
  }

  /** Unbills {@code bytes} here, pooled or borrowed. */
  @GuardedBy("stripe")
  void remove(long bytes, boolean isBorrowed) {
    if (isBorrowed) {
      borrowed -= bytes;
    } else {
      live -= bytes;
    }
    operations++;
  }

  @GuardedBy("stripe")
  long budget() {
    return budget;
  }

  @GuardedBy("stripe")
  void setBudget(long bytes) {
    budget = bytes;
  }

  /** Gives up the whole budget; returns it, for the caller to take out of the tenant's total. */
  @GuardedBy("stripe")
  long takeBudget() {
    long b = budget;
    budget = 0;
    return b;
  }

  @GuardedBy("stripe")
  long live() {
    return live;
  }

  @GuardedBy("stripe")
  long borrowed() {
    return borrowed;
  }

  @GuardedBy("stripe")
  long operations() {
    return operations;
  }
}
