/**
 * A subscription's state as the billing side sets it. PAUSED is Stripe's `paused`: a trial that
 * ended without a payment method, kept by Stripe until one is added; no access meanwhile.
 */
export const SUBSCRIPTION_STATUSES = ['TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED', 'PAUSED'] as const;

/** A subscription's state as the billing side sets it. */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
