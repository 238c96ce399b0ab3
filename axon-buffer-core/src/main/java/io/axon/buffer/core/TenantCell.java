package io.axon.buffer.core;

/**
 * One thread's share of one tenant's accounting: the bytes it billed minus the bytes it unbilled
 * (which may be negative: memory acquired on one thread and released on another), and the unused
 * budget it leased from the tenant. Changed only under its {@link Stripe}'s lock.
 */
final class TenantCell {

  final Tenant tenant;
  final Stripe stripe;

  /** Live bytes billed here minus unbilled here. */
  long live;

  /** Bytes leased from {@link Tenant#granted} and not yet billed (0 in exact mode). */
  long budget;

  TenantCell(Tenant tenant, Stripe stripe) {
    this.tenant = tenant;
    this.stripe = stripe;
  }
}
